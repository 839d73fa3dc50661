/* SPDX-License-Identifier: Apache-2.0 */
/*
 * YAML reader of the asyncapi module: turns one YAML document into json.h
 * values with libyaml's event parser and an explicit stack, so nesting
 * never recurses. Plain scalars are typed by the YAML 1.2 core schema.
 * Depth, alias expansion and node count are bounded.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "alloc.h"
#include "asyncapi_int.h"
#include "buf.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

static const char anchors_scope;
#define ANCHORS ((const void *)&anchors_scope)

/*
 * A hash map of strings to sizes, each string in a scope: the mapping a key
 * belongs to (duplicate keys), or ANCHORS (anchor name to its index in
 * builder.anchors).
 */
struct key_entry {
        const void *scope;
        char *key; /* owned copy; NULL marks an empty slot */
        size_t len;
        size_t value;
};

struct key_index {
        struct key_entry *slots;
        size_t cap; /* a power of two, or 0 */
        size_t count;
};

/* A mapping or sequence whose end event has not come yet. */
struct build_frame {
        struct json_value *value;
        int has_anchor;
        size_t anchor_index; /* in builder.anchors */
        size_t nodes;        /* this node and its expanded descendants */
        size_t child_height;
        int is_mapping;
        int has_key; /* mapping: key is the key of the next value */
        char *key;
        size_t key_len;
};

/* A node with an anchor, which later aliases refer to. */
struct anchor {
        int open; /* the node has not ended yet */
        const struct json_value *value;
        size_t nodes;
        size_t height;
};

struct builder {
        struct json_doc *doc;
        const char *name;
        struct build_frame *frames;
        size_t depth;
        size_t frames_cap;
        struct anchor *anchors;
        size_t anchor_count;
        size_t anchors_cap;
        struct key_index keys;
        size_t total_nodes;
        const struct json_value *root;
        char *errstr;
        size_t errstr_size;
};

/* The scalar classes of the YAML 1.2 core schema. */
enum scalar_class {
        SCALAR_NULL,
        SCALAR_TRUE,
        SCALAR_FALSE,
        SCALAR_INT,
        SCALAR_OCTAL,
        SCALAR_HEX,
        SCALAR_FLOAT,
        SCALAR_INFINITY,
        SCALAR_NAN,
        SCALAR_STRING,
};

static size_t key_hash(const void *scope, const char *key, size_t len)
{
        uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)scope;
        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char)key[i];
                h *= 1099511628211ull;
        }
        return (size_t)(h ^ (h >> 29));
}

static struct key_entry *key_index_slot(struct key_index *index,
                                        const void *scope, const char *key,
                                        size_t len)
{
        size_t mask = index->cap - 1;
        size_t i = key_hash(scope, key, len) & mask;
        for (;;) {
                struct key_entry *e = &index->slots[i];
                if (!e->key)
                        return e;
                if (e->scope == scope && e->len == len &&
                    memcmp(e->key, key, len) == 0)
                        return e;
                i = (i + 1) & mask;
        }
}

static void key_index_grow(struct key_index *index)
{
        struct key_index bigger = {NULL, index->cap ? index->cap * 2 : 64, 0};
        bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
        for (size_t i = 0; i < index->cap; i++) {
                struct key_entry *e = &index->slots[i];
                if (!e->key)
                        continue;
                *key_index_slot(&bigger, e->scope, e->key, e->len) = *e;
                bigger.count++;
        }
        free(index->slots);
        *index = bigger;
}

/* Returns the entry for (scope, key), or NULL. */
static struct key_entry *key_index_find(struct key_index *index,
                                        const void *scope, const char *key,
                                        size_t len)
{
        if (!index->cap)
                return NULL;
        struct key_entry *e = key_index_slot(index, scope, key, len);
        return e->key ? e : NULL;
}

