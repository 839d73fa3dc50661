/* SPDX-License-Identifier: Apache-2.0 */
/*
 * URI reference resolution (RFC 3986, section 5.2) for "$id" and "$ref",
 * and percent-decoding of fragments. Only the syntax matters here: no URI
 * is ever fetched.
 */
#include <ctype.h>
#include <string.h>

#include "schema_internal.h"

struct uri_part {
        const char *s;
        size_t len;
        int defined;
};

struct uri_parts {
        struct uri_part scheme;
        struct uri_part authority;
        struct uri_part path;
        struct uri_part query;
        struct uri_part fragment;
};

static struct uri_part part(const char *s, size_t len)
{
        struct uri_part p = {s, len, 1};
        return p;
}

static size_t scheme_length(const char *s)
{
        if (!isalpha((unsigned char)s[0]))
                return 0;
        size_t i = 1;
        while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
               s[i] == '.')
                i++;
        return s[i] == ':' ? i : 0;
}

static void uri_split(const char *s, struct uri_parts *u)
{
        memset(u, 0, sizeof(*u));
        size_t n = scheme_length(s);
        if (n) {
                u->scheme = part(s, n);
                s += n + 1;
        }
        if (s[0] == '/' && s[1] == '/') {
                size_t a = strcspn(s + 2, "/?#");
                u->authority = part(s + 2, a);
                s += 2 + a;
        }
        size_t p = strcspn(s, "?#");
        u->path = part(s, p);
        s += p;
        if (*s == '?') {
                size_t q = strcspn(s + 1, "#");
                u->query = part(s + 1, q);
                s += 1 + q;
        }
        if (*s == '#')
                u->fragment = part(s + 1, strlen(s + 1));
}

/* Appends path to out with "." and ".." segments removed (5.2.4). */
static void remove_dot_segments(const char *path, size_t len,
                                struct buf *out)
{
        size_t start = out->len;
        size_t i = 0;
        while (i < len) {
                const char *in = path + i;
                size_t rest = len - i;
                if (rest >= 3 && memcmp(in, "../", 3) == 0) {
                        i += 3;
                } else if (rest >= 2 && memcmp(in, "./", 2) == 0) {
                        i += 2;
                } else if (rest >= 3 && memcmp(in, "/./", 3) == 0) {
                        i += 2;
                } else if (rest == 2 && memcmp(in, "/.", 2) == 0) {
                        i += 1;
                        buf_append_char(out, '/');
                        i = len;
                } else if ((rest >= 4 && memcmp(in, "/../", 4) == 0) ||
                           (rest == 3 && memcmp(in, "/..", 3) == 0)) {
                        i += 3;
                        while (out->len > start &&
                               out->data[out->len - 1] != '/')
                                out->len--;
                        if (out->len > start)
                                out->len--;
                        out->data[out->len] = '\0';
                        if (rest == 3)
                                buf_append_char(out, '/');
                } else if ((rest == 1 && in[0] == '.') ||
                           (rest == 2 && memcmp(in, "..", 2) == 0)) {
                        i = len;
                } else {
                        size_t seg = 1;
                        while (seg < rest && in[seg] != '/')
                                seg++;
                        buf_append(out, in, seg);
                        i += seg;
                }
        }
}

static void merge_paths(const struct uri_parts *base,
                        const struct uri_part *ref_path, struct buf *out)
{
        struct buf merged = BUF_INIT;
        if (base->authority.defined && base->path.len == 0) {
                buf_append_char(&merged, '/');
        } else {
                const char *slash = NULL;
                for (size_t i = 0; i < base->path.len; i++) {
                        if (base->path.s[i] == '/')
                                slash = base->path.s + i;
                }
                if (slash)
                        buf_append(&merged, base->path.s,
                                   (size_t)(slash - base->path.s) + 1);
        }
        buf_append(&merged, ref_path->s, ref_path->len);
        remove_dot_segments(merged.data, merged.len, out);
        buf_free(&merged);
}

static void append_tail(const struct uri_part *query,
                        const struct uri_part *fragment, struct buf *out)
{
        if (query->defined) {
                buf_append_char(out, '?');
                buf_append(out, query->s, query->len);
        }
        if (fragment->defined) {
                buf_append_char(out, '#');
                buf_append(out, fragment->s, fragment->len);
        }
}

static void append_authority(const struct uri_part *authority,
                             struct buf *out)
{
        if (!authority->defined)
                return;
        buf_append(out, "//", 2);
        buf_append(out, authority->s, authority->len);
}

void schema_uri_resolve(const char *base, const char *reference,
                        struct buf *out)
{
        struct uri_parts b, r;
        uri_split(base, &b);
        uri_split(reference, &r);
        if (base[0] == '\0' || r.scheme.defined) {
                if (r.scheme.defined) {
                        buf_append(out, r.scheme.s, r.scheme.len);
                        buf_append_char(out, ':');
                }
                append_authority(&r.authority, out);
                remove_dot_segments(r.path.s, r.path.len, out);
                append_tail(&r.query, &r.fragment, out);
                return;
        }
        if (b.scheme.defined) {
                buf_append(out, b.scheme.s, b.scheme.len);
                buf_append_char(out, ':');
        }
        if (r.authority.defined) {
                append_authority(&r.authority, out);
                remove_dot_segments(r.path.s, r.path.len, out);
                append_tail(&r.query, &r.fragment, out);
                return;
        }
        append_authority(&b.authority, out);
        if (r.path.len == 0) {
                buf_append(out, b.path.s, b.path.len);
                append_tail(r.query.defined ? &r.query : &b.query,
                            &r.fragment, out);
                return;
        }
        if (r.path.s[0] == '/')
                remove_dot_segments(r.path.s, r.path.len, out);
        else
                merge_paths(&b, &r.path, out);
        append_tail(&r.query, &r.fragment, out);
}

static int hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int schema_uri_percent_decode(const char *s, size_t len, struct buf *out)
{
        for (size_t i = 0; i < len; i++) {
                if (s[i] != '%') {
                        buf_append_char(out, s[i]);
                        continue;
                }
                if (len - i < 3)
                        return -1;
                int h = hex_value(s[i + 1]);
                int l = hex_value(s[i + 2]);
                if (h < 0 || l < 0)
                        return -1;
                buf_append_char(out, (char)(h * 16 + l));
                i += 2;
        }
        return 0;
}
