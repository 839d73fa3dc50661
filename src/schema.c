/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON Schema draft-07 contexts: indexes the "$id"s of a document, compiles
 * schemas found in it and resolves "$ref"s, including references to the
 * draft-07 meta-schema built into the executable. The keywords themselves
 * are compiled in schema_keywords.c and checked in schema_validate.c.
 */
#include "schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "schema_internal.h"

/* The draft-07 meta-schema, embedded by tools/embed.c. */
extern const char schema_metaschema_json[];
extern const size_t schema_metaschema_json_len;

/* Member values of these keywords are data, never schemas. */
static const char *const data_keywords[] = {"enum", "const", "default",
                                            "examples"};
/* Member values of these keywords are schemas, keyed by arbitrary names. */
static const char *const schema_map_keywords[] = {
        "properties", "patternProperties", "definitions", "dependencies"};

static int keyword_in(const char *key, size_t key_len,
                      const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (strlen(list[i]) == key_len &&
                    memcmp(list[i], key, key_len) == 0)
                        return 1;
        }
        return 0;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Hands block to the context, which frees it in schema_ctx_destroy(). */
static void ctx_keep(struct schema_ctx *ctx, void *block)
{
        if (ctx->kept_count == ctx->kept_cap) {
                ctx->kept_cap = ctx->kept_cap ? ctx->kept_cap * 2 : 64;
                ctx->kept = xrealloc(ctx->kept,
                                     ctx->kept_cap * sizeof(*ctx->kept));
        }
        ctx->kept[ctx->kept_count++] = block;
}

/* Copies s into the context, which keeps the copy until it is destroyed. */
static const char *ctx_intern(struct schema_ctx *ctx, const char *s,
                              size_t len)
{
        char *copy = xstrndup(s, len);
        ctx_keep(ctx, copy);
        return copy;
}

/* URI keys include their NUL so that "" is a key of length 1. */
static void ids_put(struct schema_ctx *ctx, const char *uri,
                    const struct json_value *v)
{
        size_t len = strlen(uri) + 1;
        if (schema_map_get(&ctx->ids, uri, len))
                return; /* the first "$id" of a URI wins */
        schema_map_put(&ctx->ids, ctx_intern(ctx, uri, len - 1), len,
                       (void *)v);
}

static const struct json_value *ids_get(struct schema_ctx *ctx,
                                        const char *uri)
{
        return schema_map_get(&ctx->ids, uri, strlen(uri) + 1);
}

/*
 * Registers the "$id" of object v, if it has one that counts, and returns
 * the base URI for v's members. In draft-07 an "$id" beside "$ref" is
 * ignored like every other sibling of "$ref".
 */
static const char *index_id(struct schema_ctx *ctx,
                            const struct json_value *v, const char *base)
{
        const struct json_value *id = json_object_get(v, "$id");
        if (!id || id->type != JSON_STRING || json_object_get(v, "$ref"))
                return base;
        struct buf full = BUF_INIT;
        schema_uri_resolve(base, id->u.string.s, &full);
        buf_append_char(&full, '\0');
        char *hash = strchr(full.data, '#');
        if (hash && hash[1] != '\0')
                ids_put(ctx, full.data, v); /* a plain-name fragment */
        if (hash)
                *hash = '\0';
        /* "#foo" names v without changing the base URI. */
        if (id->u.string.s[0] != '#') {
                ids_put(ctx, full.data, v);
                base = ctx_intern(ctx, full.data, strlen(full.data));
        }
        buf_free(&full);
        return base;
}

static void index_place(struct schema_ctx *ctx, const struct json_value *v,
                        const char *base, const struct buf *location)
{
        if (schema_map_get(&ctx->places, v, 0))
                return;
        struct schema_place *place = xmalloc(sizeof(*place));
        place->base = base;
        place->location = ctx_intern(ctx, location->data ? location->data : "",
                                     location->len);
        ctx_keep(ctx, place);
        schema_map_put(&ctx->places, v, 0, place);
}

/*
 * Walks the document and records, for every object and boolean that may
 * be a schema, its base URI and location, and every "$id". The walk skips
 * data keywords so that an "$id" inside "enum" or "const" stays data.
 *
 * NOTE: an "$id" string in an object under any other member name counts,
 * also under an unknown keyword or outside the schemas of an AsyncAPI
 * document, because the walk cannot tell schemas from other objects.
 */
