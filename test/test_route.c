/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the routing tables: defaults, overrides and bad values. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

struct route_row {
        enum route_map map;
        const char *key;
        enum route_kind kind;
        const char *channel; /* ROUTE_CHANNEL only */
};

/* Every entry of the default tables, in insertion order. */
static const struct route_row default_rows[] = {
        {ROUTE_WORKFLOW_STATUS, "RUNNING", ROUTE_CHANNEL, "workflow.started"},
        {ROUTE_WORKFLOW_STATUS, "COMPLETED", ROUTE_CHANNEL,
         "workflow.completed"},
        {ROUTE_WORKFLOW_STATUS, "FAILED", ROUTE_CHANNEL, "workflow.failed"},
        {ROUTE_WORKFLOW_STATUS, "TERMINATED", ROUTE_CHANNEL,
         "workflow.terminated"},
        {ROUTE_WORKFLOW_STATUS, "TIMED_OUT", ROUTE_CHANNEL,
         "workflow.timed_out"},
        {ROUTE_WORKFLOW_STATUS, "PAUSED", ROUTE_CHANNEL, "workflow.paused"},
        {ROUTE_TASK_STATUS, "SCHEDULED", ROUTE_CHANNEL, "task.scheduled"},
        {ROUTE_TASK_STATUS, "IN_PROGRESS", ROUTE_CHANNEL, "task.in_progress"},
        {ROUTE_TASK_STATUS, "COMPLETED", ROUTE_CHANNEL, "task.completed"},
        {ROUTE_TASK_STATUS, "FAILED", ROUTE_CHANNEL, "task.failed"},
        {ROUTE_TASK_STATUS, "FAILED_WITH_TERMINAL_ERROR", ROUTE_CHANNEL,
         "task.failed"},
        {ROUTE_TASK_STATUS, "TIMED_OUT", ROUTE_CHANNEL, "task.timed_out"},
        {ROUTE_TASK_STATUS, "CANCELED", ROUTE_CHANNEL, "task.canceled"},
        {ROUTE_EVENT_TYPE, "STARTED", ROUTE_CHANNEL, "workflow.started"},
        {ROUTE_EVENT_TYPE, "COMPLETED", ROUTE_CHANNEL, "workflow.completed"},
        {ROUTE_EVENT_TYPE, "PAUSED", ROUTE_CHANNEL, "workflow.paused"},
        {ROUTE_EVENT_TYPE, "TERMINATED", ROUTE_BY_STATUS, NULL},
        {ROUTE_EVENT_TYPE, "RESUMED", ROUTE_DLQ, NULL},
        {ROUTE_EVENT_TYPE, "RETRIED", ROUTE_DLQ, NULL},
        {ROUTE_EVENT_TYPE, "RERAN", ROUTE_DLQ, NULL},
        {ROUTE_EVENT_TYPE, "RESTARTED", ROUTE_DLQ, NULL},
        {ROUTE_EVENT_TYPE, "FINALIZED", ROUTE_DLQ, NULL},
};

#define DEFAULT_ROW_COUNT (sizeof(default_rows) / sizeof(default_rows[0]))

struct missing_row {
        enum route_map map;
        const char *key;
};

/* Values that have no default entry, so the caller dead-letters them. */
static const struct missing_row missing_rows[] = {
        {ROUTE_WORKFLOW_STATUS, "SKIPPED"},
        {ROUTE_WORKFLOW_STATUS, "SCHEDULED"},
        {ROUTE_WORKFLOW_STATUS, "running"},
        {ROUTE_WORKFLOW_STATUS, ""},
        {ROUTE_TASK_STATUS, "SKIPPED"},
        {ROUTE_TASK_STATUS, "COMPLETED_WITH_ERRORS"},
        {ROUTE_TASK_STATUS, "RUNNING"},
        {ROUTE_TASK_STATUS, "CANCELLED"},
        {ROUTE_EVENT_TYPE, "FAILED"},
        {ROUTE_EVENT_TYPE, "TIMED_OUT"},
        {ROUTE_EVENT_TYPE, "RUNNING"},
};

#define MISSING_ROW_COUNT (sizeof(missing_rows) / sizeof(missing_rows[0]))

static const struct route_target *lookup(const struct route_table *table,
                                         enum route_map map, const char *key)
{
        return route_lookup(table, map, key, strlen(key));
}

START_TEST(test_default_entry)
{
        const struct route_row *row = &default_rows[_i];
        struct route_table *table = route_table_new_default();
        const struct route_target *target = lookup(table, row->map, row->key);

        ck_assert_msg(target != NULL, "%s %s has no entry",
                      route_map_name(row->map), row->key);
        ck_assert_int_eq(target->kind, row->kind);
        if (row->channel != NULL)
                ck_assert_str_eq(target->channel, row->channel);
        else
                ck_assert_ptr_null(target->channel);
        route_table_destroy(table);
}
END_TEST

