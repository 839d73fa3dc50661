/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the Conductor wire-format adapters. The table-driven cases
 * are JSON files in $CKB_TEST_DATA/conductor/. Each file is an array of
 * cases with a name, the forced shape, the shape expected, the input and
 * either the rewritten flag and the expected event (compared as compact
 * JSON text) or the error reason. A case with neither "expected" nor
 * "error" must return the input itself.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapt.h"
#include "alloc.h"
#include "buf.h"
#include "json.h"

#define FIXTURE_MAX_DEPTH 256

struct fixture_file {
        const char *name;
        struct json_doc *doc;
        const struct json_value *cases;
};

enum {
        FIXTURE_ENVELOPES,
        FIXTURE_WORKFLOW_SUMMARIES,
        FIXTURE_TASK_SUMMARIES,
        FIXTURE_NATIVE,
        FIXTURE_REJECTS,
        FIXTURE_COUNT,
};

static struct fixture_file fixtures[FIXTURE_COUNT] = {
        [FIXTURE_ENVELOPES] = {"envelopes", NULL, NULL},
        [FIXTURE_WORKFLOW_SUMMARIES] = {"workflow-summaries", NULL, NULL},
        [FIXTURE_TASK_SUMMARIES] = {"task-summaries", NULL, NULL},
        [FIXTURE_NATIVE] = {"native", NULL, NULL},
        [FIXTURE_REJECTS] = {"rejects", NULL, NULL},
};

/* Reads a whole file into buf. Returns 0, or -1 with errno set. */
static int read_file(const char *path, struct buf *buf)
{
        FILE *f = fopen(path, "rb");
        if (f == NULL)
                return -1;
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                buf_append(buf, chunk, n);
        int failed = ferror(f);
        fclose(f);
        return failed ? -1 : 0;
}

/* Parses one fixture file into its own document, or exits on failure. */
static void load_fixture(struct fixture_file *fixture)
{
        const char *dir = getenv("CKB_TEST_DATA");
        if (dir == NULL) {
                fprintf(stderr, "CKB_TEST_DATA is not set\n");
                exit(EXIT_FAILURE);
        }
        struct buf path = BUF_INIT;
        buf_printf(&path, "%s/conductor/%s.json", dir, fixture->name);
        struct buf text = BUF_INIT;
        if (read_file(path.data, &text) < 0) {
                perror(path.data);
                exit(EXIT_FAILURE);
        }

        char errstr[256];
        fixture->doc = json_doc_new();
        fixture->cases = json_parse(fixture->doc, text.data, text.len,
                                    FIXTURE_MAX_DEPTH, NULL, errstr,
                                    sizeof(errstr));
        if (fixture->cases == NULL || fixture->cases->type != JSON_ARRAY) {
                fprintf(stderr, "%s: %s\n", path.data,
                        fixture->cases == NULL ? errstr : "not an array");
                exit(EXIT_FAILURE);
        }
        buf_free(&text);
        buf_free(&path);
}

static int fixture_case_count(int index)
{
        return (int)fixtures[index].cases->u.array.count;
}

/* Returns a string member of a case, or NULL when it is missing. */
static const char *case_string(const struct json_value *c, const char *key)
{
        const struct json_value *v = json_object_get(c, key);
        if (v == NULL || v->type != JSON_STRING)
                return NULL;
        return v->u.string.s;
}

static void write_json(const struct json_value *v, struct buf *out)
{
        buf_clear(out);
        json_write(v, out);
}

/*
 * Runs one fixture case: adapts its input into a fresh document and checks
 * the result, the shape, the eventType and that the input is unchanged.
 */
