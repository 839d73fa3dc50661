/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON values in an arena, a strict parser on top of yajl's event API and a
 * compact writer (see json.h). yajl tokenises the input; this file checks
 * what yajl lets through (UTF-8, surrogate escapes, duplicate member names,
 * depth) and builds the values. When yajl rejects the input, a small
 * scanner finds the first error again to report its byte and a plain reason.
 */
#include "json.h"

#include <assert.h>
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "alloc.h"
#include "buf.h"
#include "log.h"

/* Size of a document's first arena chunk; each new chunk doubles up to
 * JSON_CHUNK_LIMIT, and a larger request gets a chunk of its own size. */
#define JSON_CHUNK_FIRST 4096
#define JSON_CHUNK_LIMIT (1024 * 1024)

/* While parsing, objects up to this many members look for duplicate names
 * linearly; larger ones index their names in a hash table. */
#define JSON_LINEAR_MEMBERS 16

/* Exponent literals up to this many digits are converted to int64_t. */
#define JSON_EXP_DIGITS 18

/* Decimal literals up to this many digits are converted without strtod():
 * every integer below 10^15 is exact in a double, since 10^15 < 2^53. */
#define JSON_EXACT_DIGITS 15

/* Bytes of a member name quoted in an error message. */
#define JSON_QUOTE_MAX 64

struct json_chunk {
        struct json_chunk *next;
        size_t cap;
        size_t used;
        max_align_t data[];
};

/* One container the parser is filling. */
struct json_frame {
        struct json_value *container;
        size_t first;      /* its first item or member in the scratch stack */
        size_t slot_first; /* its name index in the slot stack */
        size_t slot_cap;   /* 0 while names are compared linearly */
};

/*
 * Parser builder stacks, kept between parses so that they grow only when a
 * document is larger than any before it.
 */
struct json_scratch {
        struct json_frame *frames;
        size_t frame_cap;
        struct json_value **items;
        size_t item_cap;
        struct json_member *members;
        uint64_t *hashes; /* name hashes, set once the object is indexed */
        size_t member_cap;
        size_t *slots; /* member index + 1 within its object, 0 if empty */
        size_t slot_cap;
};

/* A heap block lent to yajl, with its size in front. */
struct json_block {
        size_t cap;
        max_align_t data[];
};

/* Blocks yajl freed that a document keeps for its next parse. yajl 2.1
 * makes 6 allocations per parse, or 7 when a string has escapes. */
#define JSON_POOL_BLOCKS 16

struct json_doc {
        struct json_chunk *head;
        struct json_chunk *cur;
        size_t next_chunk_cap;
        locale_t c_locale;
        uint64_t hash_seed;
        struct json_scratch scratch;
        struct json_block *pool[JSON_POOL_BLOCKS];
        size_t pool_count;
};

/* ------------------------------------------------------------------ */
/* Arena */

static struct json_chunk *chunk_new(size_t cap)
{
        struct json_chunk *c = xmalloc(sizeof(*c) + cap);
        c->next = NULL;
        c->cap = cap;
        c->used = 0;
        return c;
}

static void *arena_alloc_slow(struct json_doc *doc, size_t size)
{
        /* Chunks kept by json_doc_reset() come first; each is empty. */
        while (doc->cur && doc->cur->next) {
                doc->cur = doc->cur->next;
                doc->cur->used = 0;
                if (size <= doc->cur->cap) {
                        doc->cur->used = size;
                        return doc->cur->data;
                }
        }

        size_t cap = doc->next_chunk_cap;
        if (cap < size)
                cap = size;
        struct json_chunk *c = chunk_new(cap);
        if (doc->cur)
                doc->cur->next = c;
        else
                doc->head = c;
        doc->cur = c;
        if (doc->next_chunk_cap < JSON_CHUNK_LIMIT)
                doc->next_chunk_cap *= 2;
        c->used = size;
        return c->data;
}

/* align must be a power of two no larger than alignof(max_align_t). */
static inline void *arena_alloc(struct json_doc *doc, size_t size,
                                size_t align)
{
        struct json_chunk *c = doc->cur;
        if (c) {
                size_t start = (c->used + align - 1) & ~(align - 1);
                if (start <= c->cap && size <= c->cap - start) {
                        c->used = start + size;
                        return (unsigned char *)c->data + start;
                }
        }
        return arena_alloc_slow(doc, size);
}

static char *arena_strndup(struct json_doc *doc, const char *s, size_t len)
{
        char *copy = arena_alloc(doc, len + 1, 1);
        if (len)
                memcpy(copy, s, len);
        copy[len] = '\0';
        return copy;
}

/* Grows a scratch array to hold at least need elements. */
static void scratch_reserve(void **array, size_t *cap, size_t need,
                            size_t elem_size)
{
        if (need <= *cap)
                return;
        size_t n = *cap ? *cap : 64;
        while (n < need)
                n *= 2;
        *array = xrealloc(*array, n * elem_size);
        *cap = n;
}

struct json_doc *json_doc_new(void)
{
        struct json_doc *doc = xcalloc(1, sizeof(*doc));
        doc->next_chunk_cap = JSON_CHUNK_FIRST;
        doc->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        if (doc->c_locale == (locale_t)0) {
                /* "C" always exists, so only an allocation can fail. */
                log_msg(LOG_LEVEL_ERR, "JSON",
                        "failed to create the C locale for numbers");
                abort();
        }
        if (getentropy(&doc->hash_seed, sizeof(doc->hash_seed)) != 0) {
                /* Without entropy, a clock reading still varies the seed. */
                struct timespec now;
                clock_gettime(CLOCK_MONOTONIC, &now);
                doc->hash_seed = (uint64_t)now.tv_nsec ^
                                 (uint64_t)(uintptr_t)doc;
        }
        return doc;
}

void json_doc_reset(struct json_doc *doc)
{
        doc->cur = doc->head;
        if (doc->head)
                doc->head->used = 0;
}

void json_doc_destroy(struct json_doc *doc)
{
        if (!doc)
                return;
        struct json_chunk *c = doc->head;
        while (c) {
                struct json_chunk *next = c->next;
                free(c);
                c = next;
        }
        free(doc->scratch.frames);
        free(doc->scratch.items);
        free(doc->scratch.members);
        free(doc->scratch.hashes);
        free(doc->scratch.slots);
        for (size_t k = 0; k < doc->pool_count; k++)
                free(doc->pool[k]);
        freelocale(doc->c_locale);
        free(doc);
}

int json_doc_owns(const struct json_doc *doc, const struct json_value *v)
{
        /* Chunks after cur contain only values freed by json_doc_reset(). */
        uintptr_t at = (uintptr_t)v;
        for (const struct json_chunk *c = doc->head; c; c = c->next) {
                uintptr_t start = (uintptr_t)c->data;
                if (at >= start && at - start < c->used)
                        return 1;
                if (c == doc->cur)
                        break;
        }
        return 0;
}

/* ------------------------------------------------------------------ */
/* Numbers */

/* A number literal split into its parts; the pointers are into the text. */
struct json_decimal {
        int negative;
        const char *int_digits;
        size_t int_len;
        const char *frac_digits;
        size_t frac_len;
        int exp_negative;
        const char *exp_digits; /* without leading zeros */
        size_t exp_len;
        size_t lead_zeros;  /* of int_digits followed by frac_digits */
        size_t digit_count; /* significant digits, 0 for zero */
};

static int is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* Returns the k-th digit of int_digits followed by frac_digits. */
static char decimal_digit(const struct json_decimal *dec, size_t k)
{
        if (k < dec->int_len)
                return dec->int_digits[k];
        return dec->frac_digits[k - dec->int_len];
}

static void decimal_count_digits(struct json_decimal *dec)
{
        size_t total = dec->int_len + dec->frac_len;
        size_t lead = 0;
        while (lead < total && decimal_digit(dec, lead) == '0')
                lead++;
        dec->lead_zeros = lead;
        if (lead == total) {
                dec->digit_count = 0;
                return;
        }
        size_t trail = 0;
        while (decimal_digit(dec, total - 1 - trail) == '0')
                trail++;
        dec->digit_count = total - lead - trail;
}

static size_t skip_digits(const char *text, size_t len, size_t pos)
{
        while (pos < len && is_digit(text[pos]))
                pos++;
        return pos;
}

static void decimal_split(const char *text, size_t len,
                          struct json_decimal *dec)
{
        size_t pos = 0;
        memset(dec, 0, sizeof(*dec));
        if (pos < len && text[pos] == '-') {
                dec->negative = 1;
                pos++;
        }
        dec->int_digits = text + pos;
        pos = skip_digits(text, len, pos);
        dec->int_len = (size_t)(text + pos - dec->int_digits);
        dec->frac_digits = text + pos;
        if (pos < len && text[pos] == '.') {
                dec->frac_digits = text + pos + 1;
                pos = skip_digits(text, len, pos + 1);
                dec->frac_len = (size_t)(text + pos - dec->frac_digits);
        }
        dec->exp_digits = text + pos;
        if (pos < len && (text[pos] == 'e' || text[pos] == 'E')) {
                pos++;
                if (pos < len && (text[pos] == '+' || text[pos] == '-'))
                        dec->exp_negative = text[pos++] == '-';
                while (pos < len && text[pos] == '0')
                        pos++;
                dec->exp_digits = text + pos;
                pos = skip_digits(text, len, pos);
                dec->exp_len = (size_t)(text + pos - dec->exp_digits);
        }
        decimal_count_digits(dec);
}

/* The exponent as written; only for exp_len <= JSON_EXP_DIGITS. */
static int64_t decimal_exponent(const struct json_decimal *dec)
{
        int64_t e = 0;
        for (size_t k = 0; k < dec->exp_len; k++)
                e = e * 10 + (dec->exp_digits[k] - '0');
        return dec->exp_negative ? -e : e;
}

/*
 * Returns the shift k such that a nonzero value is 0.D * 10^(X + k), where
 * D are the significant digits and X the written exponent. |k| is at most
 * the literal's length, far below 10^17.
 */
