/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exact number checks for the schema module: bounds, "multipleOf" and a
 * hash for "uniqueItems". Numbers are read from their decimal literals,
 * never through double, so 9007199254740993 and 19.99 stay exact.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "schema_internal.h"

/*
 * NOTE: exponents beyond +-10^18 are clamped to +-10^18 when a literal is
 * read. A "multipleOf" result is exact unless both the instance and the
 * divisor have such an exponent, and then the two exponents count as
 * equal. Nothing is ever expanded to its full length: 1e999999999 costs
 * what 1e9 costs.
 */
#define DECIMAL_EXPONENT_MAX 1000000000000000000LL

static int64_t read_exponent(const char *p, const char *end)
{
        int neg = 0;
        if (p < end && (*p == '+' || *p == '-'))
                neg = *p++ == '-';
        int64_t e = 0;
        for (; p < end; p++) {
                if (e <= DECIMAL_EXPONENT_MAX)
                        e = e * 10 + (*p - '0');
        }
        if (e > DECIMAL_EXPONENT_MAX)
                e = DECIMAL_EXPONENT_MAX;
        return neg ? -e : e;
}

/*
 * Reads a valid JSON number literal into out, with the digits in digits
 * (cleared first). out->digits points into digits->data.
 */
static void decimal_read(const char *text, size_t len,
                         struct schema_decimal *out, struct buf *digits)
{
        const char *p = text, *end = text + len;
        memset(out, 0, sizeof(*out));
        buf_clear(digits);
        buf_reserve(digits, 1);
        out->neg = p < end && *p == '-';
        if (out->neg)
                p++;
        int64_t fraction_len = 0;
        int seen_point = 0;
        for (; p < end && *p != 'e' && *p != 'E'; p++) {
                if (*p == '.') {
                        seen_point = 1;
                        continue;
                }
                if (seen_point)
                        fraction_len++;
                if (digits->len == 0 && *p == '0')
                        continue; /* leading zero */
                buf_append_char(digits, *p);
        }
        int64_t exponent = 0;
        if (p < end)
                exponent = read_exponent(p + 1, end);
        exponent -= fraction_len;
        while (digits->len > 0 && digits->data[digits->len - 1] == '0') {
                digits->len--;
                exponent++;
        }
        digits->data[digits->len] = '\0';
        out->digits = digits->data;
        out->digit_count = digits->len;
        out->exponent = digits->len ? exponent : 0;
        if (digits->len <= 19) {
                uint64_t v = 0;
                int fits = 1;
                for (size_t i = 0; i < digits->len; i++) {
                        unsigned d = (unsigned)(digits->data[i] - '0');
                        if (v > (UINT64_MAX - d) / 10)
                                fits = 0;
                        v = v * 10 + d;
                }
                out->small = v;
                out->small_ok = fits;
        }
}

void schema_decimal_parse(const char *text, size_t len,
                          struct schema_decimal *out)
{
        struct buf digits = BUF_INIT;
        decimal_read(text, len, out, &digits);
        /* The buffer's memory now belongs to out. */
}

void schema_decimal_free(struct schema_decimal *d)
{
        if (!d)
                return;
        free(d->digits);
        free(d);
}

void schema_number_ctx_init(struct schema_ctx *ctx)
{
        mpz_init(ctx->num_a);
        mpz_init(ctx->num_b);
}

void schema_number_ctx_free(struct schema_ctx *ctx)
{
        mpz_clear(ctx->num_a);
        mpz_clear(ctx->num_b);
        buf_free(&ctx->scratch_digits);
}

/* base^exp mod m for m < 2^32, so every product fits in 64 bits. */
static uint64_t pow_mod(uint64_t base, int64_t exp, uint64_t m)
{
        uint64_t result = 1 % m;
        base %= m;
        while (exp > 0) {
                if (exp & 1)
                        result = result * base % m;
                base = base * base % m;
                exp >>= 1;
        }
        return result;
}

/* Divides z by p up to limit times while it divides; returns the count. */
static int64_t remove_factor(mpz_t z, unsigned long p, int64_t limit)
{
        int64_t n = 0;
        while (n < limit && mpz_sgn(z) != 0 && mpz_divisible_ui_p(z, p)) {
                mpz_divexact_ui(z, z, p);
                n++;
        }
        return n;
}

/*
 * a * 10^d divisible by b, for d >= 0, with a and b in GMP: b splits into
 * 2^s * 5^t * c with c coprime to 10. Then c must divide a, and a must
 * supply the factors 2 and 5 that 10^d does not.
 */
