/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-record decision with the built-in AsyncAPI document and the
 * default configuration: limits, JSON, classification, routing,
 * validation, and what a produced record carries.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncapi.h"
#include "cfg.h"
#include "event.h"

static struct cfg cfg;
static struct asyncapi_doc *api;
static struct event_ctx *ctx;
static struct event_result res;

static void setup(void)
{
        char err[1024];
        cfg_init(&cfg);
        cfg.max_value_bytes = 4096;
        cfg.max_depth = 16;
        api = asyncapi_load_builtin(err, sizeof(err));
        ck_assert_msg(api != NULL, "%s", err);
        ctx = event_ctx_new(&cfg, api, err, sizeof(err));
        ck_assert_msg(ctx != NULL, "%s", err);
}

static void teardown(void)
{
        event_ctx_destroy(ctx);
        asyncapi_destroy(api);
        cfg_free(&cfg);
}

static void process(const char *value)
{
        event_process(ctx, "workflow-status-events", value, strlen(value), 0,
                      &res);
}

struct routing_case {
        const char *value;
        const char *channel;
};

static const struct routing_case routing_cases[] = {
        {"{\"workflowId\":\"w\",\"status\":\"RUNNING\"}", "workflow.started"},
        {"{\"workflowId\":\"w\",\"status\":\"COMPLETED\"}",
         "workflow.completed"},
        {"{\"workflowId\":\"w\",\"status\":\"FAILED\"}", "workflow.failed"},
        {"{\"workflowId\":\"w\",\"status\":\"TERMINATED\"}",
         "workflow.terminated"},
        {"{\"workflowId\":\"w\",\"status\":\"TIMED_OUT\"}",
         "workflow.timed_out"},
        {"{\"workflowId\":\"w\",\"status\":\"PAUSED\"}", "workflow.paused"},
        {"{\"taskId\":\"t\",\"status\":\"SCHEDULED\"}", "task.scheduled"},
        {"{\"taskId\":\"t\",\"status\":\"IN_PROGRESS\"}", "task.in_progress"},
        {"{\"taskId\":\"t\",\"status\":\"COMPLETED\"}", "task.completed"},
        {"{\"taskId\":\"t\",\"status\":\"FAILED\"}", "task.failed"},
        {"{\"taskId\":\"t\",\"status\":\"FAILED_WITH_TERMINAL_ERROR\"}",
         "task.failed"},
        {"{\"taskId\":\"t\",\"status\":\"TIMED_OUT\"}", "task.timed_out"},
        {"{\"taskId\":\"t\",\"status\":\"CANCELED\"}", "task.canceled"},
};

START_TEST(status_picks_channel)
{
        const struct routing_case *c = &routing_cases[_i];
        process(c->value);
        ck_assert_int_eq(res.action, EVENT_PRODUCE);
        ck_assert_str_eq(res.channel, c->channel);
        ck_assert_str_eq(res.topic, c->channel);
        ck_assert_uint_lt(res.channel_index, event_channel_count(ctx));
        ck_assert_ptr_eq(event_channel_name(ctx, res.channel_index),
                         res.channel);
        ck_assert_int_eq(res.rewritten, 0);
        ck_assert_uint_eq(res.value_len, strlen(c->value));
}
END_TEST

struct reject_case {
        const char *value;
        enum event_action action;
        const char *reason;
};