/* Adds (scope, key) or, if present, replaces its value. */
static void key_index_put(struct key_index *index, const void *scope,
                          const char *key, size_t len, size_t value)
{
        if ((index->count + 1) * 2 > index->cap)
                key_index_grow(index);
        struct key_entry *e = key_index_slot(index, scope, key, len);
        if (!e->key) {
                e->scope = scope;
                e->key = xstrndup(key, len);
                e->len = len;
                index->count++;
        }
        e->value = value;
}

static void key_index_free(struct key_index *index)
{
        for (size_t i = 0; i < index->cap; i++)
                free(index->slots[i].key);
        free(index->slots);
        index->slots = NULL;
        index->cap = 0;
        index->count = 0;
}

/* Appends the JSON pointer of the value being built in frames[0..depth). */
static void builder_pointer(const struct builder *b, size_t depth,
                            struct buf *out)
{
        for (size_t i = 0; i < depth; i++) {
                const struct build_frame *f = &b->frames[i];
                if (f->is_mapping) {
                        json_pointer_append(out, f->key, f->key_len);
                } else {
                        buf_printf(out, "/%zu", f->value->u.array.count);
                }
        }
}

/* Writes "name:line:column: message" into the error buffer. */
static void builder_error(struct builder *b, yaml_mark_t mark,
                          const char *message)
{
        snprintf(b->errstr, b->errstr_size, "%s:%zu:%zu: %s", b->name,
                 mark.line + 1, mark.column + 1, message);
}

static int is_digits(const char *s, size_t len, const char *allowed)
{
        if (len == 0)
                return 0;
        for (size_t i = 0; i < len; i++) {
                if (!s[i] || !strchr(allowed, s[i]))
                        return 0;
        }
        return 1;
}

static int is_one_of(const char *s, size_t len, const char *const *words)
{
        for (; *words; words++) {
                if (strlen(*words) == len && memcmp(s, *words, len) == 0)
                        return 1;
        }
        return 0;
}

/* Matches the core schema's float form [-+]?(.D+|D+(.D*)?)([eE][-+]?D+)? */
static int is_core_float(const char *s, size_t len)
{
        size_t i = 0;
        if (i < len && (s[i] == '-' || s[i] == '+'))
                i++;
        size_t int_digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
                i++;
                int_digits++;
        }
        size_t frac_digits = 0;
        if (i < len && s[i] == '.') {
                i++;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                        i++;
                        frac_digits++;
                }
        }
        if (int_digits == 0 && frac_digits == 0)
                return 0;
        if (i < len && (s[i] == 'e' || s[i] == 'E')) {
                i++;
                if (i < len && (s[i] == '-' || s[i] == '+'))
                        i++;
                if (!is_digits(s + i, len - i, "0123456789"))
                        return 0;
                i = len;
        }
        return i == len;
}

static enum scalar_class scalar_classify(const char *s, size_t len)
{
        static const char *const nulls[] = {"",     "~",    "null",
                                            "Null", "NULL", NULL};
        static const char *const trues[] = {"true", "True", "TRUE", NULL};
        static const char *const falses[] = {"false", "False", "FALSE", NULL};
        static const char *const infinities[] = {
                ".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
                "+.INF", "-.inf", "-.Inf", "-.INF", NULL};
        static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
        size_t sign = len > 0 && (s[0] == '-' || s[0] == '+');

        if (is_one_of(s, len, nulls))
                return SCALAR_NULL;
        if (is_one_of(s, len, trues))
                return SCALAR_TRUE;
        if (is_one_of(s, len, falses))
                return SCALAR_FALSE;
        if (is_digits(s + sign, len - sign, "0123456789"))
                return SCALAR_INT;
        if (len > 2 && memcmp(s, "0o", 2) == 0 &&
            is_digits(s + 2, len - 2, "01234567"))
                return SCALAR_OCTAL;
        if (len > 2 && memcmp(s, "0x", 2) == 0 &&
            is_digits(s + 2, len - 2, "0123456789abcdefABCDEF"))
                return SCALAR_HEX;
        if (is_core_float(s, len))
                return SCALAR_FLOAT;
        if (is_one_of(s, len, infinities))
                return SCALAR_INFINITY;
        if (is_one_of(s, len, nans))
                return SCALAR_NAN;
        return SCALAR_STRING;
}

