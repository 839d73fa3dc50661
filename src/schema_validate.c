/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Validation against compiled schemas. It reads only compiled nodes, never
 * the schema JSON, allocates nothing on the success path (scratch memory
 * lives in the context), and stops with an error past SCHEMA_MAX_DEPTH.
 * Messages are only formatted for the error that is reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "schema_internal.h"

static void write_pointer(const struct schema_ctx *ctx, char *out,
                          size_t out_size)
{
        struct buf pointer = BUF_INIT;
        for (size_t i = 0; i < ctx->path_len; i++) {
                const struct schema_path_step *step = &ctx->path[i];
                if (step->key)
                        json_pointer_append(&pointer, step->key,
                                            step->key_len);
                else
                        buf_printf(&pointer, "/%zu", step->index);
        }
        snprintf(out, out_size, "%s", pointer.data ? pointer.data : "");
        buf_free(&pointer);
}

/* Starts a message in ctx->text. Call it only when an error is wanted. */
static struct buf *message_begin(struct schema_ctx *ctx)
{
        buf_clear(&ctx->text);
        buf_append(&ctx->text, "", 0);
        return &ctx->text;
}

static int report_to(struct schema_ctx *ctx, struct schema_error *err,
                     const char *keyword)
{
        write_pointer(ctx, err->pointer, sizeof(err->pointer));
        err->keyword = keyword;
        snprintf(err->message, sizeof(err->message), "%s", ctx->text.data);
        return 1;
}

/* Records the message in ctx->text as the error and returns 1. */
static int fail_text(struct schema_ctx *ctx, const char *keyword)
{
        return ctx->err ? report_to(ctx, ctx->err, keyword) : 1;
}

static int fail(struct schema_ctx *ctx, const char *keyword, const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));

static int fail(struct schema_ctx *ctx, const char *keyword, const char *fmt,
                ...)
{
        if (!ctx->err)
                return 1;
        char message[sizeof(ctx->err->message)];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof(message), fmt, ap);
        va_end(ap);
        buf_append_str(message_begin(ctx), message);
        return fail_text(ctx, keyword);
}

/*
 * Stops the whole validation: a limit was hit, so no subschema result can
 * be trusted, whether or not it is being checked quietly.
 */
static int abort_text(struct schema_ctx *ctx, const char *keyword)
{
        ctx->aborted = 1;
        return ctx->report ? report_to(ctx, ctx->report, keyword) : 1;
}

static void append_got(struct buf *t, const struct json_value *v)
{
        /* "got null" says it all; other values show their text too. */
        if (v->type == JSON_NULL) {
                buf_append_str(t, "got null");
                return;
        }
        buf_printf(t, "got %s ", json_type_name(v));
        schema_message_quote(t, v, SCHEMA_QUOTE_MAX);
}

static void path_push(struct schema_ctx *ctx, const char *key,
                      size_t key_len, size_t index)
{
        struct schema_path_step *step = &ctx->path[ctx->path_len++];
        step->key = key;
        step->key_len = key_len;
        step->index = index;
}

/* Validates a child value: a member (key) or an item (index). */
static int check_child(struct schema_ctx *ctx, const struct schema *s,
                       const struct json_value *v, const char *keyword,
                       const char *key, size_t key_len, size_t index)
{
        path_push(ctx, key, key_len, index);
        int rc = schema_validate_node(ctx, s, v, keyword);
        ctx->path_len--;
        return rc;
}

/* Validates without recording an error: 0 valid, 1 invalid, -1 aborted. */
static int check_quietly(struct schema_ctx *ctx, const struct schema *s,
                         const struct json_value *v, const char *keyword)
{
        struct schema_error *saved = ctx->err;
        ctx->err = NULL;
        int rc = schema_validate_node(ctx, s, v, keyword);
        ctx->err = saved;
        return ctx->aborted ? -1 : rc;
}

static unsigned instance_type(const struct json_value *v)
{
        switch (v->type) {
        case JSON_NULL:
                return SCHEMA_TYPE_NULL;
        case JSON_BOOL:
                return SCHEMA_TYPE_BOOLEAN;
        case JSON_NUMBER:
                return v->u.number.is_integer
                               ? SCHEMA_TYPE_INTEGER | SCHEMA_TYPE_NUMBER
                               : SCHEMA_TYPE_NUMBER;
        case JSON_STRING:
                return SCHEMA_TYPE_STRING;
        case JSON_ARRAY:
                return SCHEMA_TYPE_ARRAY;
        case JSON_OBJECT:
                return SCHEMA_TYPE_OBJECT;
        }
        return 0;
}

