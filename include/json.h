/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON values in an arena, a strict RFC 8259 parser on top of yajl, and a
 * compact writer. The parser takes exactly the given bytes: no comments, no
 * trailing data, no byte order mark, strict UTF-8, no duplicate member
 * names; strings may contain U+0000. It never recurses, so any nesting
 * depth up to the caller's limit is safe.
 */
#ifndef CKB_JSON_H
#define CKB_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type {
        JSON_NULL,
        JSON_BOOL,
        JSON_NUMBER,
        JSON_STRING,
        JSON_ARRAY,
        JSON_OBJECT,
};

struct json_value;

struct json_member {
        const char *key; /* NUL-terminated, may also contain NUL bytes */
        size_t key_len;
        struct json_value *value;
};

struct json_value {
        enum json_type type;
        union {
                int boolean;
                struct {
                        const char *text; /* the literal as written */
                        size_t len;
                        double d;       /* nearest double, may be +-inf */
                        int is_integer; /* mathematically an integer */
                        int fits_int64; /* i is exact */
                        int64_t i;
                } number;
                struct {
                        const char *s; /* UTF-8, NUL-terminated */
                        size_t len;    /* bytes, without the terminator */
                } string;
                struct {
                        struct json_value **items;
                        size_t count;
                        size_t cap;
                } array;
                struct {
                        struct json_member *members; /* in document order */
                        size_t count;
                        size_t cap;
                } object;
        } u;
};

/*
 * A document: an arena that owns every value, string and array created in
 * it. Values are freed all at once by json_doc_reset() or
 * json_doc_destroy(). Not thread-safe; one document per thread.
 */
struct json_doc;

struct json_doc *json_doc_new(void);
/* Frees every value of the document but keeps the arena's memory. */
void json_doc_reset(struct json_doc *doc);
void json_doc_destroy(struct json_doc *doc);

/*
 * Returns 1 if v was allocated in doc since its last reset, else 0. It
 * checks v itself, not the values inside it, which are in doc too when v
 * was parsed into doc.
 */
int json_doc_owns(const struct json_doc *doc, const struct json_value *v);

enum json_error {
        JSON_OK = 0,
        JSON_ERR_SYNTAX,    /* not JSON, comments, trailing data, BOM ... */
        JSON_ERR_UTF8,      /* invalid UTF-8 in the input */
        JSON_ERR_DUPLICATE, /* duplicate member name in an object */
        JSON_ERR_DEPTH,     /* nested deeper than max_depth */
        JSON_ERR_EMPTY,     /* zero bytes or only white space */
};

/*
 * Parses exactly len bytes of buf into doc. max_depth counts containers:
 * a scalar has depth 0, "[]" depth 1, "[[1]]" depth 2.
 * Returns the root value, owned by doc, or NULL with *err set and a reason
 * in errstr such as "malformed JSON at byte 12: trailing data after the
 * value". err may be NULL.
 */
const struct json_value *json_parse(struct json_doc *doc, const char *buf,
                                    size_t len, size_t max_depth,
                                    enum json_error *err, char *errstr,
                                    size_t errstr_size);

/* Constructors: every result is owned by doc. Strings are copied. */
struct json_value *json_new_null(struct json_doc *doc);
struct json_value *json_new_bool(struct json_doc *doc, int b);
struct json_value *json_new_int(struct json_doc *doc, int64_t i);
/* text must be a valid JSON number literal; it is copied. */
struct json_value *json_new_number_text(struct json_doc *doc,
                                        const char *text, size_t len);
struct json_value *json_new_string(struct json_doc *doc, const char *s,
                                   size_t len);
struct json_value *json_new_array(struct json_doc *doc);
struct json_value *json_new_object(struct json_doc *doc);
void json_array_append(struct json_doc *doc, struct json_value *array,
                       struct json_value *item);
/*
 * Copies v and every value inside it into doc, without recursion. v is
 * borrowed and may belong to any document. The copy is owned by doc.
 */
struct json_value *json_copy(struct json_doc *doc, const struct json_value *v);
/* Appends a member; replaces the value if the key exists already. */
void json_object_set(struct json_doc *doc, struct json_value *object,
                     const char *key, size_t key_len,
                     struct json_value *value);

/*
 * Appends a member without looking for an existing one of the same name,
 * in O(1): the caller guarantees names stay unique. The key is borrowed,
 * not copied: it must be NUL-terminated at key_len and live as long as
 * the document's values (a string literal, or a key of a value of doc).
 */
void json_object_append(struct json_doc *doc, struct json_value *object,
                        const char *key, size_t key_len,
                        struct json_value *value);

/* Returns the member's value or NULL; object may be any value. */
const struct json_value *json_object_get(const struct json_value *object,
                                         const char *key);
const struct json_value *json_object_getn(const struct json_value *object,
                                          const char *key, size_t key_len);

/* Returns "null", "boolean", "integer", "number", "string", ... where a
 * number with a zero fraction is an "integer". */
const char *json_type_name(const struct json_value *v);

/* Appends the compact JSON text of v (numbers as their literal). */
struct buf;
void json_write(const struct json_value *v, struct buf *out);

/*
 * Appends a JSON pointer token for key (escaping '~' as "~0" and '/' as
 * "~1") preceded by '/'.
 */
void json_pointer_append(struct buf *pointer, const char *key,
                         size_t key_len);

/*
 * Resolves a JSON pointer (RFC 6901, without the leading '#') against root.
 * Returns NULL when a token does not exist or is malformed.
 */
const struct json_value *json_pointer_get(const struct json_value *root,
                                          const char *pointer,
                                          size_t pointer_len);

/*
 * Compares two JSON numbers exactly as decimals written in their literals
 * (never through double), so 9007199254740993 > 9007199254740992 and
 * 1 == 1.0 == 10e-1. Returns -1, 0 or 1. Huge exponents such as
 * 1e999999999 are compared without expanding them.
 */
int json_number_cmp(const struct json_value *a, const struct json_value *b);

/* JSON equality: 1 equals 1.0, member order does not matter. */
int json_equal(const struct json_value *a, const struct json_value *b);

#endif
