/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the schema module: the compiled node layout, the context and
 * the helpers that the schema_*.c files share. Nothing outside src/schema*.c
 * includes this file.
 */
#ifndef CKB_SCHEMA_INTERNAL_H
#define CKB_SCHEMA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "buf.h"
#include "json.h"
#include "schema.h"

/*
 * Validation depth cap: every schema node entered during one validation
 * counts one level, so it bounds instance nesting, $ref recursion and
 * in-place applicators together, and with them the C stack.
 */
#define SCHEMA_MAX_DEPTH 2048
/* Nesting cap for schema objects while indexing and compiling. */
#define SCHEMA_MAX_COMPILE_DEPTH 1000
/* Longest instance or schema value quoted in a message, in bytes. */
#define SCHEMA_QUOTE_MAX 60

#define SCHEMA_METASCHEMA_URI "http://json-schema.org/draft-07/schema"

/* Instance and "type" bits; an integral number has both number bits. */
enum {
        SCHEMA_TYPE_NULL = 1 << 0,
        SCHEMA_TYPE_BOOLEAN = 1 << 1,
        SCHEMA_TYPE_INTEGER = 1 << 2,
        SCHEMA_TYPE_NUMBER = 1 << 3,
        SCHEMA_TYPE_STRING = 1 << 4,
        SCHEMA_TYPE_ARRAY = 1 << 5,
        SCHEMA_TYPE_OBJECT = 1 << 6,
};

enum schema_format {
        SCHEMA_FORMAT_NONE,
        SCHEMA_FORMAT_DATE_TIME,
        SCHEMA_FORMAT_DATE,
        SCHEMA_FORMAT_TIME,
        SCHEMA_FORMAT_EMAIL,
        SCHEMA_FORMAT_HOSTNAME,
        SCHEMA_FORMAT_IPV4,
        SCHEMA_FORMAT_IPV6,
        SCHEMA_FORMAT_URI,
        SCHEMA_FORMAT_URI_REFERENCE,
        SCHEMA_FORMAT_JSON_POINTER,
        SCHEMA_FORMAT_RELATIVE_JSON_POINTER,
        SCHEMA_FORMAT_REGEX,
};

/* A "pattern" or "patternProperties" regular expression, compiled once. */
struct schema_regex {
        char *source;
        void *code; /* pcre2_code_8 */
};

/*
 * A decimal number split into sign, significant digits and power of ten,
 * so that value = (neg ? -1 : 1) * digits * 10^exponent. digits has no
 * leading or trailing zeros; zero has digit_count 0.
 */
struct schema_decimal {
        int neg;
        char *digits; /* NUL-terminated ASCII digits */
        size_t digit_count;
        int64_t exponent;
        uint64_t small;   /* digits when small_ok */
        int small_ok;     /* digit_count <= 19 and fits uint64_t */
};

/*
 * One property name an object keyword mentions. slot numbers the names of
 * a node so that validation marks present members in a bit set.
 */
struct schema_name {
        const char *key;
        size_t key_len;
        uint32_t hash;
        size_t slot;
        const struct schema *property; /* "properties" value or NULL */
};

struct schema_dependency {
        const struct schema_name *key;
        const struct schema *schema; /* schema form, or NULL */
        const struct schema_name **required_names; /* array form */
        size_t required_count;
};

struct schema_pattern_property {
        struct schema_regex *regex;
        const struct schema *schema;
};

/* Keyword presence flags of a compiled node. */
enum {
        SCHEMA_HAS_CONST = 1 << 0,
        SCHEMA_HAS_ENUM = 1 << 1,
        SCHEMA_HAS_MAX_LENGTH = 1 << 2,
        SCHEMA_HAS_MIN_LENGTH = 1 << 3,
        SCHEMA_HAS_MAX_ITEMS = 1 << 4,
        SCHEMA_HAS_MIN_ITEMS = 1 << 5,
        SCHEMA_HAS_UNIQUE_ITEMS = 1 << 6,
        SCHEMA_HAS_MAX_PROPERTIES = 1 << 7,
        SCHEMA_HAS_MIN_PROPERTIES = 1 << 8,
        SCHEMA_HAS_NUMBER_KEYWORDS = 1 << 9,
        SCHEMA_HAS_STRING_KEYWORDS = 1 << 10,
        SCHEMA_HAS_ARRAY_KEYWORDS = 1 << 11,
        SCHEMA_HAS_OBJECT_KEYWORDS = 1 << 12,
        SCHEMA_HAS_APPLICATORS = 1 << 13,
};