static void run_fixture_case(int file, int index)
{
        const struct json_value *c =
                fixtures[file].cases->u.array.items[index];
        const char *name = case_string(c, "name");
        const struct json_value *input = json_object_get(c, "input");
        const struct json_value *expected = json_object_get(c, "expected");
        const char *error = case_string(c, "error");
        const char *event_type = case_string(c, "eventType");
        ck_assert_msg(name != NULL, "case %d has no name", index);
        ck_assert_msg(input != NULL, "%s: no input", name);

        enum adapt_shape forced, shape;
        ck_assert_msg(adapt_shape_parse(case_string(c, "forced"), &forced) ==
                              0,
                      "%s: bad forced shape", name);
        ck_assert_msg(adapt_shape_parse(case_string(c, "shape"), &shape) == 0,
                      "%s: bad expected shape", name);

        struct buf before = BUF_INIT;
        struct buf got = BUF_INIT;
        struct buf want = BUF_INIT;
        write_json(input, &before);

        struct json_doc *doc = json_doc_new();
        struct adapt_result out;
        char errstr[512] = "";
        int rc = adapt_event(doc, input, forced, &out, errstr,
                             sizeof(errstr));

        if (error != NULL) {
                ck_assert_msg(rc == -1, "%s: accepted", name);
                ck_assert_msg(strcmp(errstr, error) == 0,
                              "%s: reason \"%s\", expected \"%s\"", name,
                              errstr, error);
                ck_assert_msg(out.shape == shape, "%s: shape %s, expected %s",
                              name, adapt_shape_name(out.shape),
                              adapt_shape_name(shape));
        } else {
                ck_assert_msg(rc == 0, "%s: rejected: %s", name, errstr);
                ck_assert_msg(out.shape == shape, "%s: shape %s, expected %s",
                              name, adapt_shape_name(out.shape),
                              adapt_shape_name(shape));
                const struct json_value *flag =
                        json_object_get(c, "rewritten");
                ck_assert_msg(flag != NULL && flag->type == JSON_BOOL,
                              "%s: no rewritten flag", name);
                int rewritten = flag->u.boolean;
                ck_assert_msg(out.rewritten == rewritten,
                              "%s: rewritten %d, expected %d", name,
                              out.rewritten, rewritten);
                if (expected != NULL) {
                        write_json(out.event, &got);
                        write_json(expected, &want);
                        ck_assert_msg(strcmp(got.data, want.data) == 0,
                                      "%s:\n got %s\nwant %s", name,
                                      got.data, want.data);
                } else {
                        ck_assert_msg(out.event == input,
                                      "%s: not the input itself", name);
                }
                if (event_type != NULL) {
                        ck_assert_msg(out.event_type != NULL,
                                      "%s: no eventType", name);
                        ck_assert_msg(out.event_type_len ==
                                              strlen(event_type),
                                      "%s: eventType length %zu", name,
                                      out.event_type_len);
                        ck_assert_msg(memcmp(out.event_type, event_type,
                                             out.event_type_len) == 0,
                                      "%s: eventType %.*s", name,
                                      (int)out.event_type_len,
                                      out.event_type);
                } else {
                        ck_assert_msg(out.event_type == NULL,
                                      "%s: unexpected eventType", name);
                }
        }

        write_json(input, &got);
        ck_assert_msg(strcmp(got.data, before.data) == 0,
                      "%s: input modified", name);

        json_doc_destroy(doc);
        buf_free(&before);
        buf_free(&got);
        buf_free(&want);
}

START_TEST(envelope_fixture)
{
        run_fixture_case(FIXTURE_ENVELOPES, _i);
}
END_TEST

START_TEST(workflow_summary_fixture)
{
        run_fixture_case(FIXTURE_WORKFLOW_SUMMARIES, _i);
}
END_TEST

START_TEST(task_summary_fixture)
{
        run_fixture_case(FIXTURE_TASK_SUMMARIES, _i);
}
END_TEST

START_TEST(native_fixture)
{
        run_fixture_case(FIXTURE_NATIVE, _i);
}
END_TEST

START_TEST(reject_fixture)
{
        run_fixture_case(FIXTURE_REJECTS, _i);
}
END_TEST

/* Parses text into doc, failing the test on invalid JSON. */
static const struct json_value *parse_text(struct json_doc *doc,
                                           const char *text)
{
        char errstr[256];
        const struct json_value *v = json_parse(doc, text, strlen(text), 64,
                                                NULL, errstr, sizeof(errstr));
        ck_assert_msg(v != NULL, "%s: %s", text, errstr);
        return v;
}

START_TEST(time_is_exact_integer)
{
        struct json_doc *doc = json_doc_new();
        const struct json_value *input = parse_text(
                doc, "{\"workflowType\":\"w\","
                     "\"startTime\":\"2026-03-01T09:15:02.117Z\","
                     "\"endTime\":\"1969-12-31T23:59:59.999Z\"}");
        struct adapt_result out;
        char errstr[256];
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         0);

        const struct json_value *start =
                json_object_get(out.event, "startTime");
        ck_assert_ptr_nonnull(start);
        ck_assert_int_eq(start->type, JSON_NUMBER);
        ck_assert(start->u.number.is_integer);
        ck_assert(start->u.number.fits_int64);
        ck_assert(start->u.number.i == INT64_C(1772356502117));

        const struct json_value *end = json_object_get(out.event, "endTime");
        ck_assert_ptr_nonnull(end);
        ck_assert_int_eq(end->type, JSON_NUMBER);
        ck_assert(end->u.number.fits_int64);
        ck_assert(end->u.number.i == -1);
        json_doc_destroy(doc);
}
END_TEST