START_TEST(test_default_missing)
{
        const struct missing_row *row = &missing_rows[_i];
        struct route_table *table = route_table_new_default();

        ck_assert_ptr_null(lookup(table, row->map, row->key));
        route_table_destroy(table);
}
END_TEST

struct collected {
        enum route_map maps[64];
        const char *keys[64];
        const struct route_target *targets[64];
        size_t count;
};

static void collect(enum route_map map, const char *key,
                    const struct route_target *target, void *opaque)
{
        struct collected *c = opaque;

        if (c->count < 64) {
                c->maps[c->count] = map;
                c->keys[c->count] = key;
                c->targets[c->count] = target;
        }
        c->count++;
}

START_TEST(test_default_foreach_order)
{
        struct route_table *table = route_table_new_default();
        struct collected c = {0};

        route_table_foreach(table, collect, &c);
        ck_assert_uint_eq(c.count, DEFAULT_ROW_COUNT);
        for (size_t i = 0; i < DEFAULT_ROW_COUNT; i++) {
                ck_assert_int_eq(c.maps[i], default_rows[i].map);
                ck_assert_str_eq(c.keys[i], default_rows[i].key);
                ck_assert_int_eq(c.targets[i]->kind, default_rows[i].kind);
        }
        route_table_destroy(table);
}
END_TEST

START_TEST(test_lookup_uses_key_length)
{
        struct route_table *table = route_table_new_default();
        const char text[] = "RUNNINGX";
        const struct route_target *target;

        target = route_lookup(table, ROUTE_WORKFLOW_STATUS, text, 7);
        ck_assert_ptr_nonnull(target);
        ck_assert_str_eq(target->channel, "workflow.started");
        ck_assert_ptr_null(route_lookup(table, ROUTE_WORKFLOW_STATUS, text, 8));
        ck_assert_ptr_null(route_lookup(table, ROUTE_WORKFLOW_STATUS, text, 6));
        route_table_destroy(table);
}
END_TEST

START_TEST(test_lookup_bad_map)
{
        struct route_table *table = route_table_new_default();

        ck_assert_ptr_null(route_lookup(table, ROUTE_MAP_COUNT, "RUNNING", 7));
        route_table_destroy(table);
}
END_TEST

START_TEST(test_lookup_key_with_nul)
{
        struct route_table *table = route_table_new_default();

        ck_assert_ptr_null(
                route_lookup(table, ROUTE_WORKFLOW_STATUS, "RUNNING\0", 8));
        route_table_destroy(table);
}
END_TEST

START_TEST(test_set_overrides_channel)
{
        struct route_table *table = route_table_new_default();
        char errstr[256] = "";
        const struct route_target *target;

        ck_assert_int_eq(route_table_set(table, ROUTE_WORKFLOW_STATUS,
                                         "RUNNING", "wf.running", errstr,
                                         sizeof(errstr)),
                         0);
        target = lookup(table, ROUTE_WORKFLOW_STATUS, "RUNNING");
        ck_assert_int_eq(target->kind, ROUTE_CHANNEL);
        ck_assert_str_eq(target->channel, "wf.running");
        ck_assert_str_eq(errstr, "");
        route_table_destroy(table);
}
END_TEST

START_TEST(test_set_skip_and_dlq)
{
        struct route_table *table = route_table_new_default();
        char errstr[256];
        const struct route_target *target;

        ck_assert_int_eq(route_table_set(table, ROUTE_TASK_STATUS, "SKIPPED",
                                         "skip", errstr, sizeof(errstr)),
                         0);
        ck_assert_int_eq(route_table_set(table, ROUTE_TASK_STATUS, "COMPLETED",
                                         "dlq", errstr, sizeof(errstr)),
                         0);
        target = lookup(table, ROUTE_TASK_STATUS, "SKIPPED");
        ck_assert_int_eq(target->kind, ROUTE_SKIP);
        ck_assert_ptr_null(target->channel);
        target = lookup(table, ROUTE_TASK_STATUS, "COMPLETED");
        ck_assert_int_eq(target->kind, ROUTE_DLQ);
        ck_assert_ptr_null(target->channel);
        route_table_destroy(table);
}
END_TEST

START_TEST(test_set_status_in_event_type)
{
        struct route_table *table = route_table_new_default();
        char errstr[256];
        const struct route_target *target;

        ck_assert_int_eq(route_table_set(table, ROUTE_EVENT_TYPE, "RESUMED",
                                         "status", errstr, sizeof(errstr)),
                         0);
        target = lookup(table, ROUTE_EVENT_TYPE, "RESUMED");
        ck_assert_int_eq(target->kind, ROUTE_BY_STATUS);
        ck_assert_ptr_null(target->channel);
        route_table_destroy(table);
}
END_TEST