struct schema {
        struct schema_ctx *ctx;
        size_t serial; /* index in ctx->nodes */
        const struct json_value *source;
        char *location; /* JSON pointer of the schema in its document */
        int boolean;    /* 0 or 1 for a boolean schema, -1 otherwise */
        unsigned flags;

        /* "$ref": when set, every other keyword is ignored. */
        char *ref_uri;
        const struct schema *ref;

        unsigned types; /* 0 when "type" is absent */
        const struct json_value *const_value;
        const struct json_value *enum_values; /* an array */

        const struct json_value *maximum;
        const struct json_value *exclusive_maximum;
        const struct json_value *minimum;
        const struct json_value *exclusive_minimum;
        const struct json_value *multiple_of_value;
        struct schema_decimal *multiple_of;

        size_t max_length;
        size_t min_length;
        struct schema_regex *pattern;
        enum schema_format format;
        const char *format_name;

        const struct schema *items; /* single-schema form */
        const struct schema **item_list; /* array form */
        size_t item_count;
        int items_is_list;
        const struct schema *additional_items;
        size_t max_items;
        size_t min_items;
        const struct schema *contains;

        size_t max_properties;
        size_t min_properties;
        struct schema_name *names; /* open-addressing table */
        size_t name_mask;          /* table size - 1, or 0 without table */
        size_t slot_count;
        const struct schema_name **required;
        size_t required_count;
        struct schema_pattern_property *pattern_properties;
        size_t pattern_property_count;
        const struct schema *additional_properties;
        struct schema_dependency *dependencies;
        size_t dependency_count;
        const struct schema *property_names;

        const struct schema **all_of;
        size_t all_of_count;
        const struct schema **any_of;
        size_t any_of_count;
        const struct schema **one_of;
        size_t one_of_count;
        const struct schema *not_schema;
        const struct schema *if_schema;
        const struct schema *then_schema;
        const struct schema *else_schema;
};

/* Open-addressing map from a byte string to a pointer. */
struct schema_map_entry {
        const void *key;
        size_t key_len;
        uint32_t hash;
        void *value;
};

struct schema_map {
        struct schema_map_entry *entries;
        size_t mask;
        size_t count;
};

/* One step of the instance path: a member name, or an index if key NULL. */
struct schema_path_step {
        const char *key;
        size_t key_len;
        size_t index;
};

/* Where an indexed schema value sits: its base URI and its location. */
struct schema_place {
        const char *base;
        const char *location;
};

struct schema_ctx {
        const struct json_value *document;
        struct schema_options options;

        struct schema_map places; /* value pointer -> struct schema_place */
        struct schema_map ids;    /* absolute URI -> value */
        struct schema_map memo;   /* value pointer -> struct schema */
        void **kept; /* every block the maps point to */
        size_t kept_count;
        size_t kept_cap;
        struct json_doc *meta_doc;
        const struct json_value *meta_root;

        struct schema **nodes; /* every node, for schema_ctx_destroy() */
        size_t node_count;
        size_t node_cap;
        size_t committed_nodes; /* nodes of finished compilations */
        struct schema **pending; /* "$ref" nodes still to resolve */
        size_t pending_count;
        size_t pending_cap;

        /* Validation scratch; a context validates in one thread. */
        struct schema_error *report; /* the caller's, may be NULL */
        struct schema_error *err;    /* NULL while checking quietly */
        int aborted; /* a limit was hit: the result is invalid, no retry */
        size_t depth;
        struct schema_path_step path[SCHEMA_MAX_DEPTH + 2];
        size_t path_len;
        uint64_t *slot_bits;
        size_t slot_words;
        struct buf text;
        void *match_data;    /* pcre2_match_data_8 */
        void *match_context; /* pcre2_match_context_8 */
        void *jit_stack;     /* pcre2_jit_stack_8 */
        mpz_t num_a;
        mpz_t num_b;
        struct schema_decimal scratch_decimal;
        struct buf scratch_digits;
        struct schema_hash_item *hash_items;
        size_t hash_item_cap;
};