static const struct reject_case reject_cases[] = {
        {"{\"taskId\":\"t\",\"status\":\"SKIPPED\"}", EVENT_DLQ,
         "task status \"SKIPPED\" has no channel"},
        {"{\"taskId\":\"t\",\"status\":\"COMPLETED_WITH_ERRORS\"}", EVENT_DLQ,
         "task status \"COMPLETED_WITH_ERRORS\" has no channel"},
        {"{\"workflowId\":\"w\",\"status\":\"SCHEDULED\"}", EVENT_DLQ,
         "workflow status \"SCHEDULED\" has no channel"},
        {"{\"workflowId\":\"w\"}", EVENT_DLQ, "workflow event has no status"},
        {"{\"taskId\":\"t\",\"status\":null}", EVENT_DLQ,
         "task event has no status"},
        {"{\"status\":5}", EVENT_DLQ, "status must be a string, got integer"},
        {"{\"status\":\"a\\nb\"}", EVENT_DLQ,
         "workflow status \"a\\u000ab\" has no channel"},
        /* taskId makes a task event whatever its value, and the task
         * schema then rejects a value that is not a string. */
        {"{\"taskId\":null,\"status\":\"CANCELED\"}", EVENT_DLQ,
         "/taskId: type: expected string, got null"},
        {"{\"taskId\":7,\"status\":\"SCHEDULED\",\"workflowId\":\"w\"}",
         EVENT_DLQ, "/taskId: type: expected string, got integer 7"},
        {"{\"taskId\":7,\"status\":\"RUNNING\"}", EVENT_DLQ,
         "task status \"RUNNING\" has no channel"},
        {"[1,2]", EVENT_DLQ, "value is a JSON array, expected an object"},
        {"42", EVENT_DLQ, "value is a JSON number, expected an object"},
        {"\"RUNNING\"", EVENT_DLQ,
         "value is a JSON string, expected an object"},
        {"null", EVENT_DLQ, "value is a JSON null, expected an object"},
        {"", EVENT_DLQ, "empty value"},
        {"  ", EVENT_DLQ, "empty value"},
        {"[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", EVENT_DLQ,
         "JSON nested deeper than limits.max_depth (16)"},
        {"{\"workflowId\":\"w\",\"workflowVersion\":\"2\","
         "\"status\":\"RUNNING\"}",
         EVENT_DLQ, "/workflowVersion: type: expected integer, got string "
                    "\"2\""},
};

START_TEST(unroutable_is_rejected_with_reason)
{
        const struct reject_case *c = &reject_cases[_i];
        process(c->value);
        ck_assert_int_eq(res.action, c->action);
        ck_assert_str_eq(res.reason, c->reason);
}
END_TEST

START_TEST(schema_violation_has_pointer)
{
        process("{\"taskId\":\"t\",\"status\":\"FAILED\",\"retryCount\":1.5}");
        ck_assert_int_eq(res.action, EVENT_DLQ);
        ck_assert_int_eq(res.has_pointer, 1);
        ck_assert_str_eq(res.pointer, "/retryCount");
}
END_TEST

START_TEST(invalid_json_is_dead_lettered)
{
        static const char *const bad[] = {
                "{\"status\":\"RUNNING\"} x", "{\"status\":\"RUNNING\",}",
                "\xef\xbb\xbf{\"status\":\"RUNNING\"}",
                "{\"status\":\"RUNNING\"}/* c */",
                "{\"status\":\"RUNNING\",\"status\":\"FAILED\"}",
                "{\"status\":\"RUN\xc3\x28\"}", "{\"a\":1}{\"a\":2}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                process(bad[i]);
                ck_assert_int_eq(res.action, EVENT_DLQ);
                ck_assert_int_eq(res.has_pointer, 0);
                ck_assert_ptr_nonnull(strstr(res.reason, "at byte"));
        }
}
END_TEST

START_TEST(null_value_is_dead_lettered)
{
        event_process(ctx, "t", NULL, 0, 1, &res);
        ck_assert_int_eq(res.action, EVENT_DLQ);
        ck_assert_str_eq(res.reason, "value is null");
}
END_TEST

START_TEST(value_over_limit_is_dead_lettered)
{
        char *big = malloc(5000);
        memset(big, ' ', 4999);
        big[0] = '{';
        big[4997] = '}';
        big[4998] = '\0';
        process(big);
        ck_assert_int_eq(res.action, EVENT_DLQ);
        ck_assert_str_eq(res.reason, "value is 4998 bytes, over "
                                     "limits.max_value_bytes (4096)");
        free(big);
}
END_TEST