static int fail_type(struct schema_ctx *ctx, const struct schema *s,
                     const struct json_value *v)
{
        if (!ctx->err)
                return 1;
        struct buf *t = message_begin(ctx);
        buf_append_str(t, "expected ");
        schema_message_types(t, s->types);
        buf_append_str(t, ", ");
        append_got(t, v);
        return fail_text(ctx, "type");
}

static int fail_const(struct schema_ctx *ctx, const struct schema *s,
                      const struct json_value *v)
{
        if (!ctx->err)
                return 1;
        struct buf *t = message_begin(ctx);
        buf_append_str(t, "expected ");
        schema_message_quote(t, s->const_value, SCHEMA_QUOTE_MAX);
        buf_append_str(t, ", ");
        append_got(t, v);
        return fail_text(ctx, "const");
}

/* Lists the allowed values up to about this many bytes. */
#define ENUM_LIST_MAX 160

static int fail_enum(struct schema_ctx *ctx, const struct schema *s,
                     const struct json_value *v)
{
        if (!ctx->err)
                return 1;
        struct buf *t = message_begin(ctx);
        const struct json_value *values = s->enum_values;
        size_t i = 0;
        buf_append_str(t, "expected one of ");
        size_t start = t->len;
        for (; i < values->u.array.count && t->len - start < ENUM_LIST_MAX;
             i++) {
                schema_message_quote(t, values->u.array.items[i],
                                     SCHEMA_QUOTE_MAX);
                buf_append_str(t, ", ");
        }
        if (i < values->u.array.count)
                buf_append_str(t, "... ");
        if (values->u.array.count == 0)
                buf_append_str(t, "no value (the enum is empty), ");
        buf_append_str(t, "got ");
        schema_message_quote(t, v, SCHEMA_QUOTE_MAX);
        return fail_text(ctx, "enum");
}

static int in_enum(const struct json_value *values, const struct json_value *v)
{
        for (size_t i = 0; i < values->u.array.count; i++) {
                if (json_equal(values->u.array.items[i], v))
                        return 1;
        }
        return 0;
}

static int fail_bound(struct schema_ctx *ctx, const char *keyword,
                      const char *expected, const struct json_value *bound,
                      const struct json_value *v)
{
        if (!ctx->err)
                return 1;
        struct buf *t = message_begin(ctx);
        buf_printf(t, "expected %s ", expected);
        schema_message_quote(t, bound, SCHEMA_QUOTE_MAX);
        buf_append_str(t, ", got ");
        schema_message_quote(t, v, SCHEMA_QUOTE_MAX);
        return fail_text(ctx, keyword);
}

static int check_number(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_value *v)
{
        if (s->maximum && schema_number_cmp(v, s->maximum) > 0)
                return fail_bound(ctx, "maximum", "at most", s->maximum, v);
        if (s->exclusive_maximum &&
            schema_number_cmp(v, s->exclusive_maximum) >= 0)
                return fail_bound(ctx, "exclusiveMaximum", "less than",
                                  s->exclusive_maximum, v);
        if (s->minimum && schema_number_cmp(v, s->minimum) < 0)
                return fail_bound(ctx, "minimum", "at least", s->minimum, v);
        if (s->exclusive_minimum &&
            schema_number_cmp(v, s->exclusive_minimum) <= 0)
                return fail_bound(ctx, "exclusiveMinimum", "greater than",
                                  s->exclusive_minimum, v);
        if (s->multiple_of &&
            !schema_number_is_multiple(ctx, v, s->multiple_of))
                return fail_bound(ctx, "multipleOf", "a multiple of",
                                  s->multiple_of_value, v);
        return 0;
}

static size_t code_points(const char *s, size_t len)
{
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
                n += ((unsigned char)s[i] & 0xc0) != 0x80;
        return n;
}

static int check_length(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_value *v)
{
        size_t bytes = v->u.string.len;
        /* A code point takes one to four bytes. */
        int may_be_long = s->flags & SCHEMA_HAS_MAX_LENGTH &&
                          bytes > s->max_length;
        int may_be_short = s->flags & SCHEMA_HAS_MIN_LENGTH &&
                           bytes / 4 < s->min_length;
        if (!may_be_long && !may_be_short)
                return 0;
        size_t n = code_points(v->u.string.s, bytes);
        if (may_be_long && n > s->max_length)
                return fail(ctx, "maxLength",
                            "expected at most %zu characters, got %zu",
                            s->max_length, n);
        if (may_be_short && n < s->min_length)
                return fail(ctx, "minLength",
                            "expected at least %zu characters, got %zu",
                            s->min_length, n);
        return 0;
}