static int big_is_multiple(struct schema_ctx *ctx,
                           const struct schema_decimal *x,
                           const struct schema_decimal *m, int64_t d)
{
        mpz_set_str(ctx->num_a, x->digits, 10);
        mpz_set_str(ctx->num_b, m->digits, 10);
        int64_t s = (int64_t)mpz_scan1(ctx->num_b, 0);
        mpz_tdiv_q_2exp(ctx->num_b, ctx->num_b, (mp_bitcnt_t)s);
        int64_t t = remove_factor(ctx->num_b, 5, INT64_MAX);
        if (!mpz_divisible_p(ctx->num_a, ctx->num_b))
                return 0;
        if (s > d && (int64_t)mpz_scan1(ctx->num_a, 0) < s - d)
                return 0;
        if (t > d && remove_factor(ctx->num_a, 5, t - d) < t - d)
                return 0;
        return 1;
}

int schema_number_is_multiple(struct schema_ctx *ctx,
                              const struct json_value *instance,
                              const struct schema_decimal *divisor)
{
        const struct json_value *v = instance;
        if (v->u.number.fits_int64 && divisor->small_ok &&
            divisor->exponent == 0 && divisor->small <= INT64_MAX)
                return v->u.number.i % (int64_t)divisor->small == 0;
        struct schema_decimal *x = &ctx->scratch_decimal;
        decimal_read(v->u.number.text, v->u.number.len, x,
                     &ctx->scratch_digits);
        if (x->digit_count == 0)
                return 1;
        /*
         * The digits of x carry no trailing zero, so x is not divisible by
         * 10, while a divisor with a larger exponent would need x to be.
         */
        if (x->exponent < divisor->exponent)
                return 0;
        int64_t d = x->exponent - divisor->exponent;
        if (x->small_ok && divisor->small_ok &&
            divisor->small <= UINT32_MAX)
                return x->small % divisor->small *
                               pow_mod(10, d, divisor->small) %
                               divisor->small ==
                       0;
        return big_is_multiple(ctx, x, divisor, d);
}

int schema_number_cmp(const struct json_value *a, const struct json_value *b)
{
        if (a->u.number.fits_int64 && b->u.number.fits_int64) {
                int64_t x = a->u.number.i, y = b->u.number.i;
                return (x > y) - (x < y);
        }
        return json_number_cmp(a, b);
}

static uint64_t mix64(uint64_t x)
{
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebull;
        x ^= x >> 31;
        return x;
}

/*
 * Hashes a number by its value: the significant digits and the position
 * of the first one, so 1, 1.0, 10e-1 and 0.1e1 hash alike.
 */
static uint64_t number_hash(const char *text, size_t len)
{
        const char *p = text, *end = text + len;
        int neg = p < end && *p == '-';
        if (neg)
                p++;
        uint64_t h = 0x6e756d62ull;
        int64_t int_digits = 0, leading_zeros = 0, pending_zeros = 0;
        int in_fraction = 0, significant = 0;
        for (; p < end && *p != 'e' && *p != 'E'; p++) {
                if (*p == '.') {
                        in_fraction = 1;
                        continue;
                }
                if (!in_fraction)
                        int_digits++;
                if (!significant && *p == '0') {
                        leading_zeros++;
                        continue;
                }
                significant = 1;
                if (*p == '0') {
                        pending_zeros++;
                        continue;
                }
                for (; pending_zeros > 0; pending_zeros--)
                        h = (h ^ '0') * 0x100000001b3ull;
                h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
        }
        if (!significant)
                return mix64(h);
        int64_t exponent = p < end ? read_exponent(p + 1, end) : 0;
        exponent += int_digits - leading_zeros;
        h ^= mix64((uint64_t)exponent + (neg ? 0x5a5a5a5aull : 0));
        return mix64(h);
}

uint64_t schema_value_hash(const struct json_value *v)
{
        uint64_t h;
        switch (v->type) {
        case JSON_NULL:
                return 0x6e756c6cull;
        case JSON_BOOL:
                return v->u.boolean ? 0x74727565ull : 0x66616c73ull;
        case JSON_NUMBER:
                return number_hash(v->u.number.text, v->u.number.len);
        case JSON_STRING:
                return mix64(schema_hash_bytes(v->u.string.s,
                                               v->u.string.len) ^
                             0x73747200ull);
        case JSON_ARRAY:
                h = 0x61727261ull;
                for (size_t i = 0; i < v->u.array.count; i++)
                        h = mix64(h * 31 + schema_value_hash(
                                                   v->u.array.items[i]));
                return h;
        case JSON_OBJECT:
                /* A sum, because member order does not matter. */
                h = 0x6f626a65ull;
                for (size_t i = 0; i < v->u.object.count; i++) {
                        const struct json_member *m = &v->u.object.members[i];
                        uint64_t k = schema_hash_bytes(m->key, m->key_len);
                        h += mix64(k ^ schema_value_hash(m->value) * 3);
                }
                return mix64(h);
        }
        return 0;
}