static void index_walk(struct schema_ctx *ctx, const struct json_value *v,
                       const char *base, struct buf *location, int depth,
                       int is_schema_map)
{
        if (depth > SCHEMA_MAX_COMPILE_DEPTH)
                return;
        size_t mark = location->len;
        if (v->type == JSON_BOOL) {
                index_place(ctx, v, base, location);
        } else if (v->type == JSON_ARRAY) {
                for (size_t i = 0; i < v->u.array.count; i++) {
                        buf_printf(location, "/%zu", i);
                        index_walk(ctx, v->u.array.items[i], base, location,
                                   depth + 1, 0);
                        location->len = mark;
                }
        } else if (v->type == JSON_OBJECT) {
                if (!is_schema_map)
                        base = index_id(ctx, v, base);
                index_place(ctx, v, base, location);
                for (size_t i = 0; i < v->u.object.count; i++) {
                        const struct json_member *m = &v->u.object.members[i];
                        if (!is_schema_map &&
                            keyword_in(m->key, m->key_len, data_keywords,
                                       COUNT_OF(data_keywords)))
                                continue;
                        int map = !is_schema_map &&
                                  keyword_in(m->key, m->key_len,
                                             schema_map_keywords,
                                             COUNT_OF(schema_map_keywords));
                        json_pointer_append(location, m->key, m->key_len);
                        index_walk(ctx, m->value, base, location, depth + 1,
                                   map);
                        location->len = mark;
                }
        }
}

static void index_root(struct schema_ctx *ctx, const struct json_value *root,
                       const char *location_prefix)
{
        struct buf location = BUF_INIT;
        buf_append_str(&location, location_prefix);
        if (root->type == JSON_OBJECT)
                ids_put(ctx, "", root);
        index_walk(ctx, root, "", &location, 0, 0);
        buf_free(&location);
}

struct schema_ctx *schema_ctx_new(const struct json_value *document,
                                  const struct schema_options *options)
{
        struct schema_ctx *ctx = xcalloc(1, sizeof(*ctx));
        ctx->document = document;
        ctx->options.format_assertion = 1;
        if (options)
                ctx->options = *options;
        schema_regex_ctx_init(ctx);
        schema_number_ctx_init(ctx);
        if (document)
                index_root(ctx, document, "");
        return ctx;
}

static int load_metaschema(struct schema_ctx *ctx)
{
        if (ctx->meta_doc)
                return ctx->meta_root != NULL;
        char reason[256];
        ctx->meta_doc = json_doc_new();
        ctx->meta_root = json_parse(ctx->meta_doc, schema_metaschema_json,
                                    schema_metaschema_json_len,
                                    SCHEMA_MAX_COMPILE_DEPTH, NULL, reason,
                                    sizeof(reason));
        if (!ctx->meta_root)
                return 0;
        index_root(ctx, ctx->meta_root, SCHEMA_METASCHEMA_URI "#");
        return 1;
}

/*
 * Finds the value that a resolved "$ref" URI names: a JSON pointer or a
 * plain name ("$id": "#foo") within the resource that the URI without its
 * fragment identifies. Fills place with the target's base and location.
 */
static const struct json_value *ref_target(struct schema_ctx *ctx,
                                           const char *uri,
                                           struct schema_place *place)
{
        const char *hash = strchr(uri, '#');
        struct buf resource = BUF_INIT, pointer = BUF_INIT;
        buf_append(&resource, uri, hash ? (size_t)(hash - uri) : strlen(uri));
        const struct json_value *root = ids_get(ctx, resource.data);
        if (!root && strcmp(resource.data, SCHEMA_METASCHEMA_URI) == 0 &&
            load_metaschema(ctx))
                root = ids_get(ctx, resource.data);
        const struct json_value *target = NULL;
        if (hash && hash[1] != '\0' && hash[1] != '/') {
                target = ids_get(ctx, uri);
        } else if (root && (!hash || hash[1] == '\0')) {
                target = root;
        } else if (root && schema_uri_percent_decode(hash + 1, strlen(hash + 1),
                                                     &pointer) == 0) {
                target = json_pointer_get(root, pointer.data, pointer.len);
        }
        const struct schema_place *known =
                target ? schema_map_get(&ctx->places, target, 0) : NULL;
        if (known) {
                *place = *known;
        } else {
                place->base = ctx_intern(ctx, resource.data, resource.len);
                place->location = ctx_intern(ctx, uri, strlen(uri));
        }
        buf_free(&resource);
        buf_free(&pointer);
        return target;
}