START_TEST(test_set_override_keeps_order)
{
        struct route_table *table = route_table_new_default();
        char errstr[256];
        struct collected c = {0};

        ck_assert_int_eq(route_table_set(table, ROUTE_EVENT_TYPE, "STARTED",
                                         "skip", errstr, sizeof(errstr)),
                         0);
        ck_assert_int_eq(route_table_set(table, ROUTE_TASK_STATUS, "SKIPPED",
                                         "task.skipped", errstr,
                                         sizeof(errstr)),
                         0);
        route_table_foreach(table, collect, &c);
        ck_assert_uint_eq(c.count, DEFAULT_ROW_COUNT + 1);
        ck_assert_str_eq(c.keys[13], "STARTED");
        ck_assert_int_eq(c.targets[13]->kind, ROUTE_SKIP);
        ck_assert_int_eq(c.maps[DEFAULT_ROW_COUNT], ROUTE_TASK_STATUS);
        ck_assert_str_eq(c.keys[DEFAULT_ROW_COUNT], "SKIPPED");
        ck_assert_str_eq(c.targets[DEFAULT_ROW_COUNT]->channel, "task.skipped");
        route_table_destroy(table);
}
END_TEST

START_TEST(test_set_maps_are_separate)
{
        struct route_table *table = route_table_new_default();
        char errstr[256];

        ck_assert_int_eq(route_table_set(table, ROUTE_TASK_STATUS, "COMPLETED",
                                         "done", errstr, sizeof(errstr)),
                         0);
        ck_assert_str_eq(lookup(table, ROUTE_TASK_STATUS, "COMPLETED")->channel,
                         "done");
        ck_assert_str_eq(
                lookup(table, ROUTE_WORKFLOW_STATUS, "COMPLETED")->channel,
                "workflow.completed");
        ck_assert_str_eq(lookup(table, ROUTE_EVENT_TYPE, "COMPLETED")->channel,
                         "workflow.completed");
        route_table_destroy(table);
}
END_TEST

START_TEST(test_set_many_keys)
{
        struct route_table *table = route_table_new_default();
        char errstr[256];
        char key[32];
        char channel[32];

        /* Enough keys to grow the hash index several times. */
        for (int i = 0; i < 1000; i++) {
                snprintf(key, sizeof(key), "S%d", i);
                snprintf(channel, sizeof(channel), "c.%d", i);
                ck_assert_int_eq(route_table_set(table, ROUTE_TASK_STATUS, key,
                                                 channel, errstr,
                                                 sizeof(errstr)),
                                 0);
        }
        for (int i = 0; i < 1000; i++) {
                snprintf(key, sizeof(key), "S%d", i);
                snprintf(channel, sizeof(channel), "c.%d", i);
                const struct route_target *target =
                        lookup(table, ROUTE_TASK_STATUS, key);
                ck_assert_ptr_nonnull(target);
                ck_assert_str_eq(target->channel, channel);
        }
        ck_assert_str_eq(lookup(table, ROUTE_TASK_STATUS, "CANCELED")->channel,
                         "task.canceled");
        ck_assert_ptr_null(lookup(table, ROUTE_TASK_STATUS, "S1000"));
        route_table_destroy(table);
}
END_TEST

START_TEST(test_lookup_result_survives_growth)
{
        struct route_table *table = route_table_new_default();
        const struct route_target *target =
                lookup(table, ROUTE_WORKFLOW_STATUS, "FAILED");
        char errstr[256];
        char key[32];

        for (int i = 0; i < 200; i++) {
                snprintf(key, sizeof(key), "K%d", i);
                ck_assert_int_eq(route_table_set(table, ROUTE_WORKFLOW_STATUS,
                                                 key, "skip", errstr,
                                                 sizeof(errstr)),
                                 0);
        }
        ck_assert_str_eq(target->channel, "workflow.failed");
        route_table_destroy(table);
}
END_TEST

struct bad_value_row {
        enum route_map map;
        const char *key;
        const char *value;
        const char *message;
};