static void quote_text(struct buf *t, const char *s, size_t len)
{
        struct json_value text;
        memset(&text, 0, sizeof(text));
        text.type = JSON_STRING;
        text.u.string.s = s;
        text.u.string.len = len;
        schema_message_quote(t, &text, SCHEMA_QUOTE_MAX);
}

/* Reports a regex that hit a match limit on subject. */
static int abort_regex(struct schema_ctx *ctx, const char *keyword,
                       const struct schema_regex *re, const char *subject,
                       size_t len)
{
        struct buf *t = message_begin(ctx);
        buf_append_str(t, "pattern ");
        quote_text(t, re->source, strlen(re->source));
        buf_append_str(t, " hit the regex match limit on ");
        quote_text(t, subject, len);
        buf_append_str(t, ", so the value counts as invalid");
        return abort_text(ctx, keyword);
}

static int check_string(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_value *v)
{
        const char *str = v->u.string.s;
        size_t len = v->u.string.len;
        if (check_length(ctx, s, v))
                return 1;
        if (s->pattern) {
                int rc = schema_regex_search(ctx, s->pattern, str, len);
                if (rc < 0)
                        return abort_regex(ctx, "pattern", s->pattern, str,
                                           len);
                if (rc == 0 && ctx->err) {
                        struct buf *t = message_begin(ctx);
                        buf_append_str(t, "expected a string matching ");
                        quote_text(t, s->pattern->source,
                                   strlen(s->pattern->source));
                        buf_append_str(t, ", got ");
                        schema_message_quote(t, v, SCHEMA_QUOTE_MAX);
                        return fail_text(ctx, "pattern");
                }
                if (rc == 0)
                        return 1;
        }
        if (s->format != SCHEMA_FORMAT_NONE &&
            !schema_format_check(s->format, str, len)) {
                if (!ctx->err)
                        return 1;
                struct buf *t = message_begin(ctx);
                buf_printf(t, "expected format \"%s\", got ", s->format_name);
                schema_message_quote(t, v, SCHEMA_QUOTE_MAX);
                return fail_text(ctx, "format");
        }
        return 0;
}

static int compare_hash_items(const void *a, const void *b)
{
        const struct schema_hash_item *x = a, *y = b;
        if (x->hash != y->hash)
                return x->hash < y->hash ? -1 : 1;
        return (x->index > y->index) - (x->index < y->index);
}

/* Up to this many items, comparing every pair beats hashing. */
#define UNIQUE_PAIRWISE_MAX 16

/* Finds two equal items, *first < *second, or returns 0 if all differ. */
static int find_duplicate(struct schema_ctx *ctx, const struct json_value *v,
                          size_t *first, size_t *second)
{
        size_t n = v->u.array.count;
        struct json_value **items = v->u.array.items;
        if (n <= UNIQUE_PAIRWISE_MAX) {
                for (size_t j = 1; j < n; j++) {
                        for (size_t i = 0; i < j; i++) {
                                if (json_equal(items[i], items[j])) {
                                        *first = i;
                                        *second = j;
                                        return 1;
                                }
                        }
                }
                return 0;
        }
        if (ctx->hash_item_cap < n) {
                ctx->hash_item_cap = n * 2;
                ctx->hash_items = xrealloc(
                        ctx->hash_items,
                        ctx->hash_item_cap * sizeof(*ctx->hash_items));
        }
        struct schema_hash_item *h = ctx->hash_items;
        for (size_t i = 0; i < n; i++) {
                h[i].hash = schema_value_hash(items[i]);
                h[i].index = i;
        }
        qsort(h, n, sizeof(*h), compare_hash_items);
        for (size_t i = 0; i + 1 < n; i++) {
                for (size_t j = i + 1; j < n && h[j].hash == h[i].hash; j++) {
                        if (json_equal(items[h[i].index], items[h[j].index])) {
                                *first = h[i].index;
                                *second = h[j].index;
                                return 1;
                        }
                }
        }
        return 0;
}