int schema_compile_fail(struct schema_compiler *c, const char *location,
                        const char *keyword, const char *fmt, ...)
{
        if (c->failed)
                return -1;
        c->failed = 1;
        int n = 0;
        if (*location || *keyword)
                n = snprintf(c->errstr, c->errstr_size, "%s%s%s: ", location,
                             *keyword ? "/" : "", keyword);
        if (n < 0 || (size_t)n >= c->errstr_size)
                return -1;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->errstr + n, c->errstr_size - (size_t)n, fmt, ap);
        va_end(ap);
        return -1;
}

static struct schema *node_new(struct schema_ctx *ctx,
                               const struct json_value *v,
                               const char *location)
{
        struct schema *node = xcalloc(1, sizeof(*node));
        node->ctx = ctx;
        node->source = v;
        node->location = xstrdup(location);
        node->boolean = -1;
        if (ctx->node_count == ctx->node_cap) {
                ctx->node_cap = ctx->node_cap ? ctx->node_cap * 2 : 64;
                ctx->nodes = xrealloc(ctx->nodes,
                                      ctx->node_cap * sizeof(*ctx->nodes));
        }
        node->serial = ctx->node_count;
        ctx->nodes[ctx->node_count++] = node;
        schema_map_put(&ctx->memo, v, 0, node);
        return node;
}

static void node_free(struct schema *node)
{
        schema_keywords_free(node);
        free(node->location);
        free(node->ref_uri);
        free(node);
}

static void pending_push(struct schema_ctx *ctx, struct schema *node)
{
        if (ctx->pending_count == ctx->pending_cap) {
                ctx->pending_cap = ctx->pending_cap ? ctx->pending_cap * 2 : 16;
                ctx->pending = xrealloc(ctx->pending, ctx->pending_cap *
                                                      sizeof(*ctx->pending));
        }
        ctx->pending[ctx->pending_count++] = node;
}

static void compile_ref(struct schema_compiler *c, struct schema *node,
                        const struct json_value *ref, const char *base)
{
        if (ref->type != JSON_STRING) {
                struct buf got = BUF_INIT;
                schema_message_quote(&got, ref, SCHEMA_QUOTE_MAX);
                schema_compile_fail(c, node->location, "$ref",
                                    "expected a string, got %s %s",
                                    json_type_name(ref), got.data);
                buf_free(&got);
                return;
        }
        struct buf full = BUF_INIT;
        schema_uri_resolve(base, ref->u.string.s, &full);
        buf_append(&full, "", 0);
        node->ref_uri = full.data;
        pending_push(c->ctx, node);
}

struct schema *schema_compile_value(struct schema_compiler *c,
                                    const struct json_value *v,
                                    const char *base, const char *location,
                                    int depth)
{
        struct schema_ctx *ctx = c->ctx;
        struct schema *node = schema_map_get(&ctx->memo, v, 0);
        if (node || c->failed)
                return node;
        if (depth > SCHEMA_MAX_COMPILE_DEPTH) {
                schema_compile_fail(c, location, "",
                                    "schema nested deeper than %d levels",
                                    SCHEMA_MAX_COMPILE_DEPTH);
                return NULL;
        }
        if (v->type != JSON_OBJECT && v->type != JSON_BOOL) {
                struct buf got = BUF_INIT;
                schema_message_quote(&got, v, SCHEMA_QUOTE_MAX);
                schema_compile_fail(c, location, "",
                                    "expected a schema (object or boolean), "
                                    "got %s %s",
                                    json_type_name(v), got.data);
                buf_free(&got);
                return NULL;
        }
        node = node_new(ctx, v, location);
        if (v->type == JSON_BOOL) {
                node->boolean = v->u.boolean ? 1 : 0;
                return node;
        }
        const struct json_value *ref = json_object_get(v, "$ref");
        if (ref) {
                compile_ref(c, node, ref, base);
                return node;
        }
        const struct schema_place *place = schema_map_get(&ctx->places, v, 0);
        if (place)
                base = place->base;
        if (schema_keywords_compile(c, node, v, base, depth) != 0)
                return NULL;
        return node;
}