/*
 * Appends the JSON literal of a core-schema decimal integer or float:
 * drops a '+' and leading zeros, and writes "1." as "1.0" and ".5" as
 * "0.5", because JSON allows none of those forms.
 */
static void decimal_to_json(const char *s, size_t len, struct buf *out)
{
        size_t i = 0;
        if (s[i] == '-' || s[i] == '+') {
                if (s[i] == '-')
                        buf_append_char(out, '-');
                i++;
        }
        size_t start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
                i++;
        size_t end = i;
        while (start + 1 < end && s[start] == '0')
                start++;
        if (start == end)
                buf_append_char(out, '0');
        else
                buf_append(out, s + start, end - start);
        if (i < len && s[i] == '.') {
                i++;
                size_t frac = i;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                        i++;
                buf_append_char(out, '.');
                if (i == frac)
                        buf_append_char(out, '0');
                else
                        buf_append(out, s + frac, i - frac);
        }
        buf_append(out, s + i, len - i);
}

/* Converts the digits after "0o" or "0x" to decimal. Returns -1 if the
 * value needs more than 64 bits. */
static int radix_to_json(const char *digits, size_t len, unsigned base,
                         struct buf *out)
{
        uint64_t value = 0;
        for (size_t i = 0; i < len; i++) {
                char c = digits[i];
                unsigned d = c <= '9'   ? (unsigned)(c - '0')
                             : c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : (unsigned)(c - 'a' + 10);
                if (value > (UINT64_MAX - d) / base)
                        return -1;
                value = value * base + d;
        }
        buf_printf(out, "%" PRIu64, value);
        return 0;
}

static struct json_value *number_value(struct builder *b, enum scalar_class cls,
                                       const char *s, size_t len,
                                       yaml_mark_t mark)
{
        struct buf text = BUF_INIT;
        int failed = 0;
        if (cls == SCALAR_OCTAL || cls == SCALAR_HEX)
                failed = radix_to_json(s + 2, len - 2,
                                       cls == SCALAR_HEX ? 16 : 8, &text);
        else
                decimal_to_json(s, len, &text);
        struct json_value *v = NULL;
        if (failed) {
                struct buf msg = BUF_INIT;
                buf_append_str(&msg, "integer ");
                asyncapi_quote(&msg, s, len);
                buf_append_str(&msg, " does not fit in 64 bits; write it in "
                                     "decimal or quote it as a string");
                builder_error(b, mark, msg.data);
                buf_free(&msg);
        } else {
                v = json_new_number_text(b->doc, text.data, text.len);
        }
        buf_free(&text);
        return v;
}

/* Reports a scalar whose explicit tag does not fit its text. */
static void tag_mismatch_error(struct builder *b, const char *tag,
                               const char *s, size_t len, yaml_mark_t mark)
{
        struct buf msg = BUF_INIT;
        buf_printf(&msg, "value ");
        asyncapi_quote(&msg, s, len);
        buf_printf(&msg, " is not a valid !!%s in the YAML 1.2 core schema",
                   tag);
        builder_error(b, mark, msg.data);
        buf_free(&msg);
}

/* Returns the class required by an explicit tag ("str", "int", ...) after
 * checking that the text fits it, or -1 with the error set. */
