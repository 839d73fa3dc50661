/* SPDX-License-Identifier: Apache-2.0 */
/* Open-addressing hash map from byte strings to pointers (schema module). */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "schema_internal.h"

/*
 * A key of length 0 is a pointer compared by identity, so byte-string keys
 * must be at least one byte long (store a terminator if needed).
 */
static uint32_t map_hash(const void *key, size_t key_len)
{
        if (key_len == 0) {
                uint64_t x = (uint64_t)(uintptr_t)key;
                x ^= x >> 33;
                x *= 0xff51afd7ed558ccdull;
                x ^= x >> 33;
                return (uint32_t)x;
        }
        return schema_hash_bytes(key, key_len);
}

/* FNV-1a, 32 bits. */
uint32_t schema_hash_bytes(const void *data, size_t len)
{
        const unsigned char *p = data;
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= 16777619u;
        }
        return h;
}

static int entry_matches(const struct schema_map_entry *e, const void *key,
                         size_t key_len, uint32_t hash)
{
        if (e->hash != hash || e->key_len != key_len)
                return 0;
        if (key_len == 0)
                return e->key == key;
        return memcmp(e->key, key, key_len) == 0;
}

static struct schema_map_entry *map_find(const struct schema_map *map,
                                         const void *key, size_t key_len,
                                         uint32_t hash)
{
        size_t i = hash & map->mask;
        for (;;) {
                struct schema_map_entry *e = &map->entries[i];
                if (!e->key)
                        return e;
                if (entry_matches(e, key, key_len, hash))
                        return e;
                i = (i + 1) & map->mask;
        }
}

static void map_grow(struct schema_map *map)
{
        struct schema_map old = *map;
        size_t size = old.entries ? (old.mask + 1) * 2 : 16;
        map->entries = xcalloc(size, sizeof(*map->entries));
        map->mask = size - 1;
        map->count = 0;
        for (size_t i = 0; old.entries && i <= old.mask; i++) {
                struct schema_map_entry *e = &old.entries[i];
                if (!e->key)
                        continue;
                *map_find(map, e->key, e->key_len, e->hash) = *e;
                map->count++;
        }
        free(old.entries);
}

/* The key is borrowed: a byte-string key must outlive the map. */
void schema_map_put(struct schema_map *map, const void *key, size_t key_len,
                    void *value)
{
        if (!map->entries || (map->count + 1) * 2 > map->mask + 1)
                map_grow(map);
        uint32_t hash = map_hash(key, key_len);
        struct schema_map_entry *e = map_find(map, key, key_len, hash);
        if (!e->key)
                map->count++;
        e->key = key;
        e->key_len = key_len;
        e->hash = hash;
        e->value = value;
}

void *schema_map_get(const struct schema_map *map, const void *key,
                     size_t key_len)
{
        if (!map->entries)
                return NULL;
        uint32_t hash = map_hash(key, key_len);
        struct schema_map_entry *e = map_find(map, key, key_len, hash);
        return e->key ? e->value : NULL;
}

void schema_map_filter(struct schema_map *map,
                       int (*keep)(const struct schema_map_entry *e,
                                   void *opaque),
                       void *opaque)
{
        if (!map->entries)
                return;
        struct schema_map old = *map;
        map->entries = xcalloc(old.mask + 1, sizeof(*map->entries));
        map->count = 0;
        for (size_t i = 0; i <= old.mask; i++) {
                struct schema_map_entry *e = &old.entries[i];
                if (!e->key || !keep(e, opaque))
                        continue;
                *map_find(map, e->key, e->key_len, e->hash) = *e;
                map->count++;
        }
        free(old.entries);
}

void schema_map_free(struct schema_map *map)
{
        free(map->entries);
        memset(map, 0, sizeof(*map));
}