START_TEST(event_type_points_into_input)
{
        struct json_doc *doc = json_doc_new();
        const struct json_value *input = parse_text(
                doc, "{\"workflowName\":\"w\",\"eventType\":\"PAUSED\","
                     "\"payload\":{\"status\":\"PAUSED\"}}");
        struct adapt_result out;
        char errstr[256];
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         0);
        const struct json_value *event_type =
                json_object_get(input, "eventType");
        ck_assert_ptr_eq(out.event_type, event_type->u.string.s);
        ck_assert_uint_eq(out.event_type_len, 6);
        json_doc_destroy(doc);
}
END_TEST

START_TEST(result_outlives_input_document)
{
        struct json_doc *input_doc = json_doc_new();
        struct json_doc *doc = json_doc_new();
        const struct json_value *input = parse_text(
                input_doc,
                "{\"workflowName\":\"w\",\"eventType\":\"STARTED\","
                "\"payload\":{\"workflowType\":\"w\",\"tags\":[\"a\"],"
                "\"input\":{\"k\":\"v\"},\"status\":\"RUNNING\"}}");
        struct adapt_result out;
        char errstr[256];
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         0);
        json_doc_destroy(input_doc);

        struct buf got = BUF_INIT;
        json_write(out.event, &got);
        ck_assert_str_eq(got.data, "{\"workflowName\":\"w\",\"tags\":[\"a\"],"
                                   "\"input\":{\"k\":\"v\"},"
                                   "\"status\":\"RUNNING\"}");
        buf_free(&got);
        json_doc_destroy(doc);
}
END_TEST

START_TEST(envelope_payload_is_copied)
{
        struct json_doc *doc = json_doc_new();
        const struct json_value *input = parse_text(
                doc, "{\"eventType\":\"STARTED\","
                     "\"payload\":{\"workflowName\":\"w\"}}");
        struct adapt_result out;
        char errstr[256];
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         0);
        ck_assert_ptr_ne(out.event, json_object_get(input, "payload"));
        ck_assert_int_eq(out.rewritten, 1);
        json_doc_destroy(doc);
}
END_TEST

START_TEST(errstr_untouched_on_success)
{
        struct json_doc *doc = json_doc_new();
        const struct json_value *input =
                parse_text(doc, "{\"taskId\":\"t\",\"workflowId\":\"w\"}");
        struct adapt_result out;
        char errstr[32] = "untouched";
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         0);
        ck_assert_str_eq(errstr, "untouched");
        json_doc_destroy(doc);
}
END_TEST

START_TEST(errstr_truncated_to_size)
{
        struct json_doc *doc = json_doc_new();
        const struct json_value *input = parse_text(
                doc, "{\"eventType\":\"STARTED\",\"payload\":\"x\"}");
        struct adapt_result out;
        char errstr[9];
        memset(errstr, 'z', sizeof(errstr));
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, "payload:");
        json_doc_destroy(doc);
}
END_TEST

struct non_object_case {
        const char *text;
        const char *reason;
};

static const struct non_object_case non_object_cases[] = {
        {"[]", "expected a JSON object, got an array"},
        {"\"{}\"", "expected a JSON object, got a string"},
        {"42", "expected a JSON object, got an integer"},
        {"4.5", "expected a JSON object, got a number"},
        {"true", "expected a JSON object, got a boolean"},
        {"null", "expected a JSON object, got null"},
};

