/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiles the keywords of one object schema into a node: checks each
 * keyword's value, pre-parses numbers, compiles regular expressions and
 * subschemas, and builds the property name table. Unknown keywords are
 * ignored, as draft-07 requires.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "schema_internal.h"

static int fail_value(struct schema_compiler *c, const struct schema *node,
                      const char *keyword, const char *expected,
                      const struct json_value *got)
{
        struct buf quoted = BUF_INIT;
        schema_message_quote(&quoted, got, SCHEMA_QUOTE_MAX);
        schema_compile_fail(c, node->location, keyword,
                            "expected %s, got %s %s", expected,
                            json_type_name(got), quoted.data);
        buf_free(&quoted);
        return -1;
}

/*
 * Compiles the subschema at keyword (then key or index, when given) below
 * node. Returns NULL after a failure.
 */
static const struct schema *compile_sub(struct schema_compiler *c,
                                        const struct schema *node,
                                        const struct json_value *sub,
                                        const char *base, int depth,
                                        const char *keyword, const char *key,
                                        size_t key_len, size_t index)
{
        struct buf location = BUF_INIT;
        buf_append_str(&location, node->location);
        json_pointer_append(&location, keyword, strlen(keyword));
        if (key)
                json_pointer_append(&location, key, key_len);
        else if (index != SIZE_MAX)
                buf_printf(&location, "/%zu", index);
        const struct schema *s =
                schema_compile_value(c, sub, base, location.data, depth + 1);
        buf_free(&location);
        return s;
}

static int is_schema_value(const struct json_value *v)
{
        return v->type == JSON_OBJECT || v->type == JSON_BOOL;
}

static int compile_one(struct schema_compiler *c, struct schema *node,
                       const struct json_value *v, const char *base,
                       int depth, const char *keyword,
                       const struct schema **out)
{
        const struct json_value *sub = json_object_get(v, keyword);
        if (!sub)
                return 0;
        if (!is_schema_value(sub))
                return fail_value(c, node, keyword,
                                  "a schema (object or boolean)", sub);
        *out = compile_sub(c, node, sub, base, depth, keyword, NULL, 0,
                           SIZE_MAX);
        return *out ? 0 : -1;
}

/* A non-empty array of schemas: allOf, anyOf, oneOf. */
static int compile_list(struct schema_compiler *c, struct schema *node,
                        const struct json_value *v, const char *base,
                        int depth, const char *keyword,
                        const struct schema ***out, size_t *count)
{
        const struct json_value *list = json_object_get(v, keyword);
        if (!list)
                return 0;
        if (list->type != JSON_ARRAY || list->u.array.count == 0)
                return fail_value(c, node, keyword,
                                  "a non-empty array of schemas", list);
        *out = xcalloc(list->u.array.count, sizeof(**out));
        *count = list->u.array.count;
        for (size_t i = 0; i < list->u.array.count; i++) {
                const struct json_value *sub = list->u.array.items[i];
                if (!is_schema_value(sub))
                        return fail_value(c, node, keyword,
                                          "an array of schemas", list);
                (*out)[i] = compile_sub(c, node, sub, base, depth, keyword,
                                        NULL, 0, i);
                if (!(*out)[i])
                        return -1;
        }
        return 0;
}

static const char *const type_names[] = {"null",   "boolean", "integer",
                                         "number", "string",  "array",
                                         "object"};

static int type_bit(const struct json_value *name)
{
        if (name->type != JSON_STRING)
                return 0;
        for (int i = 0; i < 7; i++) {
                if (strcmp(name->u.string.s, type_names[i]) == 0)
                        return 1 << i;
        }
        return 0;
}

static int compile_type(struct schema_compiler *c, struct schema *node,
                        const struct json_value *v)
{
        const struct json_value *type = json_object_get(v, "type");
        if (!type)
                return 0;
        const char *expected = "a type name or an array of type names";
        if (type->type == JSON_STRING) {
                node->types = (unsigned)type_bit(type);
                return node->types ? 0 : fail_value(c, node, "type", expected,
                                                    type);
        }
        if (type->type != JSON_ARRAY)
                return fail_value(c, node, "type", expected, type);
        for (size_t i = 0; i < type->u.array.count; i++) {
                int bit = type_bit(type->u.array.items[i]);
                if (!bit)
                        return fail_value(c, node, "type", expected, type);
                node->types |= (unsigned)bit;
        }
        /* "type": [] allows nothing, so keep a bit no instance has. */
        if (!node->types)
                node->types = 1u << 7;
        return 0;
}