static int scalar_class_for_tag(struct builder *b, const char *tag,
                                const char *s, size_t len, yaml_mark_t mark)
{
        enum scalar_class cls = scalar_classify(s, len);
        int ok;
        if (strcmp(tag, "str") == 0)
                return SCALAR_STRING;
        if (strcmp(tag, "null") == 0)
                ok = cls == SCALAR_NULL;
        else if (strcmp(tag, "bool") == 0)
                ok = cls == SCALAR_TRUE || cls == SCALAR_FALSE;
        else if (strcmp(tag, "int") == 0)
                ok = cls == SCALAR_INT || cls == SCALAR_OCTAL ||
                     cls == SCALAR_HEX;
        else if (strcmp(tag, "float") == 0)
                ok = cls == SCALAR_INT || cls == SCALAR_FLOAT ||
                     cls == SCALAR_INFINITY || cls == SCALAR_NAN;
        else
                ok = -1;
        if (ok == 1)
                return (int)cls;
        if (ok == 0) {
                tag_mismatch_error(b, tag, s, len, mark);
        } else {
                struct buf msg = BUF_INIT;
                buf_printf(&msg,
                           "unsupported tag !!%s on a scalar; only "
                           "!!str, !!int, !!float, !!bool and !!null "
                           "are supported",
                           tag);
                builder_error(b, mark, msg.data);
                buf_free(&msg);
        }
        return -1;
}

/*
 * Returns the class a scalar event resolves to, or -1 with the error set.
 * Quoted and block scalars and the non-specific tag "!" are strings.
 */
static int scalar_resolve(struct builder *b, const yaml_event_t *event)
{
        const char *s = (const char *)event->data.scalar.value;
        size_t len = event->data.scalar.length;
        const char *tag = (const char *)event->data.scalar.tag;
        yaml_mark_t mark = event->start_mark;

        if (!tag) {
                if (event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
                        return SCALAR_STRING;
                return (int)scalar_classify(s, len);
        }
        if (strcmp(tag, "!") == 0)
                return SCALAR_STRING;
        if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) == 0)
                return scalar_class_for_tag(b, tag + strlen(TAG_PREFIX), s, len,
                                            mark);
        struct buf msg = BUF_INIT;
        buf_append_str(&msg, "unsupported tag ");
        asyncapi_quote(&msg, tag, strlen(tag));
        buf_append_str(&msg, "; only the YAML 1.2 core schema tags are "
                             "supported");
        builder_error(b, mark, msg.data);
        buf_free(&msg);
        return -1;
}

/* Returns the value of a scalar event, or NULL with the error set. */
static struct json_value *scalar_value(struct builder *b,
                                       const yaml_event_t *event)
{
        const char *s = (const char *)event->data.scalar.value;
        size_t len = event->data.scalar.length;
        int cls = scalar_resolve(b, event);
        struct buf msg = BUF_INIT;

        switch (cls) {
        case -1:
                return NULL;
        case SCALAR_NULL:
                return json_new_null(b->doc);
        case SCALAR_TRUE:
        case SCALAR_FALSE:
                return json_new_bool(b->doc, cls == SCALAR_TRUE);
        case SCALAR_INT:
        case SCALAR_OCTAL:
        case SCALAR_HEX:
        case SCALAR_FLOAT:
                return number_value(b, (enum scalar_class)cls, s, len,
                                    event->start_mark);
        case SCALAR_INFINITY:
        case SCALAR_NAN:
                asyncapi_quote(&msg, s, len);
                buf_append_str(&msg, " has no JSON representation; quote it "
                                     "to keep it as a string");
                builder_error(b, event->start_mark, msg.data);
                buf_free(&msg);
                return NULL;
        default:
                return json_new_string(b->doc, s, len);
        }
}

/* Counts n more nodes. Returns -1 with the error set past
 * ASYNCAPI_MAX_NODES. */
static int builder_count(struct builder *b, size_t n, yaml_mark_t mark)
{
        if (n > ASYNCAPI_MAX_NODES - b->total_nodes) {
                char msg[160];
                snprintf(msg, sizeof(msg),
                         "the document has more than %d values with its "
                         "aliases expanded; aliases that multiply this much "
                         "are rejected",
                         ASYNCAPI_MAX_NODES);
                builder_error(b, mark, msg);
                return -1;
        }
        b->total_nodes += n;
        return 0;
}

