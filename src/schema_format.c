/* SPDX-License-Identifier: Apache-2.0 */
/*
 * "format" assertions of draft-07 for the string formats the bridge
 * checks: date-time, date, time (RFC 3339), email (RFC 5322 addr-spec),
 * hostname (RFC 1123), ipv4, ipv6 (RFC 4291), uri and uri-reference
 * (RFC 3986), json-pointer (RFC 6901), relative-json-pointer and regex.
 * Other format names are annotations only.
 *
 * NOTE: every check here is ASCII-only. A hostname label is not checked
 * against the IDNA rules for "xn--" labels, an email address with a
 * non-ASCII local part or domain is invalid, and "uri" rejects the
 * non-ASCII characters that only the "iri" formats allow.
 */
#include <stdio.h>
#include <string.h>

#include "schema_internal.h"

struct format_name {
        const char *name;
        enum schema_format format;
};

static const struct format_name format_names[] = {
        {"date-time", SCHEMA_FORMAT_DATE_TIME},
        {"date", SCHEMA_FORMAT_DATE},
        {"time", SCHEMA_FORMAT_TIME},
        {"email", SCHEMA_FORMAT_EMAIL},
        {"hostname", SCHEMA_FORMAT_HOSTNAME},
        {"ipv4", SCHEMA_FORMAT_IPV4},
        {"ipv6", SCHEMA_FORMAT_IPV6},
        {"uri", SCHEMA_FORMAT_URI},
        {"uri-reference", SCHEMA_FORMAT_URI_REFERENCE},
        {"json-pointer", SCHEMA_FORMAT_JSON_POINTER},
        {"relative-json-pointer", SCHEMA_FORMAT_RELATIVE_JSON_POINTER},
        {"regex", SCHEMA_FORMAT_REGEX},
};

enum schema_format schema_format_lookup(const char *name, size_t len)
{
        size_t n = sizeof(format_names) / sizeof(format_names[0]);
        for (size_t i = 0; i < n; i++) {
                if (strlen(format_names[i].name) == len &&
                    memcmp(format_names[i].name, name, len) == 0)
                        return format_names[i].format;
        }
        return SCHEMA_FORMAT_NONE;
}

static int is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
        return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Reads exactly n digits at s into *out. */