static int check_items(struct schema_ctx *ctx, const struct schema *s,
                       const struct json_value *v)
{
        size_t n = v->u.array.count;
        struct json_value **items = v->u.array.items;
        if (s->items) {
                for (size_t i = 0; i < n; i++) {
                        if (check_child(ctx, s->items, items[i], "items",
                                        NULL, 0, i))
                                return 1;
                }
                return 0;
        }
        if (!s->items_is_list)
                return 0;
        size_t listed = n < s->item_count ? n : s->item_count;
        for (size_t i = 0; i < listed; i++) {
                if (check_child(ctx, s->item_list[i], items[i], "items", NULL,
                                0, i))
                        return 1;
        }
        const struct schema *extra = s->additional_items;
        if (!extra || n <= listed)
                return 0;
        if (extra->boolean == 0)
                return fail(ctx, "additionalItems",
                            "expected at most %zu items, got %zu",
                            s->item_count, n);
        for (size_t i = listed; i < n; i++) {
                if (check_child(ctx, extra, items[i], "additionalItems", NULL,
                                0, i))
                        return 1;
        }
        return 0;
}

static int check_contains(struct schema_ctx *ctx, const struct schema *s,
                          const struct json_value *v)
{
        for (size_t i = 0; i < v->u.array.count; i++) {
                path_push(ctx, NULL, 0, i);
                int rc = check_quietly(ctx, s->contains, v->u.array.items[i],
                                       "contains");
                ctx->path_len--;
                if (rc < 0)
                        return 1;
                if (rc == 0)
                        return 0;
        }
        return fail(ctx, "contains",
                    "expected at least one item valid against the "
                    "\"contains\" schema, got none of %zu",
                    v->u.array.count);
}

static int check_array(struct schema_ctx *ctx, const struct schema *s,
                       const struct json_value *v)
{
        size_t n = v->u.array.count;
        if (s->flags & SCHEMA_HAS_MAX_ITEMS && n > s->max_items)
                return fail(ctx, "maxItems",
                            "expected at most %zu items, got %zu",
                            s->max_items, n);
        if (s->flags & SCHEMA_HAS_MIN_ITEMS && n < s->min_items)
                return fail(ctx, "minItems",
                            "expected at least %zu items, got %zu",
                            s->min_items, n);
        size_t first, second;
        if (s->flags & SCHEMA_HAS_UNIQUE_ITEMS &&
            find_duplicate(ctx, v, &first, &second))
                return fail(ctx, "uniqueItems",
                            "expected unique items, but items %zu and %zu "
                            "are equal",
                            first, second);
        if (check_items(ctx, s, v))
                return 1;
        if (s->contains && check_contains(ctx, s, v))
                return 1;
        return 0;
}

static const struct schema_name *find_name(const struct schema *s,
                                           const char *key, size_t key_len)
{
        if (!s->names)
                return NULL;
        uint32_t hash = schema_hash_bytes(key, key_len);
        for (size_t i = hash & s->name_mask;; i = (i + 1) & s->name_mask) {
                const struct schema_name *e = &s->names[i];
                if (!e->key)
                        return NULL;
                if (e->hash == hash && e->key_len == key_len &&
                    memcmp(e->key, key, key_len) == 0)
                        return e;
        }
}

static int slot_marked(const struct schema_ctx *ctx, size_t slot)
{
        return (ctx->slot_bits[slot / 64] >> (slot % 64)) & 1;
}

static void quote_key(struct buf *t, const char *key, size_t key_len)
{
        quote_text(t, key, key_len);
}

/*
 * Checks "required" and the array form of "dependencies" with one pass
 * over the members, marking each name the node mentions.
 */
static int check_present(struct schema_ctx *ctx, const struct schema *s,
                         const struct json_value *v)
{
        memset(ctx->slot_bits, 0, (s->slot_count + 63) / 64 * 8);
        for (size_t i = 0; i < v->u.object.count; i++) {
                const struct json_member *m = &v->u.object.members[i];
                const struct schema_name *e = find_name(s, m->key, m->key_len);
                if (e)
                        ctx->slot_bits[e->slot / 64] |= 1ull << (e->slot % 64);
        }
        for (size_t i = 0; i < s->required_count; i++) {
                const struct schema_name *e = s->required[i];
                if (slot_marked(ctx, e->slot))
                        continue;
                if (!ctx->err)
                        return 1;
                struct buf *t = message_begin(ctx);
                buf_append_str(t, "missing property ");
                quote_key(t, e->key, e->key_len);
                return fail_text(ctx, "required");
        }
        for (size_t i = 0; i < s->dependency_count; i++) {
                const struct schema_dependency *d = &s->dependencies[i];
                if (!d->required_count || !slot_marked(ctx, d->key->slot))
                        continue;
                for (size_t k = 0; k < d->required_count; k++) {
                        const struct schema_name *e = d->required_names[k];
                        if (slot_marked(ctx, e->slot))
                                continue;
                        if (!ctx->err)
                                return 1;
                        struct buf *t = message_begin(ctx);
                        buf_append_str(t, "property ");
                        quote_key(t, d->key->key, d->key->key_len);
                        buf_append_str(t, " requires property ");
                        quote_key(t, e->key, e->key_len);
                        return fail_text(ctx, "dependencies");
                }
        }
        return 0;
}