/* Checks the expanded depth of a node of the given height at the current
 * position. */
static int builder_check_depth(struct builder *b, size_t height,
                               yaml_mark_t mark)
{
        if (b->depth + height <= ASYNCAPI_MAX_DEPTH)
                return 0;
        char msg[120];
        snprintf(msg, sizeof(msg),
                 "nesting deeper than %d levels (aliases expanded) is not "
                 "supported",
                 ASYNCAPI_MAX_DEPTH);
        builder_error(b, mark, msg);
        return -1;
}

/*
 * Starts an anchor named name and returns its index in b->anchors. An alias
 * refers to the anchor started most recently under its name, as YAML
 * specifies, even while that node is still open.
 */
static size_t builder_add_anchor(struct builder *b, const char *name)
{
        if (b->anchor_count == b->anchors_cap) {
                b->anchors_cap = b->anchors_cap ? b->anchors_cap * 2 : 16;
                b->anchors = xrealloc(b->anchors,
                                      b->anchors_cap * sizeof(*b->anchors));
        }
        struct anchor *a = &b->anchors[b->anchor_count];
        memset(a, 0, sizeof(*a));
        a->open = 1;
        key_index_put(&b->keys, ANCHORS, name, strlen(name), b->anchor_count);
        return b->anchor_count++;
}

/* Records the finished node of an anchor. */
static void builder_close_anchor(struct builder *b, size_t index,
                                 const struct json_value *value, size_t nodes,
                                 size_t height)
{
        struct anchor *a = &b->anchors[index];
        a->value = value;
        a->nodes = nodes;
        a->height = height;
        a->open = 0;
}

/* Hangs a finished node under the open container, or makes it the root. */
static void builder_attach(struct builder *b, struct json_value *value,
                           size_t nodes, size_t height)
{
        if (b->depth == 0) {
                b->root = value;
                return;
        }
        struct build_frame *parent = &b->frames[b->depth - 1];
        parent->nodes += nodes;
        if (height > parent->child_height)
                parent->child_height = height;
        if (!parent->is_mapping) {
                json_array_append(b->doc, parent->value, value);
                return;
        }
        /* NOTE: json_object_set() searches the members linearly, so a
         * mapping of n keys costs O(n^2) comparisons; a 50,000-key mapping
         * takes seconds. AsyncAPI mappings rarely exceed a few hundred. */
        json_object_set(b->doc, parent->value, parent->key, parent->key_len,
                        value);
        free(parent->key);
        parent->key = NULL;
        parent->has_key = 0;
}

/* Takes a scalar in key position as the pending key of the mapping. */
static int builder_take_key(struct builder *b, const yaml_event_t *event)
{
        struct build_frame *f = &b->frames[b->depth - 1];
        const char *key = (const char *)event->data.scalar.value;
        size_t len = event->data.scalar.length;

        if (len == 2 && memcmp(key, "<<", 2) == 0 && !event->data.scalar.tag &&
            event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
                builder_error(b, event->start_mark,
                              "merge keys (<<) belong to YAML 1.1 and are not "
                              "supported; repeat the members or use $ref");
                return -1;
        }
        if (key_index_find(&b->keys, f->value, key, len)) {
                struct buf msg = BUF_INIT;
                buf_append_str(&msg, "duplicate key ");
                asyncapi_quote(&msg, key, len);
                if (b->depth == 1) {
                        buf_append_str(&msg, " in the top-level mapping");
                } else {
                        buf_append_str(&msg, " in mapping ");
                        builder_pointer(b, b->depth - 1, &msg);
                }
                builder_error(b, event->start_mark, msg.data);
                buf_free(&msg);
                return -1;
        }
        key_index_put(&b->keys, f->value, key, len, 0);
        f->key = xstrndup(key, len);
        f->key_len = len;
        f->has_key = 1;
        return 0;
}