static int read_digits(const char *s, size_t n, int *out)
{
        int v = 0;
        for (size_t i = 0; i < n; i++) {
                if (!is_digit(s[i]))
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        *out = v;
        return 0;
}

static int days_in_month(int year, int month)
{
        static const int days[] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
        int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return month == 2 && leap ? 29 : days[month - 1];
}

/* full-date: YYYY-MM-DD with a real day of the month. */
static int check_date(const char *s, size_t len)
{
        int y, m, d;
        if (len != 10 || s[4] != '-' || s[7] != '-')
                return 0;
        if (read_digits(s, 4, &y) || read_digits(s + 5, 2, &m) ||
            read_digits(s + 8, 2, &d))
                return 0;
        return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/*
 * full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM). A leap second (:60) is
 * valid only where the time is 23:59 in UTC.
 */
static int check_time(const char *s, size_t len)
{
        int h, m, sec, oh = 0, om = 0;
        if (len < 9 || s[2] != ':' || s[5] != ':')
                return 0;
        if (read_digits(s, 2, &h) || read_digits(s + 3, 2, &m) ||
            read_digits(s + 6, 2, &sec))
                return 0;
        size_t i = 8;
        if (s[i] == '.') {
                size_t start = ++i;
                while (i < len && is_digit(s[i]))
                        i++;
                if (i == start)
                        return 0;
        }
        if (i == len)
                return 0;
        int sign = 0;
        if (s[i] == 'Z' || s[i] == 'z') {
                if (i + 1 != len)
                        return 0;
        } else if (s[i] == '+' || s[i] == '-') {
                sign = s[i] == '+' ? 1 : -1;
                if (len - i != 6 || s[i + 3] != ':' ||
                    read_digits(s + i + 1, 2, &oh) ||
                    read_digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
                        return 0;
        } else {
                return 0;
        }
        if (h > 23 || m > 59 || sec > 60)
                return 0;
        if (sec == 60) {
                int utc = (h * 60 + m - sign * (oh * 60 + om) + 1440) % 1440;
                return utc == 23 * 60 + 59;
        }
        return 1;
}

static int check_date_time(const char *s, size_t len)
{
        if (len < 11 || (s[10] != 'T' && s[10] != 't'))
                return 0;
        return check_date(s, 10) && check_time(s + 11, len - 11);
}

/* A dotted quad of decimal octets without leading zeros. */
static int check_ipv4(const char *s, size_t len)
{
        size_t i = 0;
        for (int part = 0; part < 4; part++) {
                if (part > 0) {
                        if (i >= len || s[i] != '.')
                                return 0;
                        i++;
                }
                size_t start = i;
                int v = 0;
                while (i < len && is_digit(s[i]) && i - start < 3)
                        v = v * 10 + (s[i++] - '0');
                size_t n = i - start;
                if (n == 0 || v > 255 || (n > 1 && s[start] == '0'))
                        return 0;
        }
        return i == len;
}

/* Returns the number of 16-bit groups on one side of "::", or -1. */
static int ipv6_groups(const char *s, size_t len, int allow_ipv4)
{
        if (len == 0)
                return 0;
        int groups = 0;
        size_t i = 0;
        for (;;) {
                size_t start = i;
                while (i < len && s[i] != ':')
                        i++;
                size_t n = i - start;
                if (i == len && allow_ipv4 && memchr(s + start, '.', n))
                        return check_ipv4(s + start, n) ? groups + 2 : -1;
                if (n == 0 || n > 4)
                        return -1;
                for (size_t k = start; k < i; k++) {
                        if (!is_hex(s[k]))
                                return -1;
                }
                groups++;
                if (i == len)
                        return groups;
                i++; /* ':' */
                if (i == len)
                        return -1;
        }
}

static int check_ipv6(const char *s, size_t len)
{
        const char *gap = NULL;
        for (size_t i = 0; i + 1 < len; i++) {
                if (s[i] == ':' && s[i + 1] == ':') {
                        gap = s + i;
                        break;
                }
        }
        if (!gap)
                return ipv6_groups(s, len, 1) == 8;
        size_t left_len = (size_t)(gap - s);
        const char *right = gap + 2;
        size_t right_len = len - left_len - 2;
        for (size_t i = 0; i + 1 < right_len; i++) {
                if (right[i] == ':' && right[i + 1] == ':')
                        return 0; /* a second "::" */
        }
        int left = ipv6_groups(s, left_len, 0);
        int right_groups = ipv6_groups(right, right_len, 1);
        return left >= 0 && right_groups >= 0 && left + right_groups <= 7;
}

/* RFC 1123 host name: dot-separated labels of letters, digits, '-'. */
static int check_hostname(const char *s, size_t len)
{
        if (len > 0 && s[len - 1] == '.')
                len--; /* a fully qualified name may end in a dot */
        if (len == 0 || len > 253)
                return 0;
        size_t label = 0;
        for (size_t i = 0; i <= len; i++) {
                if (i == len || s[i] == '.') {
                        if (label == 0 || label > 63 || s[i - 1] == '-')
                                return 0;
                        label = 0;
                        continue;
                }
                char c = s[i];
                if (!is_alpha(c) && !is_digit(c) && c != '-')
                        return 0;
                if (label == 0 && c == '-')
                        return 0;
                label++;
        }
        return 1;
}

static int is_atext(char c)
{
        return is_alpha(c) || is_digit(c) ||
               (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* local-part: a dot-atom or a quoted string. */
static int check_local_part(const char *s, size_t len)
{
        if (len == 0 || len > 64)
                return 0;
        if (s[0] == '"') {
                if (len < 2 || s[len - 1] != '"')
                        return 0;
                for (size_t i = 1; i + 1 < len; i++) {
                        unsigned char c = (unsigned char)s[i];
                        if (c == '\\') {
                                if (++i + 1 >= len)
                                        return 0;
                                continue;
                        }
                        if (c == '"' || c < 0x20 || c == 0x7f)
                                return 0;
                }
                return 1;
        }
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '.') {
                        if (i == 0 || i + 1 == len || s[i + 1] == '.')
                                return 0;
                } else if (!is_atext(s[i])) {
                        return 0;
                }
        }
        return 1;
}

static int check_email(const char *s, size_t len)
{
        const char *at = NULL;
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '@')
                        at = s + i;
        }
        if (!at)
                return 0;
        size_t local = (size_t)(at - s);
        const char *domain = at + 1;
        size_t domain_len = len - local - 1;
        if (!check_local_part(s, local))
                return 0;
        if (domain_len >= 2 && domain[0] == '[' &&
            domain[domain_len - 1] == ']') {
                const char *lit = domain + 1;
                size_t n = domain_len - 2;
                if (n > 5 && memcmp(lit, "IPv6:", 5) == 0)
                        return check_ipv6(lit + 5, n - 5);
                return check_ipv4(lit, n);
        }
        return check_hostname(domain, domain_len);
}

static int is_unreserved(char c)
{
        return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("-._~", c));
}

static int is_sub_delim(char c)
{
        return c != '\0' && strchr("!$&'()*+,;=", c);
}

/* Characters of path, query and fragment ("pchar", '/', '?'). */
static int check_chars(const char *s, size_t len, const char *extra)
{
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (c == '%') {
                        if (len - i < 3 || !is_hex(s[i + 1]) ||
                            !is_hex(s[i + 2]))
                                return 0;
                        i += 2;
                } else if (!is_unreserved(c) && !is_sub_delim(c) &&
                           (c == '\0' || !strchr(extra, c))) {
                        return 0;
                }
        }
        return 1;
}

