/* SPDX-License-Identifier: Apache-2.0 */
/*
 * "pattern", "patternProperties" and the "regex" format on PCRE2, with
 * options picked to come close to ECMA-262 and limits that stop a
 * pathological pattern from stalling the bridge.
 *
 * NOTE: PCRE2 and ECMA-262 still differ in these ways:
 * - "\s" and "\S" are ASCII-only here, but in ECMA-262 "\s" also matches
 *   Unicode spaces such as U+00A0, U+2000 to U+200A and U+FEFF.
 * - "." excludes \n, \r, U+2028 and U+2029 as in ECMA-262, and also \v,
 *   \f and U+0085 (PCRE2's "any newline" convention).
 * - PCRE2 matches code points, while ECMA-262 without the "u" flag matches
 *   UTF-16 code units, so "^.$" matches one astral character here only.
 * - PCRE2 accepts syntax that ECMA-262 rejects (possessive quantifiers,
 *   atomic groups, "\A", "\Z", inline options, "\Q...\E") and rejects
 *   some ECMA-262 Annex B forms (for example "\8" as a literal "8").
 * - Lookbehind must have a bounded length in PCRE2 10.42, while ECMA-262
 *   allows any length.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "alloc.h"
#include "schema_internal.h"

/* Backtracking steps per match: a few milliseconds of work on one core. */
#define REGEX_MATCH_LIMIT 1000000
/* Nested backtracking points per match (interpreter only). */
#define REGEX_DEPTH_LIMIT 100000
/* Heap for backtracking frames per match, in KiB. */
#define REGEX_HEAP_LIMIT_KIB 16384
#define REGEX_JIT_STACK_MIN (32 * 1024)
#define REGEX_JIT_STACK_MAX (1024 * 1024)

/*
 * DOLLAR_ENDONLY: "$" matches only at the very end. ALT_BSUX and
 * EXTRA_ALT_BSUX: "\uHHHH", "\u{H...}" and "\xHH" read as in ECMA-262.
 * ALLOW_EMPTY_CLASS: "[]" matches nothing and "[^]" any character.
 * MATCH_UNSET_BACKREF: a reference to an unset group matches "".
 */
#define REGEX_OPTIONS                                                       \
        (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX |                \
         PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_UNSET_BACKREF |              \
         PCRE2_NEVER_BACKSLASH_C)

struct schema_regex *schema_regex_compile(const char *source, size_t len,
                                          char *errstr, size_t errstr_size)
{
        pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
        pcre2_set_newline(cctx, PCRE2_NEWLINE_ANY);
        pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX);
        int code_error;
        PCRE2_SIZE offset;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)source, len,
                                         REGEX_OPTIONS, &code_error, &offset,
                                         cctx);
        pcre2_compile_context_free(cctx);
        if (!code) {
                PCRE2_UCHAR reason[160];
                pcre2_get_error_message(code_error, reason, sizeof(reason));
                snprintf(errstr, errstr_size, "%s at offset %zu",
                         (const char *)reason, (size_t)offset);
                return NULL;
        }
        /* Without JIT support the interpreter runs, and both honour the
         * match limit. Under valgrind the interpreter runs too, because
         * memcheck cannot follow JIT-compiled code and reports false
         * uninitialised reads in it. */
        if (!RUNNING_ON_VALGRIND)
                pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
        struct schema_regex *re = xcalloc(1, sizeof(*re));
        re->source = xstrndup(source, len);
        re->code = code;
        return re;
}

void schema_regex_free(struct schema_regex *re)
{
        if (!re)
                return;
        pcre2_code_free(re->code);
        free(re->source);
        free(re);
}

void schema_regex_ctx_init(struct schema_ctx *ctx)
{
        pcre2_match_context *mctx = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(mctx, REGEX_MATCH_LIMIT);
        pcre2_set_depth_limit(mctx, REGEX_DEPTH_LIMIT);
        pcre2_set_heap_limit(mctx, REGEX_HEAP_LIMIT_KIB);
        pcre2_jit_stack *stack = pcre2_jit_stack_create(
                REGEX_JIT_STACK_MIN, REGEX_JIT_STACK_MAX, NULL);
        if (stack)
                pcre2_jit_stack_assign(mctx, NULL, stack);
        ctx->match_context = mctx;
        ctx->jit_stack = stack;
        /* One pair is enough: only whether a match exists matters. */
        ctx->match_data = pcre2_match_data_create(1, NULL);
}

void schema_regex_ctx_free(struct schema_ctx *ctx)
{
        pcre2_match_data_free(ctx->match_data);
        pcre2_match_context_free(ctx->match_context);
        pcre2_jit_stack_free(ctx->jit_stack);
}

int schema_regex_search(struct schema_ctx *ctx, const struct schema_regex *re,
                        const char *subject, size_t len)
{
        int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0,
                             ctx->match_data, ctx->match_context);
        /* 0 means a match with too small an output vector. */
        if (rc >= 0)
                return 1;
        if (rc == PCRE2_ERROR_NOMATCH)
                return 0;
        /* Match, depth, heap or JIT stack limit, or a subject that is not
         * valid UTF-8: no answer within bounds. */
        return -1;
}