static int in_key_position(const struct builder *b)
{
        if (b->depth == 0)
                return 0;
        const struct build_frame *f = &b->frames[b->depth - 1];
        return f->is_mapping && !f->has_key;
}

static int builder_reject_key(struct builder *b, yaml_mark_t mark,
                              const char *what)
{
        char msg[120];
        snprintf(msg, sizeof(msg),
                 "%s cannot be a mapping key; keys must be scalars", what);
        builder_error(b, mark, msg);
        return -1;
}

static int on_scalar(struct builder *b, const yaml_event_t *event)
{
        const char *anchor = (const char *)event->data.scalar.anchor;
        int is_key = in_key_position(b);

        if (builder_count(b, 1, event->start_mark) < 0)
                return -1;
        if (is_key && !anchor)
                return builder_take_key(b, event);
        struct json_value *value = scalar_value(b, event);
        if (!value)
                return -1;
        if (anchor)
                builder_close_anchor(b, builder_add_anchor(b, anchor), value, 1,
                                     0);
        if (is_key)
                return builder_take_key(b, event);
        builder_attach(b, value, 1, 0);
        return 0;
}

static int on_alias(struct builder *b, const yaml_event_t *event)
{
        const char *name = (const char *)event->data.alias.anchor;
        yaml_mark_t mark = event->start_mark;
        char msg[200];

        if (in_key_position(b))
                return builder_reject_key(b, mark, "an alias");
        struct key_entry *e =
                key_index_find(&b->keys, ANCHORS, name, strlen(name));
        if (e && b->anchors[e->value].open) {
                snprintf(msg, sizeof(msg),
                         "alias *%.80s refers to a node that contains it; "
                         "recursive aliases are not supported",
                         name);
                builder_error(b, mark, msg);
                return -1;
        }
        if (!e) {
                snprintf(msg, sizeof(msg),
                         "alias *%.80s refers to no anchor defined before it",
                         name);
                builder_error(b, mark, msg);
                return -1;
        }
        const struct anchor *a = &b->anchors[e->value];
        if (builder_check_depth(b, a->height, mark) < 0 ||
            builder_count(b, a->nodes, mark) < 0)
                return -1;
        /* The aliased value is shared, not copied: values are read-only
         * once loaded, and the node count above bounds any expanded walk. */
        builder_attach(b, (struct json_value *)a->value, a->nodes, a->height);
        return 0;
}

static int on_collection_start(struct builder *b, const yaml_event_t *event)
{
        int is_mapping = event->type == YAML_MAPPING_START_EVENT;
        const char *tag =
                (const char *)(is_mapping ? event->data.mapping_start.tag
                                          : event->data.sequence_start.tag);
        const char *anchor =
                (const char *)(is_mapping ? event->data.mapping_start.anchor
                                          : event->data.sequence_start.anchor);
        const char *expected = is_mapping ? TAG_PREFIX "map" : TAG_PREFIX "seq";
        yaml_mark_t mark = event->start_mark;

        if (in_key_position(b))
                return builder_reject_key(
                        b, mark, is_mapping ? "a mapping" : "a sequence");
        if (tag && strcmp(tag, "!") != 0 && strcmp(tag, expected) != 0) {
                struct buf msg = BUF_INIT;
                buf_append_str(&msg, "unsupported tag ");
                asyncapi_quote(&msg, tag, strlen(tag));
                buf_printf(&msg, " on a %s",
                           is_mapping ? "mapping" : "sequence");
                builder_error(b, mark, msg.data);
                buf_free(&msg);
                return -1;
        }
        if (builder_check_depth(b, 1, mark) < 0 ||
            builder_count(b, 1, mark) < 0)
                return -1;
        if (b->depth == b->frames_cap) {
                b->frames_cap = b->frames_cap ? b->frames_cap * 2 : 32;
                b->frames =
                        xrealloc(b->frames, b->frames_cap * sizeof(*b->frames));
        }
        struct build_frame *f = &b->frames[b->depth++];
        memset(f, 0, sizeof(*f));
        f->is_mapping = is_mapping;
        f->value =
                is_mapping ? json_new_object(b->doc) : json_new_array(b->doc);
        if (anchor) {
                f->has_anchor = 1;
                f->anchor_index = builder_add_anchor(b, anchor);
        }
        f->nodes = 1;
        return 0;
}