/* authority = [ userinfo "@" ] host [ ":" port ] */
static int check_authority(const char *s, size_t len)
{
        const char *at = memchr(s, '@', len);
        if (at) {
                size_t n = (size_t)(at - s);
                if (!check_chars(s, n, ":"))
                        return 0;
                len -= n + 1;
                s = at + 1;
        }
        size_t host_len = len;
        if (len > 0 && s[0] == '[') {
                const char *close = memchr(s, ']', len);
                if (!close)
                        return 0;
                size_t n = (size_t)(close - s) - 1;
                if (n == 0 || (s[1] != 'v' && s[1] != 'V' &&
                               !check_ipv6(s + 1, n)))
                        return 0;
                host_len = n + 2;
        } else {
                const char *colon = memchr(s, ':', len);
                if (colon)
                        host_len = (size_t)(colon - s);
                if (!check_chars(s, host_len, ""))
                        return 0;
        }
        if (host_len == len)
                return 1;
        if (s[host_len] != ':')
                return 0;
        for (size_t i = host_len + 1; i < len; i++) {
                if (!is_digit(s[i]))
                        return 0;
        }
        return 1;
}

/* relative-part or hier-part, then "?" query and "#" fragment. */
static int check_uri_rest(const char *s, size_t len)
{
        size_t path_end = 0;
        while (path_end < len && s[path_end] != '?' && s[path_end] != '#')
                path_end++;
        size_t path_start = 0;
        if (len >= 2 && s[0] == '/' && s[1] == '/') {
                size_t a = 2;
                while (a < path_end && s[a] != '/')
                        a++;
                if (!check_authority(s + 2, a - 2))
                        return 0;
                path_start = a;
        }
        if (!check_chars(s + path_start, path_end - path_start, ":@/"))
                return 0;
        size_t i = path_end;
        if (i < len && s[i] == '?') {
                size_t start = ++i;
                while (i < len && s[i] != '#')
                        i++;
                if (!check_chars(s + start, i - start, ":@/?"))
                        return 0;
        }
        if (i < len && s[i] == '#')
                return check_chars(s + i + 1, len - i - 1, ":@/?");
        return 1;
}

static size_t scheme_length(const char *s, size_t len)
{
        if (len == 0 || !is_alpha(s[0]))
                return 0;
        size_t i = 1;
        while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' ||
                           s[i] == '-' || s[i] == '.'))
                i++;
        return i < len && s[i] == ':' ? i : 0;
}

static int check_uri(const char *s, size_t len)
{
        size_t n = scheme_length(s, len);
        return n > 0 && check_uri_rest(s + n + 1, len - n - 1);
}

static int check_uri_reference(const char *s, size_t len)
{
        if (scheme_length(s, len) > 0)
                return check_uri(s, len);
        /* A relative path's first segment must not contain ':'. */
        size_t i = 0;
        while (i < len && s[i] != '/' && s[i] != '?' && s[i] != '#') {
                if (s[i] == ':')
                        return 0;
                i++;
        }
        return check_uri_rest(s, len);
}

static int check_json_pointer(const char *s, size_t len)
{
        if (len > 0 && s[0] != '/')
                return 0;
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '~' && (i + 1 == len ||
                                    (s[i + 1] != '0' && s[i + 1] != '1')))
                        return 0;
        }
        return 1;
}

/* A non-negative integer, then "#" or a JSON pointer. */
static int check_relative_json_pointer(const char *s, size_t len)
{
        size_t i = 0;
        while (i < len && is_digit(s[i]))
                i++;
        if (i == 0 || (i > 1 && s[0] == '0'))
                return 0;
        if (i + 1 == len && s[i] == '#')
                return 1;
        return check_json_pointer(s + i, len - i);
}

static int check_regex(const char *s, size_t len)
{
        char reason[160];
        struct schema_regex *re =
                schema_regex_compile(s, len, reason, sizeof(reason));
        schema_regex_free(re);
        return re != NULL;
}

int schema_format_check(enum schema_format format, const char *s,
                        size_t len)
{
        switch (format) {
        case SCHEMA_FORMAT_NONE:
                return 1;
        case SCHEMA_FORMAT_DATE_TIME:
                return check_date_time(s, len);
        case SCHEMA_FORMAT_DATE:
                return check_date(s, len);
        case SCHEMA_FORMAT_TIME:
                return check_time(s, len);
        case SCHEMA_FORMAT_EMAIL:
                return check_email(s, len);
        case SCHEMA_FORMAT_HOSTNAME:
                return check_hostname(s, len);
        case SCHEMA_FORMAT_IPV4:
                return check_ipv4(s, len);
        case SCHEMA_FORMAT_IPV6:
                return check_ipv6(s, len);
        case SCHEMA_FORMAT_URI:
                return check_uri(s, len);
        case SCHEMA_FORMAT_URI_REFERENCE:
                return check_uri_reference(s, len);
        case SCHEMA_FORMAT_JSON_POINTER:
                return check_json_pointer(s, len);
        case SCHEMA_FORMAT_RELATIVE_JSON_POINTER:
                return check_relative_json_pointer(s, len);
        case SCHEMA_FORMAT_REGEX:
                return check_regex(s, len);
        }
        return 1;
}