static int check_property_name(struct schema_ctx *ctx,
                               const struct schema *s,
                               const struct json_member *m)
{
        struct json_value name;
        memset(&name, 0, sizeof(name));
        name.type = JSON_STRING;
        name.u.string.s = m->key;
        name.u.string.len = m->key_len;
        if (!ctx->err) {
                int rc = check_quietly(ctx, s->property_names, &name,
                                       "propertyNames");
                return rc != 0;
        }
        struct schema_error inner;
        struct schema_error *saved = ctx->err;
        ctx->err = &inner;
        int rc = schema_validate_node(ctx, s->property_names, &name,
                                      "propertyNames");
        ctx->err = saved;
        if (rc == 0 || ctx->aborted)
                return rc;
        struct buf *t = message_begin(ctx);
        buf_append_str(t, "invalid property name ");
        quote_key(t, m->key, m->key_len);
        buf_printf(t, ": %s: %s", inner.keyword, inner.message);
        return fail_text(ctx, "propertyNames");
}

/* Applies properties, patternProperties and additionalProperties. */
static int check_member(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_member *m)
{
        const struct schema_name *e = find_name(s, m->key, m->key_len);
        int matched = 0;
        if (e && e->property) {
                matched = 1;
                if (check_child(ctx, e->property, m->value, "properties",
                                m->key, m->key_len, 0))
                        return 1;
        }
        for (size_t i = 0; i < s->pattern_property_count; i++) {
                const struct schema_pattern_property *p =
                        &s->pattern_properties[i];
                int rc = schema_regex_search(ctx, p->regex, m->key,
                                             m->key_len);
                if (rc < 0)
                        return abort_regex(ctx, "patternProperties", p->regex,
                                           m->key, m->key_len);
                if (rc == 0)
                        continue;
                matched = 1;
                if (check_child(ctx, p->schema, m->value, "patternProperties",
                                m->key, m->key_len, 0))
                        return 1;
        }
        const struct schema *extra = s->additional_properties;
        if (matched || !extra)
                return 0;
        if (extra->boolean == 0) {
                if (!ctx->err)
                        return 1;
                struct buf *t = message_begin(ctx);
                buf_append_str(t, "unexpected property ");
                quote_key(t, m->key, m->key_len);
                return fail_text(ctx, "additionalProperties");
        }
        return check_child(ctx, extra, m->value, "additionalProperties",
                           m->key, m->key_len, 0);
}

static int check_object(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_value *v)
{
        size_t n = v->u.object.count;
        if (s->flags & SCHEMA_HAS_MAX_PROPERTIES && n > s->max_properties)
                return fail(ctx, "maxProperties",
                            "expected at most %zu properties, got %zu",
                            s->max_properties, n);
        if (s->flags & SCHEMA_HAS_MIN_PROPERTIES && n < s->min_properties)
                return fail(ctx, "minProperties",
                            "expected at least %zu properties, got %zu",
                            s->min_properties, n);
        if ((s->required_count || s->dependency_count) &&
            check_present(ctx, s, v))
                return 1;
        for (size_t i = 0; i < n; i++) {
                const struct json_member *m = &v->u.object.members[i];
                if (check_member(ctx, s, m))
                        return 1;
                if (s->property_names && check_property_name(ctx, s, m))
                        return 1;
        }
        for (size_t i = 0; i < s->dependency_count; i++) {
                const struct schema_dependency *d = &s->dependencies[i];
                if (d->schema &&
                    json_object_getn(v, d->key->key, d->key->key_len) &&
                    schema_validate_node(ctx, d->schema, v, "dependencies"))
                        return 1;
        }
        return 0;
}

static int check_any_of(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_value *v)
{
        for (size_t i = 0; i < s->any_of_count; i++) {
                int rc = check_quietly(ctx, s->any_of[i], v, "anyOf");
                if (rc <= 0)
                        return rc < 0;
        }
        return fail(ctx, "anyOf", "not valid against any of the %zu schemas",
                    s->any_of_count);
}