struct schema_hash_item {
        uint64_t hash;
        size_t index;
};

/* The state of one schema_compile() call. */
struct schema_compiler {
        struct schema_ctx *ctx;
        char *errstr;
        size_t errstr_size;
        int failed;
};

/* schema.c */
/* Compiles v (memoized); returns NULL after a failure. */
struct schema *schema_compile_value(struct schema_compiler *c,
                                    const struct json_value *v,
                                    const char *base, const char *location,
                                    int depth);
/* Records the first compile error as "location/keyword: message". */
int schema_compile_fail(struct schema_compiler *c, const char *location,
                        const char *keyword, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* schema_keywords.c */
/* Compiles the keywords of object schema v into node; -1 on failure. */
int schema_keywords_compile(struct schema_compiler *c, struct schema *node,
                            const struct json_value *v, const char *base,
                            int depth);
/* Frees what schema_keywords_compile() allocated for node. */
void schema_keywords_free(struct schema *node);

/* schema_map.c */
uint32_t schema_hash_bytes(const void *data, size_t len);
void schema_map_put(struct schema_map *map, const void *key, size_t key_len,
                    void *value);
void *schema_map_get(const struct schema_map *map, const void *key,
                     size_t key_len);
void schema_map_free(struct schema_map *map);
/* Keeps only the entries for which keep() returns nonzero. */
void schema_map_filter(struct schema_map *map,
                       int (*keep)(const struct schema_map_entry *e,
                                   void *opaque),
                       void *opaque);

/* schema_uri.c */
/* Resolves reference against base (RFC 3986 section 5) into out. */
void schema_uri_resolve(const char *base, const char *reference,
                        struct buf *out);
/* Decodes %XX escapes of s into out; returns -1 on a malformed escape. */
int schema_uri_percent_decode(const char *s, size_t len, struct buf *out);

/* schema_regex.c */
/*
 * Compiles an ECMA-262 pattern. Returns NULL with the PCRE2 reason and
 * offset in errstr. Free with schema_regex_free().
 */
struct schema_regex *schema_regex_compile(const char *source, size_t len,
                                          char *errstr, size_t errstr_size);
void schema_regex_free(struct schema_regex *re);
/* Returns 1 on a match, 0 on none, -1 when a match limit was hit. */
int schema_regex_search(struct schema_ctx *ctx, const struct schema_regex *re,
                        const char *subject, size_t len);
void schema_regex_ctx_init(struct schema_ctx *ctx);
void schema_regex_ctx_free(struct schema_ctx *ctx);

/* schema_number.c */
/* Parses a JSON number literal; the result owns a copy of the digits. */
void schema_decimal_parse(const char *text, size_t len,
                          struct schema_decimal *out);
void schema_decimal_free(struct schema_decimal *d);
/* Returns 1 when instance is an integer multiple of divisor, else 0. */
int schema_number_is_multiple(struct schema_ctx *ctx,
                              const struct json_value *instance,
                              const struct schema_decimal *divisor);
/* Compares two numbers exactly: -1, 0 or 1. */
int schema_number_cmp(const struct json_value *a, const struct json_value *b);
void schema_number_ctx_init(struct schema_ctx *ctx);
void schema_number_ctx_free(struct schema_ctx *ctx);
/* A hash of v that agrees with json_equal(): equal values hash alike. */
uint64_t schema_value_hash(const struct json_value *v);

/* schema_format.c */
/* Returns the format for a "format" name, SCHEMA_FORMAT_NONE if unknown. */
enum schema_format schema_format_lookup(const char *name, size_t len);
/* Returns 1 when s (len bytes of UTF-8) conforms to format, else 0. */
int schema_format_check(enum schema_format format, const char *s,
                        size_t len);

/* schema_validate.c */
int schema_validate_node(struct schema_ctx *ctx, const struct schema *s,
                         const struct json_value *v, const char *keyword);

/* schema_message.c */
/* Appends v as compact JSON, cut to about max bytes with "...". */
void schema_message_quote(struct buf *out, const struct json_value *v,
                          size_t max);
/* Appends "integer", "string or null", "string, number or null". */
void schema_message_types(struct buf *out, unsigned types);

#endif
