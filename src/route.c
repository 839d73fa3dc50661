/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Routing tables (see route.h). Entries live in one list in insertion
 * order. Each map has an open-addressing hash index over that list, so a
 * lookup per event costs one hash of the key and usually one comparison.
 */
#include "route.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"

#define ROUTE_INDEX_INITIAL_SLOTS 32

struct route_entry {
        enum route_map map;
        char *key;
        size_t key_len;
        struct route_target target;
};

/* Slots hold an entry position + 1; 0 marks an empty slot. */
struct route_index {
        size_t *slots;
        size_t slot_count; /* a power of two */
        size_t used;
};

struct route_table {
        /* Separately allocated so route_lookup() results stay valid when
         * the list grows. */
        struct route_entry **entries;
        size_t entry_count;
        size_t entry_cap;
        struct route_index index[ROUTE_MAP_COUNT];
};

struct route_default {
        enum route_map map;
        const char *key;
        const char *value;
};

/*
 * The default tables. A status without a channel has no entry, so
 * route_lookup() returns NULL and the caller dead-letters the event. The
 * publisher event types without a channel are explicit dlq entries.
 */
static const struct route_default route_defaults[] = {
        {ROUTE_WORKFLOW_STATUS, "RUNNING", "workflow.started"},
        {ROUTE_WORKFLOW_STATUS, "COMPLETED", "workflow.completed"},
        {ROUTE_WORKFLOW_STATUS, "FAILED", "workflow.failed"},
        {ROUTE_WORKFLOW_STATUS, "TERMINATED", "workflow.terminated"},
        {ROUTE_WORKFLOW_STATUS, "TIMED_OUT", "workflow.timed_out"},
        {ROUTE_WORKFLOW_STATUS, "PAUSED", "workflow.paused"},
        {ROUTE_TASK_STATUS, "SCHEDULED", "task.scheduled"},
        {ROUTE_TASK_STATUS, "IN_PROGRESS", "task.in_progress"},
        {ROUTE_TASK_STATUS, "COMPLETED", "task.completed"},
        {ROUTE_TASK_STATUS, "FAILED", "task.failed"},
        {ROUTE_TASK_STATUS, "FAILED_WITH_TERMINAL_ERROR", "task.failed"},
        {ROUTE_TASK_STATUS, "TIMED_OUT", "task.timed_out"},
        {ROUTE_TASK_STATUS, "CANCELED", "task.canceled"},
        {ROUTE_EVENT_TYPE, "STARTED", "workflow.started"},
        {ROUTE_EVENT_TYPE, "COMPLETED", "workflow.completed"},
        {ROUTE_EVENT_TYPE, "PAUSED", "workflow.paused"},
        {ROUTE_EVENT_TYPE, "TERMINATED", "status"},
        {ROUTE_EVENT_TYPE, "RESUMED", "dlq"},
        {ROUTE_EVENT_TYPE, "RETRIED", "dlq"},
        {ROUTE_EVENT_TYPE, "RERAN", "dlq"},
        {ROUTE_EVENT_TYPE, "RESTARTED", "dlq"},
        {ROUTE_EVENT_TYPE, "FINALIZED", "dlq"},
};

static const char *const route_map_names[ROUTE_MAP_COUNT] = {
        [ROUTE_WORKFLOW_STATUS] = "workflow_status",
        [ROUTE_TASK_STATUS] = "task_status",
        [ROUTE_EVENT_TYPE] = "event_type",
};

const char *route_map_name(enum route_map map)
{
        if ((unsigned)map >= ROUTE_MAP_COUNT)
                return "unknown";
        return route_map_names[map];
}

/* 64-bit FNV-1a. */
static uint64_t route_hash(const char *key, size_t key_len)
{
        uint64_t hash = 14695981039346656037ULL;

        for (size_t i = 0; i < key_len; i++) {
                hash ^= (unsigned char)key[i];
                hash *= 1099511628211ULL;
        }
        return hash;
}

/* Returns the slot that contains key, or the empty slot where it belongs. */
static size_t *route_index_slot(const struct route_table *table,
                                const struct route_index *index,
                                const char *key, size_t key_len)
{
        size_t mask = index->slot_count - 1;
        size_t pos = (size_t)route_hash(key, key_len) & mask;

        for (;;) {
                size_t *slot = &index->slots[pos];
                if (*slot == 0)
                        return slot;
                const struct route_entry *entry = table->entries[*slot - 1];
                if (entry->key_len == key_len &&
                    memcmp(entry->key, key, key_len) == 0)
                        return slot;
                pos = (pos + 1) & mask;
        }
}

/* Doubles the slot array and reinserts this map's entries. */
static void route_index_grow(struct route_table *table, enum route_map map)
{
        struct route_index *index = &table->index[map];

        free(index->slots);
        index->slot_count = index->slot_count ? index->slot_count * 2
                                              : ROUTE_INDEX_INITIAL_SLOTS;
        index->slots = xcalloc(index->slot_count, sizeof(*index->slots));
        for (size_t i = 0; i < table->entry_count; i++) {
                const struct route_entry *entry = table->entries[i];
                if (entry->map != map)
                        continue;
                *route_index_slot(table, index, entry->key, entry->key_len) =
                        i + 1;
        }
}

static void route_entry_set_target(struct route_entry *entry,
                                   const struct route_target *target)
{
        free((char *)entry->target.channel);
        entry->target.kind = target->kind;
        entry->target.channel =
                target->channel ? xstrdup(target->channel) : NULL;
}