static int64_t decimal_shift(const struct json_decimal *dec)
{
        return (int64_t)dec->int_len - (int64_t)dec->lead_zeros;
}

static int decimal_is_integer(const struct json_decimal *dec)
{
        if (dec->digit_count == 0)
                return 1;
        /* A written exponent of 19 or more digits outweighs any shift. */
        if (dec->exp_len > JSON_EXP_DIGITS)
                return !dec->exp_negative;
        return decimal_exponent(dec) + decimal_shift(dec) >=
               (int64_t)dec->digit_count;
}

/* Converts an integer-valued decimal; returns 0 if it does not fit. */
static int decimal_to_int64(const struct json_decimal *dec, int64_t *out)
{
        if (dec->digit_count == 0) {
                *out = 0;
                return 1;
        }
        if (dec->exp_len > JSON_EXP_DIGITS)
                return 0;
        int64_t int_digits = decimal_exponent(dec) + decimal_shift(dec);
        if (int_digits > 19)
                return 0;

        uint64_t limit = dec->negative ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
        uint64_t acc = 0;
        for (int64_t k = 0; k < int_digits; k++) {
                unsigned d = 0;
                if ((size_t)k < dec->digit_count)
                        d = (unsigned)(decimal_digit(dec, dec->lead_zeros +
                                                              (size_t)k) -
                                       '0');
                if (acc > (limit - d) / 10)
                        return 0;
                acc = acc * 10 + d;
        }
        if (!dec->negative)
                *out = (int64_t)acc;
        else if (acc == (uint64_t)INT64_MAX + 1)
                *out = INT64_MIN;
        else
                *out = -(int64_t)acc;
        return 1;
}

/* Sets the fields of a decimal literal m / 10^k, for number_fill_short(). */
static void number_set_fraction(struct json_value *v, int negative,
                                uint64_t m, size_t k)
{
        static const double powers_of_ten[JSON_EXACT_DIGITS + 1] = {
                1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        };
        double d = (double)m / powers_of_ten[k];
        v->u.number.d = negative ? -d : d;
        v->u.number.is_integer = 0;
        v->u.number.fits_int64 = 0;
        v->u.number.i = 0;
}

/*
 * Sets the fields of the two most common literals without strtod(), and
 * returns 0 for any other literal:
 *  - integers "-?[0-9]{1,18}", whose value fits in int64_t, and
 *  - decimals "-?[0-9]+\.[0-9]+" with a nonzero fraction and at most
 *    JSON_EXACT_DIGITS digits. Without the point, the digits are an
 *    integer m that a double holds exactly, as it holds 10^k for the k
 *    fraction digits. One IEEE division m / 10^k then rounds correctly,
 *    to the double that strtod() returns.
 */
static int number_fill_short(struct json_value *v)
{
        const char *text = v->u.number.text;
        size_t len = v->u.number.len;
        int negative = len > 0 && text[0] == '-';
        size_t pos = (size_t)negative;
        size_t start = pos;
        uint64_t m = 0; /* wraps for more than 19 digits, then unused */
        for (; pos < len && is_digit(text[pos]); pos++)
                m = m * 10 + (uint64_t)(text[pos] - '0');
        size_t int_digits = pos - start;
        if (int_digits == 0 || int_digits > 18)
                return 0;
        if (pos == len) {
                int64_t i = (int64_t)m;
                v->u.number.is_integer = 1;
                v->u.number.fits_int64 = 1;
                v->u.number.i = negative ? -i : i;
                v->u.number.d = negative ? -(double)i : (double)i;
                return 1;
        }

#if FLT_EVAL_METHOD != 0
        /* Intermediates wider than double could round twice. */
        return 0;
#else
        if (text[pos] != '.')
                return 0;
        start = ++pos;
        int fraction_nonzero = 0;
        for (; pos < len && is_digit(text[pos]); pos++) {
                m = m * 10 + (uint64_t)(text[pos] - '0');
                fraction_nonzero |= text[pos] != '0';
        }
        size_t fraction_digits = pos - start;
        /* A zero fraction makes an integer, which number_fill() sets. */
        if (pos != len || !fraction_nonzero ||
            int_digits + fraction_digits > JSON_EXACT_DIGITS)
                return 0;
        number_set_fraction(v, negative, m, fraction_digits);
        return 1;
#endif
}

static double number_to_double(struct json_doc *doc, const char *text)
{
        /* strtod() reads the decimal point of LC_NUMERIC. */
        locale_t old = uselocale(doc->c_locale);
        double d = strtod(text, NULL);
        uselocale(old);
        return d;
}

/* Sets d, is_integer, fits_int64 and i from the NUL-terminated text. */
static void number_fill(struct json_doc *doc, struct json_value *v)
{
        if (number_fill_short(v))
                return;

        struct json_decimal dec;
        decimal_split(v->u.number.text, v->u.number.len, &dec);
        v->u.number.is_integer = decimal_is_integer(&dec);
        int64_t i;
        if (v->u.number.is_integer && decimal_to_int64(&dec, &i)) {
                v->u.number.fits_int64 = 1;
                v->u.number.i = i;
                /* Converting an int64_t rounds to nearest like strtod(). */
                v->u.number.d = (double)i;
                if (i == 0 && dec.negative)
                        v->u.number.d = -0.0;
                return;
        }
        v->u.number.d = number_to_double(doc, v->u.number.text);
}

/*
 * Sets *diff to x - y for two exponent magnitudes written as digit strings
 * and returns 0, or returns the sign of x - y when |x - y| exceeds 10^18.
 */
static int magnitude_diff(const char *x, size_t x_len, const char *y,
                          size_t y_len, int64_t *diff)
{
        size_t n = x_len > y_len ? x_len : y_len;
        int64_t partial = 0;
        for (size_t pos = 0; pos < n; pos++) {
                int dx = pos >= n - x_len ? x[pos - (n - x_len)] - '0' : 0;
                int dy = pos >= n - y_len ? y[pos - (n - y_len)] - '0' : 0;
                partial = partial * 10 + dx - dy;
                /* The remaining digits change the result by less than
                 * 10^rest, so from |partial| >= 2 on the sign is final
                 * and |x - y| > 10^rest. */
                size_t rest = n - pos - 1;
                if (rest >= JSON_EXP_DIGITS && (partial >= 2 || partial <= -2))
                        return partial > 0 ? 1 : -1;
        }
        *diff = partial;
        return 0;
}

/* Returns -1, 0 or 1 for a zero, negative or positive quantity. */
static int sign_of(int nonzero, int negative)
{
        if (!nonzero)
                return 0;
        return negative ? -1 : 1;
}

/* Like magnitude_diff() for the signed exponents of a and b. */
static int exponent_diff(const struct json_decimal *a,
                         const struct json_decimal *b, int64_t *diff)
{
        if (a->exp_len <= JSON_EXP_DIGITS && b->exp_len <= JSON_EXP_DIGITS) {
                *diff = decimal_exponent(a) - decimal_exponent(b);
                return 0;
        }
        int sign_a = sign_of(a->exp_len != 0, a->exp_negative);
        int sign_b = sign_of(b->exp_len != 0, b->exp_negative);
        /* One exponent has 19 digits or more, so with different signs the
         * difference is at least 10^18. */
        if (sign_a != sign_b)
                return sign_a > sign_b ? 1 : -1;
        int sign = magnitude_diff(a->exp_digits, a->exp_len, b->exp_digits,
                                  b->exp_len, diff);
        if (sign_a < 0) {
                *diff = -*diff;
                sign = -sign;
        }
        return sign;
}

/* Compares the magnitudes of two nonzero decimals. */
static int decimal_magnitude_cmp(const struct json_decimal *a,
                                 const struct json_decimal *b)
{
        /* Compare X_a + k_a with X_b + k_b as X_a - X_b with k_b - k_a. */
        int64_t diff = 0;
        int sign = exponent_diff(a, b, &diff);
        if (sign)
                return sign;
        int64_t shift = decimal_shift(b) - decimal_shift(a);
        if (diff != shift)
                return diff > shift ? 1 : -1;

        size_t n = a->digit_count < b->digit_count ? a->digit_count
                                                   : b->digit_count;
        for (size_t k = 0; k < n; k++) {
                char da = decimal_digit(a, a->lead_zeros + k);
                char db = decimal_digit(b, b->lead_zeros + k);
                if (da != db)
                        return da > db ? 1 : -1;
        }
        if (a->digit_count == b->digit_count)
                return 0;
        return a->digit_count > b->digit_count ? 1 : -1;
}

static int decimal_cmp(const struct json_decimal *a,
                       const struct json_decimal *b)
{
        int sign_a = sign_of(a->digit_count != 0, a->negative);
        int sign_b = sign_of(b->digit_count != 0, b->negative);
        if (sign_a != sign_b)
                return sign_a < sign_b ? -1 : 1;
        if (sign_a == 0)
                return 0;
        return sign_a * decimal_magnitude_cmp(a, b);
}

int json_number_cmp(const struct json_value *a, const struct json_value *b)
{
        assert(a->type == JSON_NUMBER);
        assert(b->type == JSON_NUMBER);
        /* d is the correctly rounded value and rounding is monotonic, so
         * different doubles already order the decimals. */
        if (a->u.number.d != b->u.number.d)
                return a->u.number.d < b->u.number.d ? -1 : 1;
        if (a->u.number.fits_int64 && b->u.number.fits_int64) {
                if (a->u.number.i == b->u.number.i)
                        return 0;
                return a->u.number.i < b->u.number.i ? -1 : 1;
        }
        struct json_decimal da, db;
        decimal_split(a->u.number.text, a->u.number.len, &da);
        decimal_split(b->u.number.text, b->u.number.len, &db);
        return decimal_cmp(&da, &db);
}

/* ------------------------------------------------------------------ */
/* Constructors and lookup */

static struct json_value *value_new(struct json_doc *doc, enum json_type type)
{
        struct json_value *v =
                arena_alloc(doc, sizeof(*v), alignof(struct json_value));
        memset(v, 0, sizeof(*v));
        v->type = type;
        return v;
}

struct json_value *json_new_null(struct json_doc *doc)
{
        return value_new(doc, JSON_NULL);
}