static const struct bad_value_row bad_value_rows[] = {
        {ROUTE_WORKFLOW_STATUS, "RUNNING", "status",
         "\"status\" is valid only in event_type, where payload.status picks "
         "the channel (use a channel name, dlq or skip)"},
        {ROUTE_TASK_STATUS, "FAILED", "status",
         "\"status\" is valid only in event_type, where payload.status picks "
         "the channel (use a channel name, dlq or skip)"},
        {ROUTE_WORKFLOW_STATUS, "RUNNING", "",
         "\"\" is not a channel name (use a channel name without spaces or "
         "control characters, dlq or skip)"},
        {ROUTE_TASK_STATUS, "FAILED", "task failed",
         "\"task failed\" is not a channel name (use a channel name without "
         "spaces or control characters, dlq or skip)"},
        {ROUTE_TASK_STATUS, "FAILED", "task.failed\n",
         "\"task.failed\n\" is not a channel name (use a channel name "
         "without spaces or control characters, dlq or skip)"},
        {ROUTE_TASK_STATUS, "FAILED", "SKIP",
         "\"SKIP\" is not valid (write skip in lower case)"},
        {ROUTE_TASK_STATUS, "FAILED", "Dlq",
         "\"Dlq\" is not valid (write dlq in lower case)"},
        {ROUTE_EVENT_TYPE, "RESUMED", "STATUS",
         "\"STATUS\" is not valid (write status in lower case)"},
        {ROUTE_WORKFLOW_STATUS, "", "skip",
         "the workflow_status key must not be empty"},
        {ROUTE_MAP_COUNT, "RUNNING", "skip",
         "routing map 3 does not exist (use workflow_status, task_status or "
         "event_type)"},
};

#define BAD_VALUE_ROW_COUNT (sizeof(bad_value_rows) / sizeof(bad_value_rows[0]))

START_TEST(test_set_rejects_value)
{
        const struct bad_value_row *row = &bad_value_rows[_i];
        struct route_table *table = route_table_new_default();
        char errstr[512] = "";
        size_t before = 0;
        struct collected c = {0};

        route_table_foreach(table, collect, &c);
        before = c.count;
        ck_assert_int_eq(route_table_set(table, row->map, row->key, row->value,
                                         errstr, sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, row->message);
        c.count = 0;
        route_table_foreach(table, collect, &c);
        ck_assert_uint_eq(c.count, before);
        route_table_destroy(table);
}
END_TEST

START_TEST(test_rejected_value_keeps_entry)
{
        struct route_table *table = route_table_new_default();
        char errstr[256];

        ck_assert_int_eq(route_table_set(table, ROUTE_WORKFLOW_STATUS,
                                         "RUNNING", "status", errstr,
                                         sizeof(errstr)),
                         -1);
        ck_assert_str_eq(
                lookup(table, ROUTE_WORKFLOW_STATUS, "RUNNING")->channel,
                "workflow.started");
        route_table_destroy(table);
}
END_TEST

START_TEST(test_map_names)
{
        ck_assert_str_eq(route_map_name(ROUTE_WORKFLOW_STATUS),
                         "workflow_status");
        ck_assert_str_eq(route_map_name(ROUTE_TASK_STATUS), "task_status");
        ck_assert_str_eq(route_map_name(ROUTE_EVENT_TYPE), "event_type");
        ck_assert_str_eq(route_map_name(ROUTE_MAP_COUNT), "unknown");
}
END_TEST

START_TEST(test_destroy_null)
{
        route_table_destroy(NULL);
}
END_TEST

static Suite *route_suite(void)
{
        Suite *suite = suite_create("route");
        TCase *tc;

        tc = tcase_create("defaults");
        tcase_add_loop_test(tc, test_default_entry, 0, DEFAULT_ROW_COUNT);
        tcase_add_loop_test(tc, test_default_missing, 0, MISSING_ROW_COUNT);
        tcase_add_test(tc, test_default_foreach_order);
        suite_add_tcase(suite, tc);

        tc = tcase_create("lookup");
        tcase_add_test(tc, test_lookup_uses_key_length);
        tcase_add_test(tc, test_lookup_bad_map);
        tcase_add_test(tc, test_lookup_key_with_nul);
        tcase_add_test(tc, test_lookup_result_survives_growth);
        suite_add_tcase(suite, tc);

        tc = tcase_create("overrides");
        tcase_add_test(tc, test_set_overrides_channel);
        tcase_add_test(tc, test_set_skip_and_dlq);
        tcase_add_test(tc, test_set_status_in_event_type);
        tcase_add_test(tc, test_set_override_keeps_order);
        tcase_add_test(tc, test_set_maps_are_separate);
        tcase_add_test(tc, test_set_many_keys);
        suite_add_tcase(suite, tc);

        tc = tcase_create("reject_value");
        tcase_add_loop_test(tc, test_set_rejects_value, 0, BAD_VALUE_ROW_COUNT);
        tcase_add_test(tc, test_rejected_value_keeps_entry);
        suite_add_tcase(suite, tc);

        tc = tcase_create("names");
        tcase_add_test(tc, test_map_names);
        tcase_add_test(tc, test_destroy_null);
        suite_add_tcase(suite, tc);
        return suite;
}

int main(void)
{
        SRunner *runner = srunner_create(route_suite());
        int failed;

        srunner_run_all(runner, CK_NORMAL);
        failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