START_TEST(nul_in_string_is_accepted)
{
        static const char v[] = "{\"workflowId\":\"a\\u0000b\","
                                "\"status\":\"RUNNING\"}";
        process(v);
        ck_assert_int_eq(res.action, EVENT_PRODUCE);
        ck_assert_str_eq(res.channel, "workflow.started");
}
END_TEST

START_TEST(fallback_key_is_workflow_id)
{
        process("{\"workflowId\":\"wf-1\",\"status\":\"RUNNING\"}");
        ck_assert_int_eq(res.fallback_key_len, 4);
        ck_assert_str_eq(res.fallback_key, "wf-1");
        ck_assert_str_eq(res.workflow_id, "wf-1");
        process("{\"taskId\":\"t-1\",\"workflowInstanceId\":\"wf-2\","
                "\"status\":\"SCHEDULED\"}");
        ck_assert_str_eq(res.fallback_key, "wf-2");
        ck_assert_str_eq(res.task_id, "t-1");
        process("{\"taskId\":\"t-1\",\"status\":\"SCHEDULED\"}");
        ck_assert_ptr_null(res.fallback_key);
}
END_TEST

START_TEST(ce_time_prefers_end_time)
{
        process("{\"status\":\"COMPLETED\",\"startTime\":1000,"
                "\"endTime\":2000}");
        ck_assert_int_eq(res.has_time, 1);
        ck_assert_int_eq(res.time_ms, 2000);
        process("{\"taskId\":\"t\",\"status\":\"SCHEDULED\","
                "\"scheduledTime\":3000,\"endTime\":0}");
        ck_assert_int_eq(res.has_time, 1);
        ck_assert_int_eq(res.time_ms, 3000);
        process("{\"status\":\"RUNNING\"}");
        ck_assert_int_eq(res.has_time, 0);
}
END_TEST

START_TEST(envelope_routes_by_event_type)
{
        process("{\"workflowName\":\"w\",\"eventType\":\"STARTED\","
                "\"payload\":{\"workflowType\":\"w\",\"version\":1,"
                "\"workflowId\":\"id1\",\"status\":\"RUNNING\"}}");
        ck_assert_int_eq(res.action, EVENT_PRODUCE);
        ck_assert_str_eq(res.channel, "workflow.started");
        ck_assert_int_eq(res.rewritten, 1);
        ck_assert_str_eq(res.fallback_key, "id1");
}
END_TEST

START_TEST(envelope_terminated_uses_status)
{
        static const char *const status[] = {"FAILED", "TIMED_OUT",
                                             "TERMINATED"};
        static const char *const channel[] = {
                "workflow.failed", "workflow.timed_out",
                "workflow.terminated"};
        for (int i = 0; i < 3; i++) {
                char v[256];
                snprintf(v, sizeof(v),
                         "{\"workflowName\":\"w\",\"eventType\":"
                         "\"TERMINATED\",\"payload\":{\"workflowId\":\"x\","
                         "\"status\":\"%s\"}}",
                         status[i]);
                process(v);
                ck_assert_int_eq(res.action, EVENT_PRODUCE);
                ck_assert_str_eq(res.channel, channel[i]);
        }
}
END_TEST

START_TEST(envelope_disagreement_is_dead_lettered)
{
        process("{\"workflowName\":\"w\",\"eventType\":\"STARTED\","
                "\"payload\":{\"workflowId\":\"x\",\"status\":\"COMPLETED\"}}");
        ck_assert_int_eq(res.action, EVENT_DLQ);
        ck_assert_str_eq(res.reason, "eventType \"STARTED\" disagrees with "
                                     "payload.status \"COMPLETED\"");
}
END_TEST