static int compile_number(struct schema_compiler *c, struct schema *node,
                          const struct json_value *v, const char *keyword,
                          const struct json_value **out)
{
        const struct json_value *n = json_object_get(v, keyword);
        if (!n)
                return 0;
        if (n->type != JSON_NUMBER)
                return fail_value(c, node, keyword, "a number", n);
        *out = n;
        node->flags |= SCHEMA_HAS_NUMBER_KEYWORDS;
        return 0;
}

static int compile_numbers(struct schema_compiler *c, struct schema *node,
                           const struct json_value *v)
{
        if (compile_number(c, node, v, "maximum", &node->maximum) ||
            compile_number(c, node, v, "exclusiveMaximum",
                           &node->exclusive_maximum) ||
            compile_number(c, node, v, "minimum", &node->minimum) ||
            compile_number(c, node, v, "exclusiveMinimum",
                           &node->exclusive_minimum) ||
            compile_number(c, node, v, "multipleOf",
                           &node->multiple_of_value))
                return -1;
        const struct json_value *m = node->multiple_of_value;
        if (!m)
                return 0;
        struct schema_decimal *d = xcalloc(1, sizeof(*d));
        schema_decimal_parse(m->u.number.text, m->u.number.len, d);
        node->multiple_of = d;
        if (d->neg || d->digit_count == 0)
                return fail_value(c, node, "multipleOf",
                                  "a number greater than 0", m);
        return 0;
}

/* Reads a non-negative integer. Values beyond SIZE_MAX count as SIZE_MAX. */
static int compile_count(struct schema_compiler *c, struct schema *node,
                         const struct json_value *v, const char *keyword,
                         unsigned flag, size_t *out)
{
        const struct json_value *n = json_object_get(v, keyword);
        if (!n)
                return 0;
        if (n->type != JSON_NUMBER || !n->u.number.is_integer ||
            n->u.number.text[0] == '-')
                return fail_value(c, node, keyword,
                                  "a non-negative integer", n);
        if (n->u.number.fits_int64 && (uint64_t)n->u.number.i <= SIZE_MAX)
                *out = (size_t)n->u.number.i;
        else
                *out = SIZE_MAX; /* not an int64_t, so past any count */
        node->flags |= flag;
        return 0;
}

static int compile_strings(struct schema_compiler *c, struct schema *node,
                           const struct json_value *v)
{
        if (compile_count(c, node, v, "maxLength", SCHEMA_HAS_MAX_LENGTH,
                          &node->max_length) ||
            compile_count(c, node, v, "minLength", SCHEMA_HAS_MIN_LENGTH,
                          &node->min_length))
                return -1;
        const struct json_value *pattern = json_object_get(v, "pattern");
        if (pattern) {
                if (pattern->type != JSON_STRING)
                        return fail_value(c, node, "pattern",
                                          "a regular expression string",
                                          pattern);
                char reason[200];
                node->pattern = schema_regex_compile(
                        pattern->u.string.s, pattern->u.string.len, reason,
                        sizeof(reason));
                if (!node->pattern)
                        return schema_compile_fail(
                                c, node->location, "pattern",
                                "invalid regular expression: %s", reason);
        }
        const struct json_value *format = json_object_get(v, "format");
        if (format) {
                if (format->type != JSON_STRING)
                        return fail_value(c, node, "format", "a string",
                                          format);
                node->format_name = format->u.string.s;
                if (c->ctx->options.format_assertion)
                        node->format = schema_format_lookup(
                                format->u.string.s, format->u.string.len);
        }
        if (node->flags & (SCHEMA_HAS_MAX_LENGTH | SCHEMA_HAS_MIN_LENGTH) ||
            node->pattern || node->format != SCHEMA_FORMAT_NONE)
                node->flags |= SCHEMA_HAS_STRING_KEYWORDS;
        return 0;
}

