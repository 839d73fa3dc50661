/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parse-speed benchmark of the JSON module: parses one file over and over
 * into a document that is reset between parses, and prints MB/s (10^6
 * bytes per second), nanoseconds per parse and heap allocations per parse.
 * For comparison it also times yajl alone with no callbacks, and
 * json_write() of the parsed value. Not built by meson; from the top of
 * the repository:
 *
 *   cc -O2 -Iinclude -o /tmp/json_parse bench/json_parse.c src/json.c \
 *      src/alloc.c src/buf.c src/log.c src/timefmt.c -lyajl \
 *      -Wl,--wrap=malloc,--wrap=realloc,--wrap=calloc
 *   /tmp/json_parse test/data/json/workflow_event.json 200000
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_parse.h>

#include "buf.h"
#include "json.h"

/* Heap calls counted through the linker's --wrap option. */
static long heap_calls;

void *__real_malloc(size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__real_calloc(size_t count, size_t size);

void *__wrap_malloc(size_t size)
{
        heap_calls++;
        return __real_malloc(size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
        heap_calls++;
        return __real_realloc(ptr, size);
}

void *__wrap_calloc(size_t count, size_t size)
{
        heap_calls++;
        return __real_calloc(count, size);
}

static double now_seconds(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        if (!f) {
                perror(path);
                exit(2);
        }
        struct buf b = BUF_INIT;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                buf_append(&b, chunk, n);
        fclose(f);
        *len = b.len;
        return b.data;
}

static void report(const char *what, size_t len, long rounds, double seconds,
                   long calls)
{
        printf("%-22s %8.1f MB/s %8.0f ns/parse %6.2f heap calls/parse\n",
               what, (double)len * (double)rounds / seconds / 1e6,
               seconds / (double)rounds * 1e9, (double)calls / (double)rounds);
}

static void bench_json_parse(const char *text, size_t len, long rounds)
{
        struct json_doc *doc = json_doc_new();
        char errstr[256];
        for (long k = 0; k < 1000; k++) {
                json_doc_reset(doc);
                if (!json_parse(doc, text, len, 128, NULL, errstr,
                                sizeof(errstr))) {
                        fprintf(stderr, "parse failed: %s\n", errstr);
                        exit(1);
                }
        }
        long calls = heap_calls;
        double start = now_seconds();
        for (long k = 0; k < rounds; k++) {
                json_doc_reset(doc);
                json_parse(doc, text, len, 128, NULL, errstr, sizeof(errstr));
        }
        double seconds = now_seconds() - start;
        report("json_parse", len, rounds, seconds, heap_calls - calls);
        json_doc_destroy(doc);
}

/* yajl's default allocation, routed through the counted wrappers. */
static void *counted_malloc(void *ctx, size_t size)
{
        (void)ctx;
        return malloc(size);
}

static void *counted_realloc(void *ctx, void *ptr, size_t size)
{
        (void)ctx;
        return realloc(ptr, size);
}

static void counted_free(void *ctx, void *ptr)
{
        (void)ctx;
        free(ptr);
}

static void bench_yajl_only(const char *text, size_t len, long rounds)
{
        yajl_alloc_funcs funcs = {counted_malloc, counted_realloc,
                                  counted_free, NULL};
        long calls = heap_calls;
        double start = now_seconds();
        for (long k = 0; k < rounds; k++) {
                yajl_handle h = yajl_alloc(NULL, &funcs, NULL);
                yajl_config(h, yajl_dont_validate_strings, 1);
                if (yajl_parse(h, (const unsigned char *)text, len) !=
                            yajl_status_ok ||
                    yajl_complete_parse(h) != yajl_status_ok) {
                        fprintf(stderr, "yajl rejected the input\n");
                        exit(1);
                }
                yajl_free(h);
        }
        double seconds = now_seconds() - start;
        report("yajl, no callbacks", len, rounds, seconds,
               heap_calls - calls);
}

static void bench_json_write(const char *text, size_t len, long rounds)
{
        struct json_doc *doc = json_doc_new();
        const struct json_value *v =
                json_parse(doc, text, len, 128, NULL, NULL, 0);
        struct buf out = BUF_INIT;
        json_write(v, &out);
        long calls = heap_calls;
        double start = now_seconds();
        for (long k = 0; k < rounds; k++) {
                buf_clear(&out);
                json_write(v, &out);
        }
        double seconds = now_seconds() - start;
        report("json_write", out.len, rounds, seconds, heap_calls - calls);
        buf_free(&out);
        json_doc_destroy(doc);
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: %s FILE [ROUNDS]\n", argv[0]);
                return 2;
        }
        long rounds = argc > 2 ? atol(argv[2]) : 100000;
        size_t len;
        char *text = read_file(argv[1], &len);
        printf("%s: %zu bytes, %ld rounds\n", argv[1], len, rounds);
        bench_json_parse(text, len, rounds);
        bench_yajl_only(text, len, rounds);
        bench_json_write(text, len, rounds);
        free(text);
        return 0;
}
