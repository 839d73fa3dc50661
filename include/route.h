/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Routing tables: which channel a workflow status, a task status or a
 * Conductor publisher eventType goes to. Each entry maps a name to a
 * channel, to the dead-letter topic, to "skip", or (eventType only) to
 * "status", which lets payload.status decide.
 */
#ifndef CKB_ROUTE_H
#define CKB_ROUTE_H

#include <stddef.h>

enum route_map {
        ROUTE_WORKFLOW_STATUS,
        ROUTE_TASK_STATUS,
        ROUTE_EVENT_TYPE,
        ROUTE_MAP_COUNT,
};

enum route_kind {
        ROUTE_CHANNEL,
        ROUTE_DLQ,
        ROUTE_SKIP,
        ROUTE_BY_STATUS, /* eventType table only */
};

struct route_target {
        enum route_kind kind;
        const char *channel; /* ROUTE_CHANNEL only; owned by the table */
};

struct route_table;

/* Creates the default tables of the product contract. */
struct route_table *route_table_new_default(void);
void route_table_destroy(struct route_table *table);

/*
 * Sets key in map to value: a channel name, "dlq", "skip", or for
 * ROUTE_EVENT_TYPE also "status". Returns 0, or -1 with the reason in
 * errstr ("status" outside the eventType table). Channel names are checked
 * against the AsyncAPI document later, by route_table_check().
 */
int route_table_set(struct route_table *table, enum route_map map,
                    const char *key, const char *value, char *errstr,
                    size_t errstr_size);

/* Returns the entry for key or NULL when the table has none. */
const struct route_target *route_lookup(const struct route_table *table,
                                        enum route_map map, const char *key,
                                        size_t key_len);

/* Calls fn for every entry, in insertion order, e.g. to check channels. */
void route_table_foreach(const struct route_table *table,
                         void (*fn)(enum route_map map, const char *key,
                                    const struct route_target *target,
                                    void *opaque),
                         void *opaque);

/* "workflow_status", "task_status" or "event_type": the config names. */
const char *route_map_name(enum route_map map);

#endif