static int compile_items(struct schema_compiler *c, struct schema *node,
                         const struct json_value *v, const char *base,
                         int depth)
{
        const struct json_value *items = json_object_get(v, "items");
        if (!items)
                return 0;
        if (is_schema_value(items))
                return compile_one(c, node, v, base, depth, "items",
                                   &node->items);
        if (items->type != JSON_ARRAY)
                return fail_value(c, node, "items",
                                  "a schema or an array of schemas", items);
        node->items_is_list = 1;
        node->item_count = items->u.array.count;
        node->item_list = xcalloc(node->item_count + 1,
                                  sizeof(*node->item_list));
        for (size_t i = 0; i < node->item_count; i++) {
                const struct json_value *sub = items->u.array.items[i];
                if (!is_schema_value(sub))
                        return fail_value(c, node, "items",
                                          "a schema or an array of schemas",
                                          items);
                node->item_list[i] = compile_sub(c, node, sub, base, depth,
                                                 "items", NULL, 0, i);
                if (!node->item_list[i])
                        return -1;
        }
        return 0;
}

static int compile_arrays(struct schema_compiler *c, struct schema *node,
                          const struct json_value *v, const char *base,
                          int depth)
{
        if (compile_items(c, node, v, base, depth))
                return -1;
        /* "additionalItems" only applies beside an array of "items". */
        if (node->items_is_list &&
            compile_one(c, node, v, base, depth, "additionalItems",
                        &node->additional_items))
                return -1;
        if (compile_one(c, node, v, base, depth, "contains", &node->contains) ||
            compile_count(c, node, v, "maxItems", SCHEMA_HAS_MAX_ITEMS,
                          &node->max_items) ||
            compile_count(c, node, v, "minItems", SCHEMA_HAS_MIN_ITEMS,
                          &node->min_items))
                return -1;
        const struct json_value *unique = json_object_get(v, "uniqueItems");
        if (unique) {
                if (unique->type != JSON_BOOL)
                        return fail_value(c, node, "uniqueItems",
                                          "a boolean", unique);
                if (unique->u.boolean)
                        node->flags |= SCHEMA_HAS_UNIQUE_ITEMS;
        }
        if (node->items || node->items_is_list || node->contains ||
            node->flags & (SCHEMA_HAS_MAX_ITEMS | SCHEMA_HAS_MIN_ITEMS |
                           SCHEMA_HAS_UNIQUE_ITEMS))
                node->flags |= SCHEMA_HAS_ARRAY_KEYWORDS;
        return 0;
}

static size_t table_size(size_t names)
{
        size_t size = 8;
        while (size < names * 2)
                size *= 2;
        return size;
}

/* Finds or adds key in node's name table, which has room for it. */
static struct schema_name *name_add(struct schema *node, const char *key,
                                    size_t key_len)
{
        uint32_t hash = schema_hash_bytes(key, key_len);
        size_t i = hash & node->name_mask;
        for (;; i = (i + 1) & node->name_mask) {
                struct schema_name *e = &node->names[i];
                if (!e->key) {
                        e->key = key;
                        e->key_len = key_len;
                        e->hash = hash;
                        e->slot = node->slot_count++;
                        return e;
                }
                if (e->hash == hash && e->key_len == key_len &&
                    memcmp(e->key, key, key_len) == 0)
                        return e;
        }
}

static size_t member_count(const struct json_value *v)
{
        if (!v)
                return 0;
        if (v->type == JSON_OBJECT)
                return v->u.object.count;
        if (v->type == JSON_ARRAY)
                return v->u.array.count;
        return 0;
}

/* Sizes the name table for every name the object keywords mention. */
static void names_init(struct schema *node, const struct json_value *v)
{
        const struct json_value *deps = json_object_get(v, "dependencies");
        size_t n = member_count(json_object_get(v, "properties")) +
                   member_count(json_object_get(v, "required")) +
                   member_count(deps);
        for (size_t i = 0; deps && i < member_count(deps); i++) {
                if (deps->type == JSON_OBJECT)
                        n += member_count(deps->u.object.members[i].value);
        }
        if (n == 0)
                return;
        size_t size = table_size(n);
        node->names = xcalloc(size, sizeof(*node->names));
        node->name_mask = size - 1;
}