struct json_value *json_new_bool(struct json_doc *doc, int b)
{
        struct json_value *v = value_new(doc, JSON_BOOL);
        v->u.boolean = b != 0;
        return v;
}

struct json_value *json_new_int(struct json_doc *doc, int64_t i)
{
        /* The digits go in from the end; INT64_MIN takes 20 bytes. */
        char text[24];
        char *end = text + sizeof(text);
        char *start = end;
        uint64_t magnitude = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
        do {
                *--start = (char)('0' + magnitude % 10);
                magnitude /= 10;
        } while (magnitude != 0);
        if (i < 0)
                *--start = '-';
        size_t len = (size_t)(end - start);
        struct json_value *v = value_new(doc, JSON_NUMBER);
        v->u.number.text = arena_strndup(doc, start, len);
        v->u.number.len = len;
        v->u.number.d = (double)i;
        v->u.number.is_integer = 1;
        v->u.number.fits_int64 = 1;
        v->u.number.i = i;
        return v;
}

struct json_value *json_new_number_text(struct json_doc *doc,
                                        const char *text, size_t len)
{
        struct json_value *v = value_new(doc, JSON_NUMBER);
        v->u.number.text = arena_strndup(doc, text, len);
        v->u.number.len = len;
        number_fill(doc, v);
        return v;
}

struct json_value *json_new_string(struct json_doc *doc, const char *s,
                                   size_t len)
{
        struct json_value *v = value_new(doc, JSON_STRING);
        v->u.string.s = arena_strndup(doc, s, len);
        v->u.string.len = len;
        return v;
}

struct json_value *json_new_array(struct json_doc *doc)
{
        return value_new(doc, JSON_ARRAY);
}

struct json_value *json_new_object(struct json_doc *doc)
{
        return value_new(doc, JSON_OBJECT);
}

/* Returns a copy of the first count elements in an arena block of twice
 * the old capacity; the old block stays in the arena unused. */
static void *arena_grow(struct json_doc *doc, const void *old, size_t count,
                        size_t *cap, size_t elem_size, size_t align)
{
        size_t new_cap = *cap ? *cap * 2 : 4;
        void *block = arena_alloc(doc, new_cap * elem_size, align);
        if (count)
                memcpy(block, old, count * elem_size);
        *cap = new_cap;
        return block;
}

void json_array_append(struct json_doc *doc, struct json_value *array,
                       struct json_value *item)
{
        assert(array->type == JSON_ARRAY);
        if (array->u.array.count == array->u.array.cap)
                array->u.array.items = arena_grow(
                        doc, array->u.array.items, array->u.array.count,
                        &array->u.array.cap, sizeof(struct json_value *),
                        alignof(struct json_value *));
        array->u.array.items[array->u.array.count++] = item;
}

static int key_equals(const struct json_member *m, const char *key,
                      size_t key_len)
{
        if (m->key_len != key_len)
                return 0;
        /* Comparing the first byte inline skips most memcmp() calls. */
        return key_len == 0 ||
               (m->key[0] == key[0] && memcmp(m->key, key, key_len) == 0);
}

void json_object_set(struct json_doc *doc, struct json_value *object,
                     const char *key, size_t key_len,
                     struct json_value *value)
{
        assert(object->type == JSON_OBJECT);
        /* NOTE: the name lookup is linear, so building an object of n
         * members this way costs O(n^2) comparisons. */
        for (size_t k = 0; k < object->u.object.count; k++) {
                if (key_equals(&object->u.object.members[k], key, key_len)) {
                        object->u.object.members[k].value = value;
                        return;
                }
        }
        json_object_append(doc, object, arena_strndup(doc, key, key_len),
                           key_len, value);
}

void json_object_append(struct json_doc *doc, struct json_value *object,
                        const char *key, size_t key_len,
                        struct json_value *value)
{
        assert(object->type == JSON_OBJECT);
        if (object->u.object.count == object->u.object.cap)
                object->u.object.members = arena_grow(
                        doc, object->u.object.members, object->u.object.count,
                        &object->u.object.cap, sizeof(struct json_member),
                        alignof(struct json_member));
        struct json_member *m =
                &object->u.object.members[object->u.object.count++];
        m->key = key;
        m->key_len = key_len;
        m->value = value;
}

const struct json_value *json_object_getn(const struct json_value *object,
                                          const char *key, size_t key_len)
{
        if (!object || object->type != JSON_OBJECT)
                return NULL;
        for (size_t k = 0; k < object->u.object.count; k++) {
                if (key_equals(&object->u.object.members[k], key, key_len))
                        return object->u.object.members[k].value;
        }
        return NULL;
}

const struct json_value *json_object_get(const struct json_value *object,
                                         const char *key)
{
        return json_object_getn(object, key, strlen(key));
}

const char *json_type_name(const struct json_value *v)
{
        switch (v->type) {
        case JSON_NULL:
                return "null";
        case JSON_BOOL:
                return "boolean";
        case JSON_NUMBER:
                return v->u.number.is_integer ? "integer" : "number";
        case JSON_STRING:
                return "string";
        case JSON_ARRAY:
                return "array";
        case JSON_OBJECT:
                return "object";
        }
        return "unknown";
}

/* ------------------------------------------------------------------ */
/* UTF-8 and string escapes */

/*
 * Returns the length of the well-formed UTF-8 sequence at s (Unicode
 * Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or
 * 0 if the sequence is invalid or truncated. s[0] is not ASCII.
 */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail)
{
        unsigned char lead = s[0];
        unsigned char low = 0x80, high = 0xBF;
        size_t n;
        if (lead >= 0xC2 && lead <= 0xDF) {
                n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
                n = 3;
                if (lead == 0xE0)
                        low = 0xA0; /* overlong below U+0800 */
                else if (lead == 0xED)
                        high = 0x9F; /* surrogates U+D800..U+DFFF */
        } else if (lead >= 0xF0 && lead <= 0xF4) {
                n = 4;
                if (lead == 0xF0)
                        low = 0x90; /* overlong below U+10000 */
                else if (lead == 0xF4)
                        high = 0x8F; /* above U+10FFFF */
        } else {
                return 0;
        }
        if (avail < n || s[1] < low || s[1] > high)
                return 0;
        for (size_t k = 2; k < n; k++) {
                if ((s[k] & 0xC0) != 0x80)
                        return 0;
        }
        return n;
}

/* Returns the offset of the first invalid UTF-8 sequence, or len. */
static size_t utf8_find_invalid(const unsigned char *s, size_t len)
{
        size_t pos = 0;
        while (pos < len) {
                /* Skip ASCII eight bytes at a time. */
                while (len - pos >= 8) {
                        uint64_t word;
                        memcpy(&word, s + pos, 8);
                        if (word & UINT64_C(0x8080808080808080))
                                break;
                        pos += 8;
                }
                while (pos < len && s[pos] < 0x80)
                        pos++;
                if (pos == len)
                        break;
                size_t n = utf8_sequence_length(s + pos, len - pos);
                if (n == 0)
                        return pos;
                pos += n;
        }
        return len;
}

