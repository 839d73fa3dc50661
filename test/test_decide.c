/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decisions in parallel: a batch decided by 1, 2 or 4 threads gives, for
 * every record, what event_process() gives for that record alone, and
 * every result of a batch stays valid until the next batch.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncapi.h"
#include "buf.h"
#include "cfg.h"
#include "decide.h"
#include "event.h"
#include "json.h"

/* Records of the batch: Conductor's wire formats from test/data, plus
 * hand-written records of every kind of decision. */
#define MAX_RECORDS 512

static const char *const extra_records[] = {
        "{\"workflowId\":\"w-1\",\"status\":\"RUNNING\"}",
        "{\"workflowId\":\"w-2\",\"status\":\"COMPLETED\",\"endTime\":5}",
        "{\"taskId\":\"t-1\",\"workflowInstanceId\":\"w-3\","
        "\"status\":\"SCHEDULED\",\"scheduledTime\":7}",
        "{\"taskId\":\"t-2\",\"status\":\"CANCELLED\"}",
        "{\"workflowId\":\"a\\u0000b\",\"status\":\"PAUSED\"}",
        "{\"workflowId\":\"w-4\",\"status\":\"RUNNING\",\"workflowVersion\":"
        "\"one\"}",
        "{\"workflowId\":",
        "[1, 2, 3]",
        "",
        "\xef\xbb\xbf{}",
};

struct record {
        char *value;
        size_t len;
        int is_null;
};

static struct cfg cfg;
static struct asyncapi_doc *api;
static struct event_ctx *main_ctx;
static struct event_ctx *reference_ctx;
static struct record records[MAX_RECORDS];
static size_t record_count;

static void add_record(const char *value, size_t len, int is_null)
{
        ck_assert_uint_lt(record_count, MAX_RECORDS);
        struct record *r = &records[record_count++];
        r->value = is_null ? NULL : malloc(len + 1);
        if (!is_null) {
                memcpy(r->value, value, len);
                r->value[len] = '\0';
        }
        r->len = len;
        r->is_null = is_null;
}

static void read_file(const char *path, struct buf *text)
{
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                buf_append(text, chunk, n);
        fclose(f);
}

/* Adds the "input" of every case in a test/data/conductor file. */
static void add_cases(const char *name)
{
        const char *dir = getenv("CKB_TEST_DATA");
        ck_assert_ptr_nonnull(dir);
        char path[1024];
        snprintf(path, sizeof(path), "%s/conductor/%s", dir, name);
        struct buf text = BUF_INIT;
        read_file(path, &text);
        struct json_doc *doc = json_doc_new();
        enum json_error jerr;
        char err[256];
        const struct json_value *cases =
                json_parse(doc, text.data, text.len, 1024, &jerr, err,
                           sizeof(err));
        ck_assert_msg(cases != NULL, "%s: %s", path, err);
        ck_assert_int_eq(cases->type, JSON_ARRAY);
        struct buf out = BUF_INIT;
        for (size_t i = 0; i < cases->u.array.count; i++) {
                const struct json_value *input =
                        json_object_get(cases->u.array.items[i], "input");
                if (!input)
                        continue;
                buf_clear(&out);
                if (input->type == JSON_STRING)
                        buf_append(&out, input->u.string.s,
                                   input->u.string.len);
                else
                        json_write(input, &out);
                add_record(out.data, out.len, 0);
        }
        buf_free(&out);
        json_doc_destroy(doc);
        buf_free(&text);
}

static void setup(void)
{
        char err[1024];
        cfg_init(&cfg);
        api = asyncapi_load_builtin(err, sizeof(err));
        ck_assert_msg(api != NULL, "%s", err);
        main_ctx = event_ctx_new(&cfg, api, err, sizeof(err));
        ck_assert_msg(main_ctx != NULL, "%s", err);
        reference_ctx = event_ctx_new(&cfg, api, err, sizeof(err));
        ck_assert_msg(reference_ctx != NULL, "%s", err);

        record_count = 0;
        add_cases("envelopes.json");
        add_cases("task-summaries.json");
        add_cases("workflow-summaries.json");
        add_cases("native.json");
        add_cases("rejects.json");
        for (size_t i = 0; i < sizeof(extra_records) / sizeof(*extra_records);
             i++)
                add_record(extra_records[i], strlen(extra_records[i]), 0);
        add_record(NULL, 0, 1);
}

static void teardown(void)
{
        for (size_t i = 0; i < record_count; i++)
                free(records[i].value);
        event_ctx_destroy(reference_ctx);
        event_ctx_destroy(main_ctx);
        asyncapi_destroy(api);
        cfg_free(&cfg);
}

static void check_same_bytes(const char *got, size_t got_len,
                             const char *want, size_t want_len,
                             const char *what, size_t i)
{
        ck_assert_msg(got_len == want_len, "record %zu: %s: %zu bytes, "
                      "expected %zu", i, what, got_len, want_len);
        ck_assert_msg(got_len == 0 || memcmp(got, want, got_len) == 0,
                      "record %zu: %s differs", i, what);
}