static int compile_properties(struct schema_compiler *c, struct schema *node,
                              const struct json_value *v, const char *base,
                              int depth)
{
        const struct json_value *props = json_object_get(v, "properties");
        if (!props)
                return 0;
        if (props->type != JSON_OBJECT)
                return fail_value(c, node, "properties",
                                  "an object of schemas", props);
        for (size_t i = 0; i < props->u.object.count; i++) {
                const struct json_member *m = &props->u.object.members[i];
                if (!is_schema_value(m->value))
                        return fail_value(c, node, "properties",
                                          "an object of schemas", props);
                struct schema_name *e = name_add(node, m->key, m->key_len);
                e->property = compile_sub(c, node, m->value, base, depth,
                                          "properties", m->key, m->key_len,
                                          SIZE_MAX);
                if (!e->property)
                        return -1;
        }
        return 0;
}

/* An array of strings: "required" or the array form of "dependencies". */
static int compile_names(struct schema_compiler *c, struct schema *node,
                         const char *keyword, const struct json_value *list,
                         const struct schema_name ***out, size_t *count)
{
        if (list->type != JSON_ARRAY)
                return fail_value(c, node, keyword, "an array of strings",
                                  list);
        *out = xcalloc(list->u.array.count + 1, sizeof(**out));
        *count = list->u.array.count;
        for (size_t i = 0; i < list->u.array.count; i++) {
                const struct json_value *name = list->u.array.items[i];
                if (name->type != JSON_STRING)
                        return fail_value(c, node, keyword,
                                          "an array of strings", list);
                (*out)[i] = name_add(node, name->u.string.s,
                                     name->u.string.len);
        }
        return 0;
}

static int compile_dependencies(struct schema_compiler *c,
                                struct schema *node,
                                const struct json_value *v, const char *base,
                                int depth)
{
        const struct json_value *deps = json_object_get(v, "dependencies");
        if (!deps)
                return 0;
        const char *expected = "an object of schemas and string arrays";
        if (deps->type != JSON_OBJECT)
                return fail_value(c, node, "dependencies", expected, deps);
        node->dependency_count = deps->u.object.count;
        node->dependencies = xcalloc(deps->u.object.count + 1,
                                     sizeof(*node->dependencies));
        for (size_t i = 0; i < deps->u.object.count; i++) {
                const struct json_member *m = &deps->u.object.members[i];
                struct schema_dependency *d = &node->dependencies[i];
                d->key = name_add(node, m->key, m->key_len);
                if (is_schema_value(m->value)) {
                        d->schema = compile_sub(c, node, m->value, base,
                                                depth, "dependencies",
                                                m->key, m->key_len, SIZE_MAX);
                        if (!d->schema)
                                return -1;
                } else if (m->value->type == JSON_ARRAY) {
                        if (compile_names(c, node, "dependencies", m->value,
                                          &d->required_names,
                                          &d->required_count))
                                return -1;
                } else {
                        return fail_value(c, node, "dependencies", expected,
                                          deps);
                }
        }
        return 0;
}

static int compile_pattern_properties(struct schema_compiler *c,
                                      struct schema *node,
                                      const struct json_value *v,
                                      const char *base, int depth)
{
        const struct json_value *pp = json_object_get(v, "patternProperties");
        if (!pp)
                return 0;
        if (pp->type != JSON_OBJECT)
                return fail_value(c, node, "patternProperties",
                                  "an object of schemas", pp);
        node->pattern_properties = xcalloc(pp->u.object.count + 1,
                                           sizeof(*node->pattern_properties));
        for (size_t i = 0; i < pp->u.object.count; i++) {
                const struct json_member *m = &pp->u.object.members[i];
                struct schema_pattern_property *p =
                        &node->pattern_properties[i];
                char reason[200];
                p->regex = schema_regex_compile(m->key, m->key_len, reason,
                                                sizeof(reason));
                node->pattern_property_count = i + 1;
                if (!p->regex)
                        return schema_compile_fail(
                                c, node->location, "patternProperties",
                                "invalid regular expression \"%s\": %s",
                                m->key, reason);
                if (!is_schema_value(m->value))
                        return fail_value(c, node, "patternProperties",
                                          "an object of schemas", pp);
                p->schema = compile_sub(c, node, m->value, base, depth,
                                        "patternProperties", m->key,
                                        m->key_len, SIZE_MAX);
                if (!p->schema)
                        return -1;
        }
        return 0;
}