static void resolve_pending(struct schema_compiler *c)
{
        struct schema_ctx *ctx = c->ctx;
        while (!c->failed && ctx->pending_count > 0) {
                struct schema *node = ctx->pending[--ctx->pending_count];
                struct schema_place place;
                const struct json_value *target =
                        ref_target(ctx, node->ref_uri, &place);
                if (!target) {
                        const struct json_value *ref =
                                json_object_get(node->source, "$ref");
                        schema_compile_fail(c, node->location, "$ref",
                                            "reference \"%s\" not found",
                                            ref->u.string.s);
                        return;
                }
                node->ref = schema_compile_value(c, target, place.base,
                                                 place.location, 0);
        }
}

/* A chain of "$ref"s that comes back to itself never reaches a keyword. */
static void check_ref_cycles(struct schema_compiler *c, size_t first)
{
        struct schema_ctx *ctx = c->ctx;
        for (size_t i = first; i < ctx->node_count && !c->failed; i++) {
                const struct schema *t = ctx->nodes[i];
                size_t steps = 0;
                while (t->ref_uri && steps++ <= ctx->node_count)
                        t = t->ref;
                if (!t->ref_uri)
                        continue;
                const struct schema *n = ctx->nodes[i];
                schema_compile_fail(c, n->location, "$ref",
                                    "reference \"%s\" leads back to itself "
                                    "without reaching a schema",
                                    json_object_get(n->source, "$ref")
                                            ->u.string.s);
        }
}

static int memo_is_committed(const struct schema_map_entry *e, void *opaque)
{
        const struct schema_ctx *ctx = opaque;
        const struct schema *node = e->value;
        return node->serial < ctx->committed_nodes;
}

/* Forgets every node of a failed compilation. */
static void rollback(struct schema_ctx *ctx)
{
        schema_map_filter(&ctx->memo, memo_is_committed, ctx);
        for (size_t i = ctx->committed_nodes; i < ctx->node_count; i++)
                node_free(ctx->nodes[i]);
        ctx->node_count = ctx->committed_nodes;
        ctx->pending_count = 0;
}

static void reserve_slot_bits(struct schema_ctx *ctx, size_t first)
{
        size_t words = ctx->slot_words;
        for (size_t i = first; i < ctx->node_count; i++) {
                size_t need = (ctx->nodes[i]->slot_count + 63) / 64;
                if (need > words)
                        words = need;
        }
        if (words > ctx->slot_words) {
                ctx->slot_bits = xrealloc(ctx->slot_bits, words * 8);
                ctx->slot_words = words;
        }
}

const struct schema *schema_compile(struct schema_ctx *ctx,
                                    const struct json_value *schema,
                                    char *errstr, size_t errstr_size)
{
        struct schema_compiler c = {ctx, errstr, errstr_size, 0};
        const struct schema_place *place =
                schema_map_get(&ctx->places, schema, 0);
        if (!place) {
                /* Not part of the document: index it as a document. */
                index_root(ctx, schema, "");
                place = schema_map_get(&ctx->places, schema, 0);
        }
        const char *base = place ? place->base : "";
        const char *location = place ? place->location : "";
        size_t first = ctx->committed_nodes;
        struct schema *root =
                schema_compile_value(&c, schema, base, location, 0);
        resolve_pending(&c);
        check_ref_cycles(&c, first);
        if (c.failed) {
                rollback(ctx);
                return NULL;
        }
        reserve_slot_bits(ctx, first);
        ctx->committed_nodes = ctx->node_count;
        return root;
}

int schema_validate(const struct schema *schema,
                    const struct json_value *instance,
                    struct schema_error *err)
{
        struct schema_ctx *ctx = schema->ctx;
        ctx->report = err;
        ctx->err = err;
        ctx->aborted = 0;
        ctx->depth = 0;
        ctx->path_len = 0;
        int rc = schema_validate_node(ctx, schema, instance, NULL);
        return rc || ctx->aborted ? 1 : 0;
}

void schema_ctx_destroy(struct schema_ctx *ctx)
{
        if (!ctx)
                return;
        for (size_t i = 0; i < ctx->node_count; i++)
                node_free(ctx->nodes[i]);
        free(ctx->nodes);
        free(ctx->pending);
        for (size_t i = 0; i < ctx->kept_count; i++)
                free(ctx->kept[i]);
        free(ctx->kept);
        schema_map_free(&ctx->places);
        schema_map_free(&ctx->ids);
        schema_map_free(&ctx->memo);
        if (ctx->meta_doc)
                json_doc_destroy(ctx->meta_doc);
        schema_regex_ctx_free(ctx);
        schema_number_ctx_free(ctx);
        buf_free(&ctx->text);
        free(ctx->slot_bits);
        free(ctx->hash_items);
        free(ctx);
}