static void on_collection_end(struct builder *b)
{
        struct build_frame f = b->frames[--b->depth];
        size_t height = f.child_height + 1;
        if (f.has_anchor)
                builder_close_anchor(b, f.anchor_index, f.value, f.nodes,
                                     height);
        free(f.key);
        builder_attach(b, f.value, f.nodes, height);
}

/* Formats a libyaml parser error with its 1-based position. */
static void syntax_error(struct builder *b, const yaml_parser_t *parser)
{
        if (parser->error == YAML_MEMORY_ERROR) {
                snprintf(b->errstr, b->errstr_size,
                         "%s: out of memory while parsing YAML", b->name);
                return;
        }
        const char *problem =
                parser->problem ? parser->problem : "invalid YAML";
        if (parser->error == YAML_READER_ERROR) {
                snprintf(b->errstr, b->errstr_size, "%s: byte %zu: %s", b->name,
                         parser->problem_offset, problem);
                return;
        }
        struct buf msg = BUF_INIT;
        buf_append_str(&msg, problem);
        if (parser->context)
                buf_printf(&msg, " (%s that started at %zu:%zu)",
                           parser->context, parser->context_mark.line + 1,
                           parser->context_mark.column + 1);
        builder_error(b, parser->problem_mark, msg.data);
        buf_free(&msg);
}

/* Handles one event. Returns 1 at the end of the stream, 0 to go on and -1
 * on error. */
static int builder_event(struct builder *b, const yaml_event_t *event,
                         int *documents)
{
        switch (event->type) {
        case YAML_DOCUMENT_START_EVENT:
                if (++*documents > 1) {
                        builder_error(b, event->start_mark,
                                      "a second YAML document starts here; "
                                      "the file must hold exactly one");
                        return -1;
                }
                return 0;
        case YAML_SCALAR_EVENT:
                return on_scalar(b, event);
        case YAML_ALIAS_EVENT:
                return on_alias(b, event);
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
                return on_collection_start(b, event);
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
                on_collection_end(b);
                return 0;
        case YAML_STREAM_END_EVENT:
                return 1;
        default:
                return 0;
        }
}

static void builder_free(struct builder *b)
{
        for (size_t i = 0; i < b->depth; i++) {
                free(b->frames[i].key);
        }
        free(b->frames);
        free(b->anchors);
        key_index_free(&b->keys);
}

const struct json_value *asyncapi_yaml_parse(struct json_doc *doc,
                                             const char *name, const char *text,
                                             size_t len, char *errstr,
                                             size_t errstr_size)
{
        struct builder b;
        yaml_parser_t parser;
        yaml_event_t event;
        int documents = 0;
        int status = 0;

        memset(&b, 0, sizeof(b));
        b.doc = doc;
        b.name = name;
        b.errstr = errstr;
        b.errstr_size = errstr_size;
        if (!yaml_parser_initialize(&parser)) {
                snprintf(errstr, errstr_size,
                         "%s: out of memory while parsing YAML", name);
                return NULL;
        }
        yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
        while (status == 0) {
                if (!yaml_parser_parse(&parser, &event)) {
                        syntax_error(&b, &parser);
                        status = -1;
                        break;
                }
                status = builder_event(&b, &event, &documents);
                yaml_event_delete(&event);
        }
        yaml_parser_delete(&parser);
        builder_free(&b);
        if (status < 0)
                return NULL;
        if (!b.root) {
                snprintf(errstr, errstr_size, "%s: the document is empty",
                         name);
                return NULL;
        }
        return b.root;
}