START_TEST(terminated_needs_terminal_status)
{
        static const char *const status[] = {"RUNNING", "COMPLETED",
                                             "PAUSED"};
        for (int i = 0; i < 3; i++) {
                char v[256], reason[128];
                snprintf(v, sizeof(v),
                         "{\"workflowName\":\"w\",\"eventType\":"
                         "\"TERMINATED\",\"payload\":{\"workflowId\":\"x\","
                         "\"status\":\"%s\"}}",
                         status[i]);
                snprintf(reason, sizeof(reason),
                         "eventType \"TERMINATED\" disagrees with "
                         "payload.status \"%s\"",
                         status[i]);
                process(v);
                ck_assert_int_eq(res.action, EVENT_DLQ);
                ck_assert_str_eq(res.reason, reason);
        }
}
END_TEST

START_TEST(envelope_without_channel_is_dead_lettered)
{
        static const char *const types[] = {"RESUMED", "RETRIED", "RERAN",
                                            "RESTARTED", "FINALIZED"};
        for (int i = 0; i < 5; i++) {
                char v[256], reason[128];
                snprintf(v, sizeof(v),
                         "{\"workflowName\":\"w\",\"eventType\":\"%s\","
                         "\"payload\":{\"workflowId\":\"x\","
                         "\"status\":\"RUNNING\"}}",
                         types[i]);
                snprintf(reason, sizeof(reason),
                         "eventType \"%s\" has no channel", types[i]);
                process(v);
                ck_assert_int_eq(res.action, EVENT_DLQ);
                ck_assert_str_eq(res.reason, reason);
        }
}
END_TEST

START_TEST(skip_entry_skips)
{
        char err[256];
        ck_assert_int_eq(route_table_set(cfg.routes, ROUTE_TASK_STATUS,
                                         "SKIPPED", "skip", err, sizeof(err)),
                         0);
        process("{\"taskId\":\"t\",\"status\":\"SKIPPED\"}");
        ck_assert_int_eq(res.action, EVENT_SKIP);
        ck_assert_str_eq(res.reason, "task status \"SKIPPED\" is mapped to "
                                     "skip");
}
END_TEST

START_TEST(unknown_routed_channel_fails_setup)
{
        char err[1024];
        ck_assert_int_eq(route_table_set(cfg.routes, ROUTE_WORKFLOW_STATUS,
                                         "RUNNING", "workflow.begun", err,
                                         sizeof(err)),
                         0);
        struct event_ctx *bad = event_ctx_new(&cfg, api, err, sizeof(err));
        ck_assert_ptr_null(bad);
        ck_assert_ptr_nonnull(strstr(err, "routing.workflow_status.RUNNING: "
                                          "channel \"workflow.begun\""));
}
END_TEST

static Suite *event_suite(void)
{
        Suite *s = suite_create("event");
        TCase *tc = tcase_create("routing");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, status_picks_channel, 0,
                            sizeof(routing_cases) / sizeof(routing_cases[0]));
        tcase_add_loop_test(tc, unroutable_is_rejected_with_reason, 0,
                            sizeof(reject_cases) / sizeof(reject_cases[0]));
        tcase_add_test(tc, skip_entry_skips);
        tcase_add_test(tc, unknown_routed_channel_fails_setup);
        suite_add_tcase(s, tc);

        tc = tcase_create("limits_and_json");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, schema_violation_has_pointer);
        tcase_add_test(tc, invalid_json_is_dead_lettered);
        tcase_add_test(tc, null_value_is_dead_lettered);
        tcase_add_test(tc, value_over_limit_is_dead_lettered);
        tcase_add_test(tc, nul_in_string_is_accepted);
        suite_add_tcase(s, tc);

        tc = tcase_create("record_fields");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, fallback_key_is_workflow_id);
        tcase_add_test(tc, ce_time_prefers_end_time);
        suite_add_tcase(s, tc);

        tc = tcase_create("envelope");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, envelope_routes_by_event_type);
        tcase_add_test(tc, envelope_terminated_uses_status);
        tcase_add_test(tc, envelope_disagreement_is_dead_lettered);
        tcase_add_test(tc, terminated_needs_terminal_status);
        tcase_add_test(tc, envelope_without_channel_is_dead_lettered);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(event_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