static void route_table_insert(struct route_table *table, enum route_map map,
                               const char *key,
                               const struct route_target *target)
{
        struct route_index *index = &table->index[map];
        size_t key_len = strlen(key);
        size_t *slot = route_index_slot(table, index, key, key_len);

        if (*slot != 0) {
                route_entry_set_target(table->entries[*slot - 1], target);
                return;
        }

        struct route_entry *entry = xcalloc(1, sizeof(*entry));
        entry->map = map;
        entry->key = xstrndup(key, key_len);
        entry->key_len = key_len;
        route_entry_set_target(entry, target);

        if (table->entry_count == table->entry_cap) {
                table->entry_cap = table->entry_cap ? table->entry_cap * 2 : 32;
                table->entries =
                        xrealloc(table->entries,
                                 table->entry_cap * sizeof(*table->entries));
        }
        table->entries[table->entry_count++] = entry;
        *slot = table->entry_count;

        /* Keep the load factor at most one half so probes stay short. */
        index->used++;
        if (index->used * 2 > index->slot_count)
                route_index_grow(table, map);
}

/* Returns nonzero when value is a channel name the table can store: not
 * empty, and free of spaces and control characters. Whether the channel
 * exists is up to the AsyncAPI document. */
static int route_is_channel_name(const char *value)
{
        if (value[0] == '\0')
                return 0;
        for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
                if (*p <= ' ' || *p == 0x7f)
                        return 0;
        }
        return 1;
}

static int route_parse_target(enum route_map map, const char *value,
                              struct route_target *target, char *errstr,
                              size_t errstr_size)
{
        static const char *const keywords[] = {"dlq", "skip", "status"};

        target->channel = NULL;
        if (strcmp(value, "dlq") == 0) {
                target->kind = ROUTE_DLQ;
                return 0;
        }
        if (strcmp(value, "skip") == 0) {
                target->kind = ROUTE_SKIP;
                return 0;
        }
        if (strcmp(value, "status") == 0) {
                if (map != ROUTE_EVENT_TYPE) {
                        snprintf(errstr, errstr_size,
                                 "\"status\" is valid only in event_type, "
                                 "where payload.status picks the channel "
                                 "(use a channel name, dlq or skip)");
                        return -1;
                }
                target->kind = ROUTE_BY_STATUS;
                return 0;
        }
        for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
                if (strcasecmp(value, keywords[i]) == 0) {
                        snprintf(errstr, errstr_size,
                                 "\"%s\" is not valid (write %s in lower "
                                 "case)",
                                 value, keywords[i]);
                        return -1;
                }
        }
        if (!route_is_channel_name(value)) {
                snprintf(errstr, errstr_size,
                         "\"%s\" is not a channel name (use a channel name "
                         "without spaces or control characters, dlq or "
                         "skip)",
                         value);
                return -1;
        }
        target->kind = ROUTE_CHANNEL;
        target->channel = value;
        return 0;
}

int route_table_set(struct route_table *table, enum route_map map,
                    const char *key, const char *value, char *errstr,
                    size_t errstr_size)
{
        struct route_target target;

        if ((unsigned)map >= ROUTE_MAP_COUNT) {
                snprintf(errstr, errstr_size,
                         "routing map %d does not exist (use "
                         "workflow_status, task_status or event_type)",
                         (int)map);
                return -1;
        }
        if (key[0] == '\0') {
                snprintf(errstr, errstr_size, "the %s key must not be empty",
                         route_map_name(map));
                return -1;
        }
        if (route_parse_target(map, value, &target, errstr, errstr_size) != 0)
                return -1;
        route_table_insert(table, map, key, &target);
        return 0;
}

struct route_table *route_table_new_default(void)
{
        struct route_table *table = xcalloc(1, sizeof(*table));
        size_t count = sizeof(route_defaults) / sizeof(route_defaults[0]);
        char errstr[256];

        for (int map = 0; map < ROUTE_MAP_COUNT; map++)
                route_index_grow(table, (enum route_map)map);
        for (size_t i = 0; i < count; i++) {
                const struct route_default *row = &route_defaults[i];
                int rc = route_table_set(table, row->map, row->key, row->value,
                                         errstr, sizeof(errstr));
                /* The rows above are constants that route_table_set()
                 * accepts, so a failure is a programming error. */
                if (rc != 0)
                        abort();
        }
        return table;
}

void route_table_destroy(struct route_table *table)
{
        if (table == NULL)
                return;
        for (size_t i = 0; i < table->entry_count; i++) {
                struct route_entry *entry = table->entries[i];
                free(entry->key);
                free((char *)entry->target.channel);
                free(entry);
        }
        free(table->entries);
        for (int map = 0; map < ROUTE_MAP_COUNT; map++)
                free(table->index[map].slots);
        free(table);
}

const struct route_target *route_lookup(const struct route_table *table,
                                        enum route_map map, const char *key,
                                        size_t key_len)
{
        if ((unsigned)map >= ROUTE_MAP_COUNT)
                return NULL;

        const struct route_index *index = &table->index[map];
        size_t slot = *route_index_slot(table, index, key, key_len);

        if (slot == 0)
                return NULL;
        return &table->entries[slot - 1]->target;
}

void route_table_foreach(const struct route_table *table,
                         void (*fn)(enum route_map map, const char *key,
                                    const struct route_target *target,
                                    void *opaque),
                         void *opaque)
{
        for (size_t i = 0; i < table->entry_count; i++) {
                const struct route_entry *entry = table->entries[i];
                fn(entry->map, entry->key, &entry->target, opaque);
        }
}