static int check_one_of(struct schema_ctx *ctx, const struct schema *s,
                        const struct json_value *v)
{
        size_t matched = 0, first = 0;
        for (size_t i = 0; i < s->one_of_count; i++) {
                int rc = check_quietly(ctx, s->one_of[i], v, "oneOf");
                if (rc < 0)
                        return 1;
                if (rc > 0)
                        continue;
                if (matched++ == 0) {
                        first = i;
                        continue;
                }
                return fail(ctx, "oneOf",
                            "expected exactly one valid schema, but schemas "
                            "%zu and %zu are valid",
                            first, i);
        }
        if (matched == 1)
                return 0;
        return fail(ctx, "oneOf", "not valid against any of the %zu schemas",
                    s->one_of_count);
}

static int check_if(struct schema_ctx *ctx, const struct schema *s,
                    const struct json_value *v)
{
        int rc = check_quietly(ctx, s->if_schema, v, "if");
        if (rc < 0)
                return 1;
        if (rc == 0 && s->then_schema)
                return schema_validate_node(ctx, s->then_schema, v, "then");
        if (rc > 0 && s->else_schema)
                return schema_validate_node(ctx, s->else_schema, v, "else");
        return 0;
}

static int check_applicators(struct schema_ctx *ctx, const struct schema *s,
                             const struct json_value *v)
{
        for (size_t i = 0; i < s->all_of_count; i++) {
                if (schema_validate_node(ctx, s->all_of[i], v, "allOf"))
                        return 1;
        }
        if (s->any_of && check_any_of(ctx, s, v))
                return 1;
        if (s->one_of && check_one_of(ctx, s, v))
                return 1;
        if (s->not_schema) {
                int rc = check_quietly(ctx, s->not_schema, v, "not");
                if (rc < 0)
                        return 1;
                if (rc == 0)
                        return fail(ctx, "not",
                                    "expected a value not valid against the "
                                    "\"not\" schema");
        }
        if (s->if_schema && check_if(ctx, s, v))
                return 1;
        return 0;
}

static int check_keywords(struct schema_ctx *ctx, const struct schema *s,
                          const struct json_value *v)
{
        if (s->types && !(s->types & instance_type(v)))
                return fail_type(ctx, s, v);
        if (s->flags & SCHEMA_HAS_CONST && !json_equal(s->const_value, v))
                return fail_const(ctx, s, v);
        if (s->flags & SCHEMA_HAS_ENUM && !in_enum(s->enum_values, v))
                return fail_enum(ctx, s, v);
        int rc = 0;
        switch (v->type) {
        case JSON_NUMBER:
                if (s->flags & SCHEMA_HAS_NUMBER_KEYWORDS)
                        rc = check_number(ctx, s, v);
                break;
        case JSON_STRING:
                if (s->flags & SCHEMA_HAS_STRING_KEYWORDS)
                        rc = check_string(ctx, s, v);
                break;
        case JSON_ARRAY:
                if (s->flags & SCHEMA_HAS_ARRAY_KEYWORDS)
                        rc = check_array(ctx, s, v);
                break;
        case JSON_OBJECT:
                if (s->flags & SCHEMA_HAS_OBJECT_KEYWORDS)
                        rc = check_object(ctx, s, v);
                break;
        default:
                break;
        }
        if (rc)
                return rc;
        if (s->flags & SCHEMA_HAS_APPLICATORS)
                return check_applicators(ctx, s, v);
        return 0;
}

/*
 * keyword names how s was reached ("items", "$ref", ...; NULL at the
 * root); it labels errors that belong to no keyword of s itself.
 */
int schema_validate_node(struct schema_ctx *ctx, const struct schema *s,
                         const struct json_value *v, const char *keyword)
{
        if (ctx->aborted)
                return 1;
        /* Chains of "$ref" are acyclic: schema_compile() checked them. */
        while (s->ref) {
                s = s->ref;
                keyword = "$ref";
        }
        if (s->boolean == 1)
                return 0;
        if (s->boolean == 0)
                return fail(ctx, keyword ? keyword : "false",
                            "no value is valid against the false schema");
        if (ctx->depth >= SCHEMA_MAX_DEPTH) {
                struct buf *t = message_begin(ctx);
                buf_printf(t,
                           "schema and instance nested deeper than %d "
                           "levels",
                           SCHEMA_MAX_DEPTH);
                return abort_text(ctx, keyword ? keyword : "$ref");
        }
        ctx->depth++;
        int rc = check_keywords(ctx, s, v);
        ctx->depth--;
        return rc;
}