static void check_same_string(const char *got, const char *want,
                              const char *what, size_t i)
{
        if (!want) {
                ck_assert_msg(got == NULL, "record %zu: %s is set", i, what);
                return;
        }
        ck_assert_msg(got != NULL, "record %zu: %s is missing", i, what);
        ck_assert_msg(strcmp(got, want) == 0, "record %zu: %s \"%s\", "
                      "expected \"%s\"", i, what, got, want);
}

/* Compares decision d of record i with event_process() on the record. */
static void check_decision(const struct decision *d, size_t i)
{
        const struct record *r = &records[i];
        const struct event_result *got = &d->res;
        struct event_result want;
        event_process(reference_ctx, "workflow-status-events", r->value,
                      r->len, r->is_null, &want);

        ck_assert_msg(got->action == want.action, "record %zu: action %d, "
                      "expected %d", i, got->action, want.action);
        check_same_string(got->reason, want.reason, "reason", i);
        ck_assert_int_eq(got->has_pointer, want.has_pointer);
        check_same_string(got->pointer, want.pointer, "pointer", i);
        if (want.action == EVENT_PRODUCE) {
                ck_assert_str_eq(got->channel, want.channel);
                ck_assert_uint_eq(got->channel_index, want.channel_index);
        }
        ck_assert_int_eq(got->rewritten, want.rewritten);
        check_same_bytes(got->value, got->value_len, want.value,
                         want.value_len, "value", i);
        if (want.action == EVENT_PRODUCE && !want.rewritten)
                ck_assert_ptr_eq(got->value, r->value);
        check_same_bytes(got->fallback_key, got->fallback_key_len,
                         want.fallback_key, want.fallback_key_len,
                         "fallback key", i);
        check_same_string(got->workflow_id, want.workflow_id, "workflow id",
                          i);
        check_same_string(got->task_id, want.task_id, "task id", i);
        ck_assert_int_eq(got->has_time, want.has_time);
        ck_assert_int_eq(got->time_ms, want.time_ms);
}

static struct decision decisions[MAX_RECORDS];
static struct decide_job jobs[MAX_RECORDS];

/* Decides records [first, first + n) as one batch. */
static void decide_batch(struct decide_pool *pool, size_t first, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct record *r = &records[first + i];
                jobs[i] = (struct decide_job){
                        .topic = "workflow-status-events",
                        .value = r->value,
                        .len = r->len,
                        .is_null = r->is_null,
                        .out = &decisions[i],
                };
        }
        decide_run(pool, jobs, n);
}

static void free_decisions(void)
{
        for (size_t i = 0; i < MAX_RECORDS; i++)
                decision_free(&decisions[i]);
        memset(decisions, 0, sizeof(decisions));
}

static const size_t thread_counts[] = {1, 2, 4};

static struct decide_pool *new_pool(size_t threads)
{
        char err[1024];
        struct decide_pool *pool = decide_pool_new(&cfg, api, main_ctx,
                                                   threads, err, sizeof(err));
        ck_assert_msg(pool != NULL, "%s", err);
        return pool;
}

START_TEST(batch_matches_one_by_one)
{
        struct decide_pool *pool = new_pool(thread_counts[_i]);
        ck_assert_uint_gt(record_count, 40);

        decide_batch(pool, 0, record_count);
        for (size_t i = 0; i < record_count; i++)
                check_decision(&decisions[i], i);

        decide_pool_destroy(pool);
        free_decisions();
}
END_TEST

START_TEST(next_batch_reuses_decisions)
{
        struct decide_pool *pool = new_pool(thread_counts[_i]);

        /* The second batch decides other records into the same decisions,
         * in a batch of another size. */
        size_t half = record_count / 2;
        decide_batch(pool, half, record_count - half);
        decide_batch(pool, 0, half);
        for (size_t i = 0; i < half; i++)
                check_decision(&decisions[i], i);

        decide_pool_destroy(pool);
        free_decisions();
}
END_TEST

START_TEST(small_batches)
{
        struct decide_pool *pool = new_pool(thread_counts[_i]);

        decide_batch(pool, 0, 0);
        for (size_t n = 1; n <= 17; n++) {
                decide_batch(pool, 0, n);
                for (size_t i = 0; i < n; i++)
                        check_decision(&decisions[i], i);
        }

        decide_pool_destroy(pool);
        free_decisions();
}
END_TEST

START_TEST(pool_starts_and_stops)
{
        for (size_t threads = 1; threads <= 8; threads++)
                decide_pool_destroy(new_pool(threads));
        decide_pool_destroy(NULL);
}
END_TEST

static Suite *decide_suite(void)
{
        Suite *s = suite_create("decide");
        TCase *tc = tcase_create("decide");
        tcase_add_checked_fixture(tc, setup, teardown);
        size_t n = sizeof(thread_counts) / sizeof(*thread_counts);
        tcase_add_loop_test(tc, batch_matches_one_by_one, 0, (int)n);
        tcase_add_loop_test(tc, next_batch_reuses_decisions, 0, (int)n);
        tcase_add_loop_test(tc, small_batches, 0, (int)n);
        tcase_add_test(tc, pool_starts_and_stops);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(decide_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