/* Decodes the sequence at s, which must be valid UTF-8. */
static uint32_t utf8_decode(const unsigned char *s)
{
        if (s[0] < 0x80)
                return s[0];
        if (s[0] < 0xE0)
                return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        if (s[0] < 0xF0)
                return (uint32_t)(s[0] & 0x0F) << 12 |
                       (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
               (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

static size_t utf8_encode(uint32_t cp, char *out)
{
        if (cp < 0x80) {
                out[0] = (char)cp;
                return 1;
        }
        if (cp < 0x800) {
                out[0] = (char)(0xC0 | cp >> 6);
                out[1] = (char)(0x80 | (cp & 0x3F));
                return 2;
        }
        if (cp < 0x10000) {
                out[0] = (char)(0xE0 | cp >> 12);
                out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
                out[2] = (char)(0x80 | (cp & 0x3F));
                return 3;
        }
        out[0] = (char)(0xF0 | cp >> 18);
        out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
}

static int hex_digit_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Returns the value of 4 hex digits, -1 if one is not a hex digit, or -2
 * if the input ends first. */
static long hex4_value(const char *s, size_t avail)
{
        long value = 0;
        for (size_t k = 0; k < 4; k++) {
                if (k == avail)
                        return -2;
                int digit = hex_digit_value(s[k]);
                if (digit < 0)
                        return -1;
                value = value * 16 + digit;
        }
        return value;
}

/* Returns a mask with the high bit set in exactly the bytes of word that
 * equal c. No sum carries into the next byte, so no byte is marked
 * falsely. */
static inline uint64_t word_byte_mask(uint64_t word, unsigned char c)
{
        const uint64_t ones = UINT64_C(0x0101010101010101);
        const uint64_t low7 = ones * 0x7F;
        uint64_t x = word ^ (ones * c);
        return ~(((x & low7) + low7) | x | low7);
}

/* Set where the byte order is known, so that a scan can turn the lowest or
 * highest mask bit into the offset of a byte. */
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JSON_WORD_SCAN 1
#else
#define JSON_WORD_SCAN 0
#endif

/* The byte that a backslash followed by the index stands for, or 0 when
 * the two make no one-letter escape. */
static const char escape_short_values[256] = {
        ['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
        ['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t',
};

enum escape_status {
        ESCAPE_OK,
        ESCAPE_INVALID,   /* reason set */
        ESCAPE_TRUNCATED, /* the input ends inside the escape */
};

/* Reads "\uXXXX" at s, and the low half after a high surrogate. */
static enum escape_status escape_read_unicode(const char *s, size_t avail,
                                              uint32_t *cp, size_t *used,
                                              char *reason,
                                              size_t reason_size)
{
        long high = hex4_value(s + 2, avail - 2);
        if (high == -2)
                return ESCAPE_TRUNCATED;
        if (high < 0) {
                snprintf(reason, reason_size,
                         "invalid \\u escape, expected 4 hex digits");
                return ESCAPE_INVALID;
        }
        if (high < 0xD800 || high > 0xDFFF) {
                *cp = (uint32_t)high;
                *used = 6;
                return ESCAPE_OK;
        }
        if (high <= 0xDBFF && avail >= 12 && s[6] == '\\' && s[7] == 'u') {
                long low = hex4_value(s + 8, 4);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                        *cp = 0x10000 + ((uint32_t)(high - 0xD800) << 10) +
                              (uint32_t)(low - 0xDC00);
                        *used = 12;
                        return ESCAPE_OK;
                }
        }
        snprintf(reason, reason_size,
                 "unpaired UTF-16 surrogate \"\\u%.4s\" in a string", s + 2);
        return ESCAPE_INVALID;
}

/* Reads the escape sequence at s (s[0] is '\\') into a code point. */
static enum escape_status escape_read(const char *s, size_t avail,
                                      uint32_t *cp, size_t *used, char *reason,
                                      size_t reason_size)
{
        static const char names[] = "\"\\/bfnrt";
        static const char codes[] = "\"\\/\b\f\n\r\t";
        if (avail < 2)
                return ESCAPE_TRUNCATED;
        if (s[1] == 'u')
                return escape_read_unicode(s, avail, cp, used, reason,
                                           reason_size);
        const char *name = s[1] ? strchr(names, s[1]) : NULL;
        if (name) {
                *cp = (unsigned char)codes[name - names];
                *used = 2;
                return ESCAPE_OK;
        }
        if (s[1] > 0x20 && s[1] < 0x7F)
                snprintf(reason, reason_size,
                         "invalid escape \"\\%c\" in a string", s[1]);
        else
                snprintf(reason, reason_size, "invalid escape in a string");
        return ESCAPE_INVALID;
}

/* Writes s as the body of a JSON string for an error message, cut after
 * JSON_QUOTE_MAX input bytes at a character boundary. */
static void quote_for_message(const char *s, size_t len, char *out,
                              size_t out_size)
{
        struct buf b = BUF_INIT;
        size_t cut = len;
        if (cut > JSON_QUOTE_MAX) {
                cut = JSON_QUOTE_MAX;
                while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
                        cut--;
        }
        struct json_value v = {.type = JSON_STRING};
        v.u.string.s = s;
        v.u.string.len = cut;
        json_write(&v, &b);
        /* Drop the quotes json_write() added. */
        snprintf(out, out_size, "%.*s%s", (int)(b.len - 2), b.data + 1,
                 cut < len ? "..." : "");
        buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Error scanner: finds the first syntax error after yajl rejected input */

enum scan_state {
        SCAN_VALUE,        /* a value, at the top or after ':' */
        SCAN_ARRAY_FIRST,  /* after '[': a value or ']' */
        SCAN_ARRAY_NEXT,   /* after ',' in an array: a value */
        SCAN_OBJECT_FIRST, /* after '{': a member name or '}' */
        SCAN_OBJECT_NEXT,  /* after ',' in an object: a member name */
        SCAN_COLON,        /* after a member name */
        SCAN_AFTER_VALUE,  /* ',', a closing bracket or the end */
};

struct json_scan {
        const char *s;
        size_t len;
        size_t pos;
        enum scan_state state;
        char *open; /* '[' or '{' for each open container */
        size_t depth;
        size_t open_cap;
        size_t error_offset;
        char reason[128];
};

static int scan_fail(struct json_scan *sc, size_t offset, const char *fmt,
                     ...) __attribute__((format(printf, 3, 4)));

static int scan_fail(struct json_scan *sc, size_t offset, const char *fmt,
                     ...)
{
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(sc->reason, sizeof(sc->reason), fmt, ap);
        va_end(ap);
        sc->error_offset = offset;
        return 0;
}

/* Describes the character at the scan position for a message. */
static const char *scan_found(const struct json_scan *sc, char *out,
                              size_t size)
{
        if (sc->pos >= sc->len)
                return "the end of the input";
        unsigned char c = (unsigned char)sc->s[sc->pos];
        if (c > 0x20 && c < 0x7F)
                snprintf(out, size, "'%c'", c);
        else
                snprintf(out, size, "U+%04" PRIX32,
                         utf8_decode((const unsigned char *)sc->s + sc->pos));
        return out;
}

static void scan_skip_space(struct json_scan *sc)
{
        while (sc->pos < sc->len) {
                char c = sc->s[sc->pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                        return;
                sc->pos++;
        }
}

static int scan_string(struct json_scan *sc)
{
        size_t start = sc->pos++;
        while (sc->pos < sc->len) {
                unsigned char c = (unsigned char)sc->s[sc->pos];
                if (c == '"') {
                        sc->pos++;
                        return 1;
                }
                if (c < 0x20)
                        return scan_fail(sc, sc->pos,
                                         "unescaped control character "
                                         "U+%04X in a string",
                                         c);
                if (c != '\\') {
                        sc->pos++;
                        continue;
                }
                uint32_t cp;
                size_t used;
                char reason[96];
                enum escape_status status =
                        escape_read(sc->s + sc->pos, sc->len - sc->pos, &cp,
                                    &used, reason, sizeof(reason));
                if (status == ESCAPE_TRUNCATED)
                        break;
                if (status == ESCAPE_INVALID)
                        return scan_fail(sc, sc->pos, "%s", reason);
                sc->pos += used;
        }
        return scan_fail(sc, start, "unterminated string");
}

static int scan_digit_at(const struct json_scan *sc, size_t pos)
{
        return pos < sc->len && is_digit(sc->s[pos]);
}

static int scan_number(struct json_scan *sc)
{
        size_t start = sc->pos;
        if (sc->s[sc->pos] == '-')
                sc->pos++;
        if (!scan_digit_at(sc, sc->pos))
                return scan_fail(sc, start, "expected a digit after '-'");
        if (sc->s[sc->pos] == '0' && scan_digit_at(sc, sc->pos + 1))
                return scan_fail(sc, start, "leading zero in a number");
        sc->pos = skip_digits(sc->s, sc->len, sc->pos);
        if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
                if (!scan_digit_at(sc, ++sc->pos))
                        return scan_fail(sc, start,
                                         "expected a digit after the "
                                         "decimal point");
                sc->pos = skip_digits(sc->s, sc->len, sc->pos);
        }
        if (sc->pos < sc->len && (sc->s[sc->pos] | 0x20) == 'e') {
                sc->pos++;
                if (sc->pos < sc->len &&
                    (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
                        sc->pos++;
                if (!scan_digit_at(sc, sc->pos))
                        return scan_fail(sc, start,
                                         "expected a digit in the exponent");
                sc->pos = skip_digits(sc->s, sc->len, sc->pos);
        }
        return 1;
}

static int scan_literal(struct json_scan *sc)
{
        static const char *const names[] = {"true", "false", "null"};
        size_t start = sc->pos;
        while (sc->pos < sc->len && ((sc->s[sc->pos] | 0x20) >= 'a' &&
                                     (sc->s[sc->pos] | 0x20) <= 'z'))
                sc->pos++;
        size_t n = sc->pos - start;
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
                if (strlen(names[k]) == n &&
                    memcmp(names[k], sc->s + start, n) == 0)
                        return 1;
        }
        return scan_fail(sc, start,
                         "invalid literal \"%.*s\", expected true, false or "
                         "null",
                         (int)(n > 16 ? 16 : n), sc->s + start);
}

static int scan_open(struct json_scan *sc, char bracket)
{
        scratch_reserve((void **)&sc->open, &sc->open_cap, sc->depth + 1, 1);
        sc->open[sc->depth++] = bracket;
        sc->pos++;
        sc->state = bracket == '[' ? SCAN_ARRAY_FIRST : SCAN_OBJECT_FIRST;
        return 1;
}

static int scan_close(struct json_scan *sc)
{
        sc->depth--;
        sc->pos++;
        sc->state = SCAN_AFTER_VALUE;
        return 1;
}

static int scan_value(struct json_scan *sc)
{
        char c = sc->s[sc->pos];
        char found[16];
        if (c == '{' || c == '[')
                return scan_open(sc, c);
        sc->state = SCAN_AFTER_VALUE;
        if (c == '"')
                return scan_string(sc);
        if (c == '-' || is_digit(c))
                return scan_number(sc);
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                return scan_literal(sc);
        if (c == '\'')
                return scan_fail(sc, sc->pos,
                                 "single quotes are not allowed, strings use "
                                 "double quotes");
        return scan_fail(sc, sc->pos, "expected a value, found %s",
                         scan_found(sc, found, sizeof(found)));
}

static int scan_member_name(struct json_scan *sc)
{
        char found[16];
        if (sc->s[sc->pos] == '"') {
                sc->state = SCAN_COLON;
                return scan_string(sc);
        }
        if (sc->s[sc->pos] == '\'')
                return scan_fail(sc, sc->pos,
                                 "single quotes are not allowed, member "
                                 "names use double quotes");
        return scan_fail(sc, sc->pos,
                         "expected a member name in double quotes, found %s",
                         scan_found(sc, found, sizeof(found)));
}

static int scan_after_value(struct json_scan *sc)
{
        char c = sc->s[sc->pos];
        char found[16];
        if (sc->depth == 0)
                return scan_fail(sc, sc->pos, "trailing data after the value");
        char open = sc->open[sc->depth - 1];
        if (c == ',') {
                sc->pos++;
                sc->state = open == '[' ? SCAN_ARRAY_NEXT : SCAN_OBJECT_NEXT;
                return 1;
        }
        if (c == (open == '[' ? ']' : '}'))
                return scan_close(sc);
        if (open == '[')
                return scan_fail(sc, sc->pos,
                                 "expected ',' or ']' after an array "
                                 "element, found %s",
                                 scan_found(sc, found, sizeof(found)));
        return scan_fail(sc, sc->pos,
                         "expected ',' or '}' after a member value, found %s",
                         scan_found(sc, found, sizeof(found)));
}

static int scan_token(struct json_scan *sc)
{
        char c = sc->s[sc->pos];
        char found[16];
        switch (sc->state) {
        case SCAN_VALUE:
        case SCAN_ARRAY_NEXT:
                if (c == ']' && sc->state == SCAN_ARRAY_NEXT)
                        return scan_fail(sc, sc->pos,
                                         "trailing comma before ']'");
                return scan_value(sc);
        case SCAN_ARRAY_FIRST:
                return c == ']' ? scan_close(sc) : scan_value(sc);
        case SCAN_OBJECT_FIRST:
                return c == '}' ? scan_close(sc) : scan_member_name(sc);
        case SCAN_OBJECT_NEXT:
                if (c == '}')
                        return scan_fail(sc, sc->pos,
                                         "trailing comma before '}'");
                return scan_member_name(sc);
        case SCAN_COLON:
                if (c != ':')
                        return scan_fail(sc, sc->pos,
                                         "expected ':' after a member name, "
                                         "found %s",
                                         scan_found(sc, found, sizeof(found)));
                sc->pos++;
                sc->state = SCAN_VALUE;
                return 1;
        case SCAN_AFTER_VALUE:
                return scan_after_value(sc);
        }
        return 0;
}

static int scan_at_comment(const struct json_scan *sc)
{
        return sc->s[sc->pos] == '/' && sc->pos + 1 < sc->len &&
               (sc->s[sc->pos + 1] == '/' || sc->s[sc->pos + 1] == '*');
}

/* Returns 1 if s is valid JSON, else 0 with the first error in sc. */
static int scan_document(struct json_scan *sc)
{
        if (sc->len >= 3 && memcmp(sc->s, "\xEF\xBB\xBF", 3) == 0)
                return scan_fail(sc, 0, "byte order mark is not allowed");
        for (;;) {
                scan_skip_space(sc);
                if (sc->pos == sc->len) {
                        if (sc->state == SCAN_AFTER_VALUE && sc->depth == 0)
                                return 1;
                        return scan_fail(sc, sc->len,
                                         "unexpected end of input");
                }
                if (scan_at_comment(sc))
                        return scan_fail(sc, sc->pos,
                                         "comments are not allowed");
                if (!scan_token(sc))
                        return 0;
        }
}

/* ------------------------------------------------------------------ */
/* Parser */

/*
 * Parser state. Strings and numbers point into copy, an arena copy of the
 * input. The parser overwrites each string's closing quote and the byte
 * after each number with NUL, and decodes escapes in place.
 */
struct json_parser {
        struct json_doc *doc;
        yajl_handle handle;
        const char *input;
        size_t input_len;
        char *copy; /* input_len + 1 bytes */
        size_t max_depth;
        size_t depth;      /* open containers, frames in use */
        size_t item_top;   /* array items in use in the scratch stack */
        size_t member_top; /* members in use in the scratch stack */
        size_t slot_top;   /* hash slots in use in the scratch stack */
        struct json_value *root;
        enum json_error error;
        char *errstr;
        size_t errstr_size;
};

static int parser_fail(struct json_parser *p, enum json_error error,
                       const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Records the error and returns 0, which also cancels yajl's parse. */
static int parser_fail(struct json_parser *p, enum json_error error,
                       const char *fmt, ...)
{
        p->error = error;
        if (p->errstr && p->errstr_size) {
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(p->errstr, p->errstr_size, fmt, ap);
                va_end(ap);
        }
        return 0;
}

static int parser_fail_syntax(struct json_parser *p, size_t offset,
                              const char *reason)
{
        return parser_fail(p, JSON_ERR_SYNTAX, "malformed JSON at byte %zu: %s",
                           offset, reason);
}

/* Stores v as the root, the next array item or the pending member's value.
 */
static void parser_add(struct json_parser *p, struct json_value *v)
{
        struct json_scratch *sc = &p->doc->scratch;
        if (p->depth == 0) {
                p->root = v;
                return;
        }
        if (sc->frames[p->depth - 1].container->type == JSON_OBJECT) {
                sc->members[p->member_top - 1].value = v;
                return;
        }
        scratch_reserve((void **)&sc->items, &sc->item_cap, p->item_top + 1,
                        sizeof(*sc->items));
        sc->items[p->item_top++] = v;
}

/* Returns the offset just after the last '"' before end, or 0 if there is
 * none. Eight bytes are checked at a time. */
static size_t quote_end_before(const char *s, size_t end)
{
        size_t at = end;
        while (at >= 8) {
                uint64_t word;
                memcpy(&word, s + at - 8, 8);
                uint64_t mask = word_byte_mask(word, '"');
                if (mask != 0) {
#if JSON_WORD_SCAN
                        size_t last = (size_t)(63 - __builtin_clzll(mask)) / 8;
                        return at - 8 + last + 1;
#else
                        break;
#endif
                }
                at -= 8;
        }
        while (at > 0 && s[at - 1] != '"')
                at--;
        return at;
}

/*
 * Returns the offset of the opening quote of the string token whose
 * closing quote is at end. A quote inside the token is escaped, so an odd
 * run of backslashes precedes it; the opening quote has an even run.
 */
static size_t string_token_start(const char *s, size_t end)
{
        size_t at = end;
        while ((at = quote_end_before(s, at)) > 0) {
                at--;
                size_t slashes = 0;
                while (slashes < at && s[at - 1 - slashes] == '\\')
                        slashes++;
                if (slashes % 2 == 0)
                        return at;
        }
        return 0;
}

/*
 * Copies the bytes at raw up to the first backslash, or all len bytes, to
 * dst + *n, adds their count to *n and returns it. Eight bytes move at a
 * time, and each store ends no later than the last byte read, so the
 * stores stay inside a token of the copy while *n is at most the offset
 * in raw.
 */
static size_t copy_to_backslash(const char *raw, size_t len, char *dst,
                                size_t *n)
{
        size_t pos = 0;
        while (len - pos >= 8) {
                uint64_t word;
                memcpy(&word, raw + pos, 8);
                memcpy(dst + *n, &word, 8);
                uint64_t mask = word_byte_mask(word, '\\');
                if (mask != 0) {
#if JSON_WORD_SCAN
                        size_t run = (size_t)__builtin_ctzll(mask) / 8;
                        *n += run;
                        return pos + run;
#else
                        break;
#endif
                }
                pos += 8;
                *n += 8;
        }
        while (pos < len && raw[pos] != '\\')
                dst[(*n)++] = raw[pos++];
        return pos;
}

/* Decodes the escapes of the string token between the quotes at start and
 * end into the same place of the copy. */
static int parser_decode(struct json_parser *p, size_t start, size_t end,
                         const char **out, size_t *out_len)
{
        const char *raw = p->input + start + 1;
        size_t raw_len = end - start - 1;
        /* No escape decodes to more bytes than it takes in the input. */
        char *dst = p->copy + start + 1;
        size_t n = 0;
        for (size_t pos = 0; pos < raw_len;) {
                pos += copy_to_backslash(raw + pos, raw_len - pos, dst, &n);
                if (pos == raw_len)
                        break;
                char short_value = pos + 1 < raw_len
                                           ? escape_short_values[(
                                                     unsigned char)raw[pos + 1]]
                                           : 0;
                if (short_value != 0) {
                        dst[n++] = short_value;
                        pos += 2;
                        continue;
                }
                uint32_t cp;
                size_t used;
                char reason[96];
                if (escape_read(raw + pos, raw_len - pos, &cp, &used, reason,
                                sizeof(reason)) != ESCAPE_OK)
                        return parser_fail_syntax(p, start + 1 + pos, reason);
                n += utf8_encode(cp, dst + n);
                pos += used;
        }
        dst[n] = '\0';
        *out = dst;
        *out_len = n;
        return 1;
}

/*
 * Takes a string with escapes, which yajl reports from its own decoding
 * buffer. yajl turns a lone surrogate into "?" or into invalid UTF-8, so
 * the raw token is decoded again here, out of line because it is rare.
 */
__attribute__((noinline, cold)) static int
parser_take_escaped(struct json_parser *p, const char **out, size_t *out_len,
                    size_t *offset)
{
        /* yajl 2.1 has consumed the input up to the closing quote when it
         * calls back. */
        size_t consumed = yajl_get_bytes_consumed(p->handle);
        if (consumed == 0 || consumed > p->input_len ||
            p->input[consumed - 1] != '"')
                return parser_fail_syntax(p, consumed,
                                          "cannot locate an escaped string");
        size_t end = consumed - 1;
        *offset = string_token_start(p->input, end);
        return parser_decode(p, *offset, end, out, out_len);
}

/*
 * Terminates a string or member name that yajl reported in the copy and
 * sets *offset to its opening quote.
 */
static int parser_take_string(struct json_parser *p, const unsigned char *s,
                              size_t len, const char **out, size_t *out_len,
                              size_t *offset)
{
        uintptr_t at = (uintptr_t)s;
        uintptr_t base = (uintptr_t)p->input;
        if (at > base && at - base <= p->input_len) {
                /* yajl points into the input when there is no escape. */
                char *text = p->copy + (at - base);
                text[len] = '\0';
                *offset = at - base - 1;
                *out = text;
                *out_len = len;
                return 1;
        }
        return parser_take_escaped(p, out, out_len, offset);
}

static int parser_on_null(void *ctx)
{
        struct json_parser *p = ctx;
        parser_add(p, value_new(p->doc, JSON_NULL));
        return 1;
}

static int parser_on_boolean(void *ctx, int b)
{
        struct json_parser *p = ctx;
        parser_add(p, json_new_bool(p->doc, b));
        return 1;
}

static int parser_on_number(void *ctx, const char *s, size_t len)
{
        struct json_parser *p = ctx;
        uintptr_t at = (uintptr_t)s;
        uintptr_t base = (uintptr_t)p->input;
        if (at < base || at - base + len > p->input_len) {
                /* yajl buffered a number that ends the input. */
                parser_add(p, json_new_number_text(p->doc, s, len));
                return 1;
        }
        struct json_value *v = value_new(p->doc, JSON_NUMBER);
        char *text = p->copy + (at - base);
        text[len] = '\0';
        v->u.number.text = text;
        v->u.number.len = len;
        number_fill(p->doc, v);
        parser_add(p, v);
        return 1;
}

static int parser_on_string(void *ctx, const unsigned char *s, size_t len)
{
        struct json_parser *p = ctx;
        struct json_value *v = value_new(p->doc, JSON_STRING);
        size_t offset;
        if (!parser_take_string(p, s, len, &v->u.string.s, &v->u.string.len,
                                &offset))
                return 0;
        parser_add(p, v);
        return 1;
}

static int parser_open(struct json_parser *p, enum json_type type)
{
        if (p->depth >= p->max_depth)
                return parser_fail(p, JSON_ERR_DEPTH,
                                   "JSON nested deeper than %zu level%s",
                                   p->max_depth,
                                   p->max_depth == 1 ? "" : "s");
        struct json_value *v = value_new(p->doc, type);
        parser_add(p, v);

        struct json_scratch *sc = &p->doc->scratch;
        scratch_reserve((void **)&sc->frames, &sc->frame_cap, p->depth + 1,
                        sizeof(*sc->frames));
        struct json_frame *f = &sc->frames[p->depth++];
        f->container = v;
        f->first = type == JSON_ARRAY ? p->item_top : p->member_top;
        f->slot_first = p->slot_top;
        f->slot_cap = 0;
        return 1;
}

static int parser_on_start_map(void *ctx)
{
        return parser_open(ctx, JSON_OBJECT);
}

static int parser_on_start_array(void *ctx)
{
        return parser_open(ctx, JSON_ARRAY);
}

static int parser_on_end_array(void *ctx)
{
        struct json_parser *p = ctx;
        struct json_scratch *sc = &p->doc->scratch;
        struct json_frame *f = &sc->frames[--p->depth];
        struct json_value *array = f->container;
        size_t count = p->item_top - f->first;
        if (count) {
                size_t size = count * sizeof(*sc->items);
                array->u.array.items = arena_alloc(
                        p->doc, size, alignof(struct json_value *));
                memcpy(array->u.array.items, sc->items + f->first, size);
        }
        array->u.array.count = count;
        array->u.array.cap = count;
        p->item_top = f->first;
        return 1;
}

static int parser_on_end_map(void *ctx)
{
        struct json_parser *p = ctx;
        struct json_scratch *sc = &p->doc->scratch;
        struct json_frame *f = &sc->frames[--p->depth];
        struct json_value *object = f->container;
        size_t count = p->member_top - f->first;
        if (count) {
                size_t size = count * sizeof(*sc->members);
                object->u.object.members = arena_alloc(
                        p->doc, size, alignof(struct json_member));
                memcpy(object->u.object.members, sc->members + f->first,
                       size);
        }
        object->u.object.count = count;
        object->u.object.cap = count;
        p->member_top = f->first;
        p->slot_top = f->slot_first;
        return 1;
}

/* Mixes all bits of h: the 64-bit finaliser of MurmurHash3. */
static uint64_t hash_mix(uint64_t h)
{
        h ^= h >> 33;
        h *= UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 33;
        h *= UINT64_C(0xc4ceb9fe1a85ec53);
        h ^= h >> 33;
        return h;
}

/* Hashes a member name eight bytes at a time. The seed is random per
 * document, so a producer cannot precompute names that collide. */
static uint64_t key_hash(uint64_t seed, const char *key, size_t len)
{
        uint64_t h = seed ^ len;
        while (len >= 8) {
                uint64_t word;
                memcpy(&word, key, 8);
                h = hash_mix(h ^ word);
                key += 8;
                len -= 8;
        }
        uint64_t tail = 0;
        memcpy(&tail, key, len);
        return hash_mix(h ^ tail);
}

/* Looks key up in the name index of the open object f. Returns 1 if it is
 * there, else 0 with *free_at set to the free slot where it belongs. */
static int slots_find(const struct json_parser *p, const struct json_frame *f,
                      const char *key, size_t len, uint64_t hash,
                      size_t *free_at)
{
        const struct json_scratch *sc = &p->doc->scratch;
        size_t mask = f->slot_cap - 1;
        for (size_t at = hash & mask;; at = (at + 1) & mask) {
                size_t slot = sc->slots[f->slot_first + at];
                if (slot == 0) {
                        *free_at = at;
                        return 0;
                }
                size_t index = f->first + slot - 1;
                if (sc->hashes[index] == hash &&
                    key_equals(&sc->members[index], key, len))
                        return 1;
        }
}

static void slots_insert(struct json_parser *p, const struct json_frame *f,
                         size_t index)
{
        struct json_scratch *sc = &p->doc->scratch;
        size_t mask = f->slot_cap - 1;
        size_t at = sc->hashes[index] & mask;
        while (sc->slots[f->slot_first + at] != 0)
                at = (at + 1) & mask;
        sc->slots[f->slot_first + at] = index - f->first + 1;
}

/*
 * Rebuilds the name index of the open object f with cap slots, hashing the
 * names first if they were compared linearly so far. f is the innermost
 * open container, so its slots are the last in use.
 */
static void slots_rebuild(struct json_parser *p, struct json_frame *f,
                          size_t cap)
{
        struct json_scratch *sc = &p->doc->scratch;
        int hashed = f->slot_cap != 0;
        scratch_reserve((void **)&sc->slots, &sc->slot_cap,
                        f->slot_first + cap, sizeof(*sc->slots));
        memset(sc->slots + f->slot_first, 0, cap * sizeof(*sc->slots));
        f->slot_cap = cap;
        p->slot_top = f->slot_first + cap;
        for (size_t k = f->first; k < p->member_top; k++) {
                if (!hashed)
                        sc->hashes[k] = key_hash(p->doc->hash_seed,
                                                 sc->members[k].key,
                                                 sc->members[k].key_len);
                slots_insert(p, f, k);
        }
}

/* Doubles the member stack and its hashes. It is not inlined, so that the
 * parse loop stays small. */
__attribute__((noinline)) static void members_grow(struct json_scratch *sc)
{
        size_t cap = sc->member_cap ? sc->member_cap * 2 : 64;
        sc->members = xrealloc(sc->members, cap * sizeof(*sc->members));
        sc->hashes = xrealloc(sc->hashes, cap * sizeof(*sc->hashes));
        sc->member_cap = cap;
}

/* Pushes a member name; parser_add() sets its value next. */
static inline void members_push(struct json_parser *p, const char *key,
                                size_t len)
{
        struct json_scratch *sc = &p->doc->scratch;
        if (p->member_top == sc->member_cap)
                members_grow(sc);
        struct json_member *m = &sc->members[p->member_top++];
        m->key = key;
        m->key_len = len;
        m->value = NULL;
}

/*
 * Returns 1 if one of the names at members equals key. Length, first and
 * last byte rule out most names before memcmp().
 */
static inline int members_contain(const struct json_member *members,
                                  size_t count, const char *key, size_t len)
{
        for (size_t k = 0; k < count; k++) {
                const struct json_member *m = &members[k];
                if (m->key_len != len)
                        continue;
                if (len == 0)
                        return 1;
                if (m->key[0] == key[0] && m->key[len - 1] == key[len - 1] &&
                    memcmp(m->key, key, len) == 0)
                        return 1;
        }
        return 0;
}

/* Adds a name to the hash index of the open object f, which has count
 * names already. Returns 0 if f has it already. */
static int members_add_indexed(struct json_parser *p, struct json_frame *f,
                               size_t count, const char *key, size_t len)
{
        struct json_scratch *sc = &p->doc->scratch;
        /* Grow first, so that the free slot found stays valid. */
        if (f->slot_cap == 0 || (count + 1) * 2 > f->slot_cap)
                slots_rebuild(p, f, f->slot_cap ? f->slot_cap * 2 : 32);
        uint64_t hash = key_hash(p->doc->hash_seed, key, len);
        size_t free_at;
        if (slots_find(p, f, key, len, hash, &free_at))
                return 0;
        sc->slots[f->slot_first + free_at] = count + 1;
        members_push(p, key, len);
        sc->hashes[p->member_top - 1] = hash;
        return 1;
}

/*
 * Adds a member name to the open object f and returns 1, or returns 0 if f
 * has it already. Small objects compare names linearly and set no hash.
 * Larger ones use a hash table kept at most half full.
 */
static inline int members_add(struct json_parser *p, struct json_frame *f,
                              const char *key, size_t len)
{
        struct json_scratch *sc = &p->doc->scratch;
        size_t count = p->member_top - f->first;
        if (f->slot_cap != 0 || count >= JSON_LINEAR_MEMBERS)
                return members_add_indexed(p, f, count, key, len);
        if (members_contain(sc->members + f->first, count, key, len))
                return 0;
        members_push(p, key, len);
        return 1;
}

__attribute__((noinline, cold)) static int
parser_fail_duplicate(struct json_parser *p, const char *key, size_t len,
                      size_t offset)
{
        char quoted[JSON_QUOTE_MAX * 6 + 4];
        quote_for_message(key, len, quoted, sizeof(quoted));
        return parser_fail(p, JSON_ERR_DUPLICATE,
                           "duplicate member name \"%s\" at byte %zu", quoted,
                           offset);
}

static int parser_on_key(void *ctx, const unsigned char *s, size_t len)
{
        struct json_parser *p = ctx;
        const char *key;
        size_t key_len;
        size_t offset;
        if (!parser_take_string(p, s, len, &key, &key_len, &offset))
                return 0;

        struct json_frame *f = &p->doc->scratch.frames[p->depth - 1];
        if (members_add(p, f, key, key_len))
                return 1;
        return parser_fail_duplicate(p, key, key_len, offset);
}

static const yajl_callbacks parser_callbacks = {
        .yajl_null = parser_on_null,
        .yajl_boolean = parser_on_boolean,
        .yajl_number = parser_on_number,
        .yajl_string = parser_on_string,
        .yajl_start_map = parser_on_start_map,
        .yajl_map_key = parser_on_key,
        .yajl_end_map = parser_on_end_map,
        .yajl_start_array = parser_on_start_array,
        .yajl_end_array = parser_on_end_array,
};

static struct json_block *block_of(void *ptr)
{
        return (struct json_block *)((char *)ptr -
                                     offsetof(struct json_block, data));
}

/* yajl's malloc: the smallest pooled block that fits, else a new one. */
static void *pool_malloc(void *ctx, size_t size)
{
        struct json_doc *doc = ctx;
        size_t best = doc->pool_count;
        for (size_t k = 0; k < doc->pool_count; k++) {
                if (doc->pool[k]->cap < size)
                        continue;
                if (best == doc->pool_count ||
                    doc->pool[k]->cap < doc->pool[best]->cap)
                        best = k;
        }
        if (best < doc->pool_count) {
                struct json_block *b = doc->pool[best];
                doc->pool[best] = doc->pool[--doc->pool_count];
                return b->data;
        }
        struct json_block *b = xmalloc(sizeof(*b) + size);
        b->cap = size;
        return b->data;
}

static void pool_free(void *ctx, void *ptr)
{
        struct json_doc *doc = ctx;
        if (!ptr)
                return;
        if (doc->pool_count < JSON_POOL_BLOCKS)
                doc->pool[doc->pool_count++] = block_of(ptr);
        else
                free(block_of(ptr));
}

static void *pool_realloc(void *ctx, void *ptr, size_t size)
{
        if (!ptr)
                return pool_malloc(ctx, size);
        struct json_block *b = block_of(ptr);
        if (size <= b->cap)
                return ptr;
        void *bigger = pool_malloc(ctx, size);
        memcpy(bigger, ptr, b->cap);
        pool_free(ctx, ptr);
        return bigger;
}

/* Reports why yajl rejected the input. */
static void parser_explain_error(struct json_parser *p)
{
        struct json_scan sc = {.s = p->input, .len = p->input_len};
        int valid = scan_document(&sc);
        free(sc.open);
        if (!valid) {
                parser_fail_syntax(p, sc.error_offset, sc.reason);
                return;
        }

        /* NOTE: only reached if yajl rejects what the scanner accepts;
         * yajl's one-line text and offset are then the best available. */
        unsigned char *text = yajl_get_error(p->handle, 0, NULL, 0);
        size_t n = strcspn((const char *)text, "\n");
        char reason[128];
        snprintf(reason, sizeof(reason), "%.*s", (int)n, (const char *)text);
        yajl_free_error(p->handle, text);
        parser_fail_syntax(p, yajl_get_bytes_consumed(p->handle), reason);
}

static void parser_run(struct json_parser *p)
{
        /* yajl copies these; its memory comes from the document's pool. */
        yajl_alloc_funcs alloc_funcs = {pool_malloc, pool_realloc, pool_free,
                                        p->doc};
        p->handle = yajl_alloc(&parser_callbacks, &alloc_funcs, p);
        /* yajl_alloc() returns NULL only when an allocation function is
         * missing or fails, and the pool aborts instead. */
        assert(p->handle);
        /* utf8_find_invalid() has checked the input more strictly. */
        int configured = yajl_config(p->handle, yajl_dont_validate_strings, 1);
        assert(configured);
        (void)configured;

        p->copy = arena_alloc(p->doc, p->input_len + 1, 1);
        memcpy(p->copy, p->input, p->input_len);
        p->copy[p->input_len] = '\0';

        /* TODO: yajl 2.1 also skips '\v' and '\f' between tokens, so text
         * such as "\f{}" is accepted although RFC 8259 rejects it. */
        const unsigned char *text = (const unsigned char *)p->input;
        yajl_status status = yajl_parse(p->handle, text, p->input_len);
        if (status == yajl_status_ok)
                status = yajl_complete_parse(p->handle);
        /* On yajl_status_client_canceled a callback has set the error. */
        if (status == yajl_status_error)
                parser_explain_error(p);
        yajl_free(p->handle);
        p->handle = NULL;
}

static int is_blank(const char *s, size_t len)
{
        for (size_t k = 0; k < len; k++) {
                if (s[k] != ' ' && s[k] != '\t' && s[k] != '\n' &&
                    s[k] != '\r')
                        return 0;
        }
        return 1;
}

const struct json_value *json_parse(struct json_doc *doc, const char *buf,
                                    size_t len, size_t max_depth,
                                    enum json_error *err, char *errstr,
                                    size_t errstr_size)
{
        struct json_parser p = {
                .doc = doc,
                .input = buf,
                .input_len = len,
                .max_depth = max_depth,
                .errstr = errstr,
                .errstr_size = errstr_size,
        };
        size_t bad;
        if (is_blank(buf, len))
                parser_fail(&p, JSON_ERR_EMPTY, "empty value");
        else if ((bad = utf8_find_invalid((const unsigned char *)buf, len)) <
                 len)
                parser_fail(&p, JSON_ERR_UTF8, "malformed UTF-8 at byte %zu",
                            bad);
        else
                parser_run(&p);
        if (err)
                *err = p.error;
        return p.error == JSON_OK ? p.root : NULL;
}

/* ------------------------------------------------------------------ */
/* Traversal without recursion, for writing and comparing */

struct json_walk_frame {
        const struct json_value *a;
        const struct json_value *b; /* the value compared with a, or NULL */
        size_t next;                /* index of the next item or member */
};

struct json_walk {
        struct json_walk_frame *frames;
        size_t depth;
        size_t cap;
        struct json_walk_frame local[32];
};

static void walk_init(struct json_walk *walk)
{
        walk->frames = walk->local;
        walk->depth = 0;
        walk->cap = sizeof(walk->local) / sizeof(walk->local[0]);
}

static void walk_push(struct json_walk *walk, const struct json_value *a,
                      const struct json_value *b)
{
        if (walk->depth == walk->cap) {
                size_t size = walk->cap * 2 * sizeof(*walk->frames);
                if (walk->frames == walk->local) {
                        walk->frames = xmalloc(size);
                        memcpy(walk->frames, walk->local, sizeof(walk->local));
                } else {
                        walk->frames = xrealloc(walk->frames, size);
                }
                walk->cap *= 2;
        }
        walk->frames[walk->depth++] =
                (struct json_walk_frame){.a = a, .b = b, .next = 0};
}

static void walk_free(struct json_walk *walk)
{
        if (walk->frames != walk->local)
                free(walk->frames);
}

static int is_container(const struct json_value *v)
{
        return v->type == JSON_ARRAY || v->type == JSON_OBJECT;
}

static size_t container_count(const struct json_value *v)
{
        return v->type == JSON_ARRAY ? v->u.array.count : v->u.object.count;
}

/* ------------------------------------------------------------------ */
/* Writer */

static void write_escape(struct buf *out, unsigned char c)
{
        switch (c) {
        case '"':
                buf_append(out, "\\\"", 2);
                return;
        case '\\':
                buf_append(out, "\\\\", 2);
                return;
        case '\b':
                buf_append(out, "\\b", 2);
                return;
        case '\f':
                buf_append(out, "\\f", 2);
                return;
        case '\n':
                buf_append(out, "\\n", 2);
                return;
        case '\r':
                buf_append(out, "\\r", 2);
                return;
        case '\t':
                buf_append(out, "\\t", 2);
                return;
        }
        buf_printf(out, "\\u%04x", c);
}

static void write_char(struct buf *out, char c)
{
        if (out->len + 1 < out->cap) {
                out->data[out->len++] = c;
                out->data[out->len] = '\0';
                return;
        }
        buf_append_char(out, c);
}

/* Appends len bytes, which must need no escape, and the final NUL. */
static inline void write_bytes(struct buf *out, const char *s, size_t len)
{
        if (out->cap - out->len < len + 1)
                buf_reserve(out, len);
        memcpy(out->data + out->len, s, len);
        out->len += len;
        out->data[out->len] = '\0';
}

/* Returns 1 if a byte of word may be a control character, '"' or '\\':
 * the bit tricks never miss one but can report one falsely. */
static int word_may_need_escape(uint64_t word)
{
        const uint64_t ones = UINT64_C(0x0101010101010101);
        const uint64_t highs = ones * 0x80;
        uint64_t quote = word ^ (ones * '"');
        uint64_t backslash = word ^ (ones * '\\');
        uint64_t below_space = (word - ones * 0x20) & ~word;
        uint64_t is_quote = (quote - ones) & ~quote;
        uint64_t is_backslash = (backslash - ones) & ~backslash;
        return ((below_space | is_quote | is_backslash) & highs) != 0;
}

/* Nonzero for the bytes that the writer escapes: controls, '"' and '\\'. */
static const unsigned char escape_needed[256] = {
        [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1,
        [0x05] = 1, [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1,
        [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1,
        [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1,
        [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
        [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
        [0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1,
};

static inline int byte_needs_escape(char c)
{
        return escape_needed[(unsigned char)c];
}

/* Returns how many bytes at the start of s need no escape. */
static inline size_t escape_free_prefix(const char *s, size_t len)
{
        size_t pos = 0;
        uint64_t word;
        while (len - pos >= 8) {
                memcpy(&word, s + pos, 8);
                if (word_may_need_escape(word))
                        break;
                pos += 8;
        }
        /* The last eight bytes, read over bytes checked already, clear a
         * short tail at once. */
        if (pos < len && len >= 8 && len - pos < 8) {
                memcpy(&word, s + len - 8, 8);
                if (!word_may_need_escape(word))
                        return len;
        }
        while (pos < len && !byte_needs_escape(s[pos]))
                pos++;
        return pos;
}

/* Writes the rest of a string, from its first byte that needs an escape.
 * It is not inlined, so that write_string() stays small. */
__attribute__((noinline)) static void
write_string_escaped(struct buf *out, const char *s, size_t len)
{
        size_t pos = 0;
        while (pos < len) {
                write_escape(out, (unsigned char)s[pos++]);
                size_t run = escape_free_prefix(s + pos, len - pos);
                buf_append(out, s + pos, run);
                pos += run;
        }
}

static inline __attribute__((always_inline)) void
write_string(struct buf *out, const char *s, size_t len)
{
        /* One reservation covers the quotes, a string without escapes and
         * the final NUL, which write_char() adds. */
        if (out->cap - out->len < len + 3)
                buf_reserve(out, len + 2);
        char *dst = out->data + out->len;
        dst[0] = '"';
        size_t run = escape_free_prefix(s, len);
        memcpy(dst + 1, s, run);
        out->len += 1 + run;
        if (run < len)
                write_string_escaped(out, s + run, len - run);
        write_char(out, '"');
}

/* Writes a scalar, or the opening bracket of a container. */
static void write_start(const struct json_value *v, struct buf *out)
{
        switch (v->type) {
        case JSON_NULL:
                buf_append(out, "null", 4);
                return;
        case JSON_BOOL:
                buf_append_str(out, v->u.boolean ? "true" : "false");
                return;
        case JSON_NUMBER:
                write_bytes(out, v->u.number.text, v->u.number.len);
                return;
        case JSON_STRING:
                write_string(out, v->u.string.s, v->u.string.len);
                return;
        case JSON_ARRAY:
                write_char(out, '[');
                return;
        case JSON_OBJECT:
                write_char(out, '{');
                return;
        }
}

/* Closes finished containers and writes the separator and member name
 * before the next value; returns that value, or NULL at the end. */
static const struct json_value *write_next(struct json_walk *walk,
                                           struct buf *out)
{
        while (walk->depth > 0) {
                struct json_walk_frame *f = &walk->frames[walk->depth - 1];
                if (f->next == container_count(f->a)) {
                        write_char(out, f->a->type == JSON_ARRAY ? ']' : '}');
                        walk->depth--;
                        continue;
                }
                if (f->next > 0)
                        write_char(out, ',');
                size_t k = f->next++;
                if (f->a->type == JSON_ARRAY)
                        return f->a->u.array.items[k];
                const struct json_member *m = &f->a->u.object.members[k];
                write_string(out, m->key, m->key_len);
                write_char(out, ':');
                return m->value;
        }
        return NULL;
}

void json_write(const struct json_value *v, struct buf *out)
{
        struct json_walk walk;
        walk_init(&walk);
        while (v) {
                write_start(v, out);
                if (is_container(v))
                        walk_push(&walk, v, NULL);
                v = write_next(&walk, out);
        }
        walk_free(&walk);
}

/* ------------------------------------------------------------------ */
/* Copy */

/* Copies a scalar into doc, or a container with room for its children,
 * which json_copy() fills in. */
static struct json_value *copy_shallow(struct json_doc *doc,
                                       const struct json_value *v)
{
        struct json_value *copy = value_new(doc, v->type);
        copy->u = v->u;
        if (v->type == JSON_NUMBER) {
                copy->u.number.text =
                        arena_strndup(doc, v->u.number.text, v->u.number.len);
        } else if (v->type == JSON_STRING) {
                copy->u.string.s =
                        arena_strndup(doc, v->u.string.s, v->u.string.len);
        } else if (v->type == JSON_ARRAY) {
                size_t count = v->u.array.count;
                copy->u.array.items =
                        count ? arena_alloc(doc, count * sizeof(void *),
                                            alignof(struct json_value *))
                              : NULL;
                copy->u.array.cap = count;
        } else if (v->type == JSON_OBJECT) {
                size_t count = v->u.object.count;
                struct json_member *members =
                        count ? arena_alloc(doc, count * sizeof(*members),
                                            alignof(struct json_member))
                              : NULL;
                for (size_t k = 0; k < count; k++) {
                        const struct json_member *m = &v->u.object.members[k];
                        members[k].key = arena_strndup(doc, m->key,
                                                       m->key_len);
                        members[k].key_len = m->key_len;
                        members[k].value = NULL;
                }
                copy->u.object.members = members;
                copy->u.object.cap = count;
        }
        return copy;
}

struct json_value *json_copy(struct json_doc *doc, const struct json_value *v)
{
        struct json_walk walk;
        walk_init(&walk);
        struct json_value *root = copy_shallow(doc, v);
        if (is_container(v))
                walk_push(&walk, v, root);
        /* Each frame pairs a container of v (a) with its copy (b). */
        while (walk.depth > 0) {
                struct json_walk_frame *f = &walk.frames[walk.depth - 1];
                if (f->next == container_count(f->a)) {
                        walk.depth--;
                        continue;
                }
                size_t k = f->next++;
                const struct json_value *child =
                        f->a->type == JSON_ARRAY
                                ? f->a->u.array.items[k]
                                : f->a->u.object.members[k].value;
                struct json_value *copy = copy_shallow(doc, child);
                if (f->a->type == JSON_ARRAY)
                        f->b->u.array.items[k] = copy;
                else
                        f->b->u.object.members[k].value = copy;
                if (is_container(child))
                        walk_push(&walk, child, copy);
        }
        walk_free(&walk);
        return root;
}

/* ------------------------------------------------------------------ */
/* Equality */

/* Compares everything but the children of a container. */
static int value_equal_shallow(const struct json_value *a,
                               const struct json_value *b)
{
        if (a->type != b->type)
                return 0;
        switch (a->type) {
        case JSON_NULL:
                return 1;
        case JSON_BOOL:
                return !a->u.boolean == !b->u.boolean;
        case JSON_NUMBER:
                return json_number_cmp(a, b) == 0;
        case JSON_STRING:
                return a->u.string.len == b->u.string.len &&
                       memcmp(a->u.string.s, b->u.string.s,
                              a->u.string.len) == 0;
        case JSON_ARRAY:
        case JSON_OBJECT:
                return container_count(a) == container_count(b);
        }
        return 0;
}

/* Returns the value of object's member named like the k-th member of
 * another object, trying the k-th member first. */
static const struct json_value *member_value(const struct json_value *object,
                                             size_t k,
                                             const struct json_member *like)
{
        const struct json_member *m = &object->u.object.members[k];
        if (key_equals(m, like->key, like->key_len))
                return m->value;
        /* NOTE: reordered members cost a linear lookup each, so comparing
         * large reordered objects is quadratic. */
        return json_object_getn(object, like->key, like->key_len);
}

/* Moves to the next pair of children to compare. Returns 0 when the walk
 * is over, or when b lacks a member of a and *equal is cleared. */
static int equal_next(struct json_walk *walk, const struct json_value **a,
                      const struct json_value **b, int *equal)
{
        while (walk->depth > 0) {
                struct json_walk_frame *f = &walk->frames[walk->depth - 1];
                if (f->next == container_count(f->a)) {
                        walk->depth--;
                        continue;
                }
                size_t k = f->next++;
                if (f->a->type == JSON_ARRAY) {
                        *a = f->a->u.array.items[k];
                        *b = f->b->u.array.items[k];
                        return 1;
                }
                const struct json_member *m = &f->a->u.object.members[k];
                *a = m->value;
                *b = member_value(f->b, k, m);
                if (!*b) {
                        *equal = 0;
                        return 0;
                }
                return 1;
        }
        return 0;
}

int json_equal(const struct json_value *a, const struct json_value *b)
{
        if (!a || !b)
                return a == b;
        struct json_walk walk;
        walk_init(&walk);
        int equal = 1;
        do {
                if (!value_equal_shallow(a, b)) {
                        equal = 0;
                        break;
                }
                if (is_container(a))
                        walk_push(&walk, a, b);
        } while (equal_next(&walk, &a, &b, &equal));
        walk_free(&walk);
        return equal;
}

/* ------------------------------------------------------------------ */
/* JSON pointer (RFC 6901) */

void json_pointer_append(struct buf *pointer, const char *key,
                         size_t key_len)
{
        size_t run = 0;
        buf_append_char(pointer, '/');
        for (size_t k = 0; k < key_len; k++) {
                if (key[k] != '~' && key[k] != '/')
                        continue;
                buf_append(pointer, key + run, k - run);
                buf_append(pointer, key[k] == '~' ? "~0" : "~1", 2);
                run = k + 1;
        }
        buf_append(pointer, key + run, key_len - run);
}

/* Returns 1 if the escaped token names key, 0 if not, -1 if the token has
 * a '~' not followed by '0' or '1'. */
static int token_matches(const char *token, size_t len, const char *key,
                         size_t key_len)
{
        size_t k = 0;
        int match = 1;
        for (size_t pos = 0; pos < len; pos++) {
                char c = token[pos];
                if (c == '~') {
                        if (pos + 1 == len ||
                            (token[pos + 1] != '0' && token[pos + 1] != '1'))
                                return -1;
                        c = token[++pos] == '0' ? '~' : '/';
                }
                if (k == key_len || key[k] != c)
                        match = 0;
                k++;
        }
        return match && k == key_len;
}

static const struct json_value *pointer_member(const struct json_value *v,
                                               const char *token, size_t len)
{
        for (size_t k = 0; k < v->u.object.count; k++) {
                const struct json_member *m = &v->u.object.members[k];
                int match = token_matches(token, len, m->key, m->key_len);
                if (match < 0)
                        return NULL;
                if (match)
                        return m->value;
        }
        return NULL;
}

/* An array index is "0" or digits without a leading zero. */
static const struct json_value *pointer_item(const struct json_value *v,
                                             const char *token, size_t len)
{
        if (len == 0 || (token[0] == '0' && len > 1))
                return NULL;
        size_t index = 0;
        for (size_t pos = 0; pos < len; pos++) {
                if (!is_digit(token[pos]))
                        return NULL;
                size_t d = (size_t)(token[pos] - '0');
                if (index > (SIZE_MAX - d) / 10)
                        return NULL;
                index = index * 10 + d;
                /* More digits only make the index larger. */
                if (index >= v->u.array.count)
                        return NULL;
        }
        return v->u.array.items[index];
}

const struct json_value *json_pointer_get(const struct json_value *root,
                                          const char *pointer,
                                          size_t pointer_len)
{
        const struct json_value *v = root;
        size_t pos = 0;
        while (v && pos < pointer_len) {
                if (pointer[pos] != '/')
                        return NULL;
                size_t start = ++pos;
                while (pos < pointer_len && pointer[pos] != '/')
                        pos++;
                const char *token = pointer + start;
                if (v->type == JSON_OBJECT)
                        v = pointer_member(v, token, pos - start);
                else if (v->type == JSON_ARRAY)
                        v = pointer_item(v, token, pos - start);
                else
                        v = NULL;
        }
        return v;
}