START_TEST(non_object_rejected)
{
        const struct non_object_case *c = &non_object_cases[_i];
        struct json_doc *doc = json_doc_new();
        const struct json_value *input = parse_text(doc, c->text);
        struct adapt_result out;
        char errstr[256] = "";
        ck_assert_int_eq(adapt_event(doc, input, ADAPT_AUTO, &out, errstr,
                                     sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, c->reason);
        ck_assert_ptr_null(out.event);
        json_doc_destroy(doc);
}
END_TEST

START_TEST(null_input_rejected)
{
        struct json_doc *doc = json_doc_new();
        struct adapt_result out;
        char errstr[256] = "";
        ck_assert_int_eq(adapt_event(doc, NULL, ADAPT_NATIVE, &out, errstr,
                                     sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, "expected a JSON object, got nothing");
        json_doc_destroy(doc);
}
END_TEST

struct shape_name_case {
        enum adapt_shape shape;
        const char *name;
};

static const struct shape_name_case shape_name_cases[] = {
        {ADAPT_AUTO, "auto"},
        {ADAPT_NATIVE, "native"},
        {ADAPT_ENVELOPE, "envelope"},
        {ADAPT_WORKFLOW_SUMMARY, "workflow_summary"},
        {ADAPT_TASK_SUMMARY, "task_summary"},
};

START_TEST(shape_name_round_trip)
{
        const struct shape_name_case *c = &shape_name_cases[_i];
        ck_assert_str_eq(adapt_shape_name(c->shape), c->name);
        enum adapt_shape parsed = (enum adapt_shape)-1;
        ck_assert_int_eq(adapt_shape_parse(c->name, &parsed), 0);
        ck_assert_int_eq(parsed, c->shape);
}
END_TEST

static const char *const bad_shape_names[] = {
        "", "Native", "NATIVE", "summary", "workflow-summary", "auto ",
};

START_TEST(shape_parse_rejects_unknown)
{
        enum adapt_shape parsed = ADAPT_NATIVE;
        ck_assert_int_eq(adapt_shape_parse(bad_shape_names[_i], &parsed), -1);
        ck_assert_int_eq(parsed, ADAPT_NATIVE);
}
END_TEST

START_TEST(shape_parse_rejects_null)
{
        enum adapt_shape parsed = ADAPT_NATIVE;
        ck_assert_int_eq(adapt_shape_parse(NULL, &parsed), -1);
}
END_TEST

START_TEST(shape_name_of_unknown_value)
{
        ck_assert_str_eq(adapt_shape_name((enum adapt_shape)99), "unknown");
}
END_TEST

#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *adapt_suite(void)
{
        Suite *s = suite_create("adapt");

        TCase *tc = tcase_create("envelope");
        tcase_add_loop_test(tc, envelope_fixture, 0,
                            fixture_case_count(FIXTURE_ENVELOPES));
        tcase_add_test(tc, event_type_points_into_input);
        tcase_add_test(tc, result_outlives_input_document);
        tcase_add_test(tc, envelope_payload_is_copied);
        suite_add_tcase(s, tc);

        tc = tcase_create("workflow_summary");
        tcase_add_loop_test(tc, workflow_summary_fixture, 0,
                            fixture_case_count(FIXTURE_WORKFLOW_SUMMARIES));
        tcase_add_test(tc, time_is_exact_integer);
        suite_add_tcase(s, tc);

        tc = tcase_create("task_summary");
        tcase_add_loop_test(tc, task_summary_fixture, 0,
                            fixture_case_count(FIXTURE_TASK_SUMMARIES));
        suite_add_tcase(s, tc);

        tc = tcase_create("native");
        tcase_add_loop_test(tc, native_fixture, 0,
                            fixture_case_count(FIXTURE_NATIVE));
        suite_add_tcase(s, tc);

        tc = tcase_create("reject");
        tcase_add_loop_test(tc, reject_fixture, 0,
                            fixture_case_count(FIXTURE_REJECTS));
        tcase_add_loop_test(tc, non_object_rejected, 0,
                            COUNT_OF(non_object_cases));
        tcase_add_test(tc, null_input_rejected);
        tcase_add_test(tc, errstr_untouched_on_success);
        tcase_add_test(tc, errstr_truncated_to_size);
        suite_add_tcase(s, tc);

        tc = tcase_create("shape_names");
        tcase_add_loop_test(tc, shape_name_round_trip, 0,
                            COUNT_OF(shape_name_cases));
        tcase_add_loop_test(tc, shape_parse_rejects_unknown, 0,
                            COUNT_OF(bad_shape_names));
        tcase_add_test(tc, shape_parse_rejects_null);
        tcase_add_test(tc, shape_name_of_unknown_value);
        suite_add_tcase(s, tc);

        return s;
}

int main(void)
{
        for (int i = 0; i < FIXTURE_COUNT; i++)
                load_fixture(&fixtures[i]);

        SRunner *runner = srunner_create(adapt_suite());
        srunner_run_all(runner, CK_NORMAL);
        int failed = srunner_ntests_failed(runner);
        srunner_free(runner);

        for (int i = 0; i < FIXTURE_COUNT; i++)
                json_doc_destroy(fixtures[i].doc);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