static int compile_objects(struct schema_compiler *c, struct schema *node,
                           const struct json_value *v, const char *base,
                           int depth)
{
        names_init(node, v);
        const struct json_value *required = json_object_get(v, "required");
        if (compile_properties(c, node, v, base, depth) ||
            (required && compile_names(c, node, "required", required,
                                       &node->required,
                                       &node->required_count)) ||
            compile_dependencies(c, node, v, base, depth) ||
            compile_pattern_properties(c, node, v, base, depth) ||
            compile_one(c, node, v, base, depth, "additionalProperties",
                        &node->additional_properties) ||
            compile_one(c, node, v, base, depth, "propertyNames",
                        &node->property_names) ||
            compile_count(c, node, v, "maxProperties",
                          SCHEMA_HAS_MAX_PROPERTIES, &node->max_properties) ||
            compile_count(c, node, v, "minProperties",
                          SCHEMA_HAS_MIN_PROPERTIES, &node->min_properties))
                return -1;
        if (node->names || node->pattern_properties ||
            node->additional_properties || node->property_names ||
            node->flags & (SCHEMA_HAS_MAX_PROPERTIES |
                           SCHEMA_HAS_MIN_PROPERTIES))
                node->flags |= SCHEMA_HAS_OBJECT_KEYWORDS;
        return 0;
}

static int compile_applicators(struct schema_compiler *c, struct schema *node,
                               const struct json_value *v, const char *base,
                               int depth)
{
        if (compile_list(c, node, v, base, depth, "allOf", &node->all_of,
                         &node->all_of_count) ||
            compile_list(c, node, v, base, depth, "anyOf", &node->any_of,
                         &node->any_of_count) ||
            compile_list(c, node, v, base, depth, "oneOf", &node->one_of,
                         &node->one_of_count) ||
            compile_one(c, node, v, base, depth, "not", &node->not_schema) ||
            compile_one(c, node, v, base, depth, "if", &node->if_schema))
                return -1;
        /* "then" and "else" do nothing without "if". */
        if (node->if_schema &&
            (compile_one(c, node, v, base, depth, "then",
                         &node->then_schema) ||
             compile_one(c, node, v, base, depth, "else",
                         &node->else_schema)))
                return -1;
        if (node->all_of || node->any_of || node->one_of || node->not_schema ||
            node->if_schema)
                node->flags |= SCHEMA_HAS_APPLICATORS;
        return 0;
}

int schema_keywords_compile(struct schema_compiler *c, struct schema *node,
                            const struct json_value *v, const char *base,
                            int depth)
{
        node->const_value = json_object_get(v, "const");
        if (node->const_value)
                node->flags |= SCHEMA_HAS_CONST;
        node->enum_values = json_object_get(v, "enum");
        if (node->enum_values) {
                if (node->enum_values->type != JSON_ARRAY)
                        return fail_value(c, node, "enum", "an array",
                                          node->enum_values);
                node->flags |= SCHEMA_HAS_ENUM;
        }
        if (compile_type(c, node, v) || compile_numbers(c, node, v) ||
            compile_strings(c, node, v) ||
            compile_arrays(c, node, v, base, depth) ||
            compile_objects(c, node, v, base, depth) ||
            compile_applicators(c, node, v, base, depth))
                return -1;
        return 0;
}

void schema_keywords_free(struct schema *node)
{
        schema_decimal_free(node->multiple_of);
        schema_regex_free(node->pattern);
        free(node->item_list);
        free(node->names);
        free(node->required);
        for (size_t i = 0; i < node->pattern_property_count; i++)
                schema_regex_free(node->pattern_properties[i].regex);
        free(node->pattern_properties);
        for (size_t i = 0; i < node->dependency_count; i++)
                free(node->dependencies[i].required_names);
        free(node->dependencies);
        free(node->all_of);
        free(node->any_of);
        free(node->one_of);
}
