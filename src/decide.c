/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decisions in parallel (see decide.h). Threads take jobs in chunks of a
 * few records under one mutex, so the lock is taken once per several
 * records' work. The caller's thread takes chunks too and then waits only
 * for chunks that other threads took, so a helper that is slow to wake up
 * does not hold a batch back.
 */
#include "decide.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Jobs a thread takes at a time. */
#define DECIDE_CHUNK 8

struct decide_helper {
        struct decide_pool *pool;
        struct event_ctx *ctx;
        pthread_t thread;
};

struct decide_pool {
        pthread_mutex_t lock;
        pthread_cond_t work; /* jobs are waiting, or stop is set */
        pthread_cond_t idle; /* every job of the batch was decided */
        struct decide_job *jobs;
        size_t count;    /* jobs in the batch */
        size_t next;     /* the first job no thread has taken */
        size_t finished; /* jobs decided */
        int stop;
        struct event_ctx *main_ctx;
        struct decide_helper *helpers;
        size_t helper_count;
};

/* Copies what res points at into store, unless it points into the source
 * value, which the caller keeps alive. */
static void decision_keep(struct decision *d)
{
        struct event_result *res = &d->res;
        struct buf *store = &d->store;
        size_t value_at = 0, key_at = 0, workflow_at = 0, task_at = 0;
        int workflow_is_key = res->workflow_id &&
                              res->workflow_id == res->fallback_key;

        buf_clear(store);
        if (res->rewritten) {
                value_at = store->len;
                buf_append(store, res->value, res->value_len);
                buf_append_char(store, '\0');
        }
        if (res->fallback_key) {
                key_at = store->len;
                buf_append(store, res->fallback_key, res->fallback_key_len);
                buf_append_char(store, '\0');
        }
        if (res->workflow_id && !workflow_is_key) {
                workflow_at = store->len;
                buf_append_str(store, res->workflow_id);
                buf_append_char(store, '\0');
        }
        if (res->task_id) {
                task_at = store->len;
                buf_append_str(store, res->task_id);
                buf_append_char(store, '\0');
        }

        /* The buffer may have moved while it grew, so the pointers are
         * set only now. */
        if (res->rewritten)
                res->value = store->data + value_at;
        if (res->fallback_key)
                res->fallback_key = store->data + key_at;
        if (workflow_is_key)
                res->workflow_id = res->fallback_key;
        else if (res->workflow_id)
                res->workflow_id = store->data + workflow_at;
        if (res->task_id)
                res->task_id = store->data + task_at;
}

static void decide_one(struct event_ctx *ctx, struct decide_job *job)
{
        event_process(ctx, job->topic, job->value, job->len, job->is_null,
                      &job->out->res);
        decision_keep(job->out);
}

/*
 * Takes the next chunk of the batch into [*first, *end) and returns 1, or
 * returns 0 when no job is left. Called with the lock held.
 */
static int decide_take(struct decide_pool *pool, size_t *first, size_t *end)
{
        if (pool->next >= pool->count)
                return 0;
        *first = pool->next;
        *end = pool->next + DECIDE_CHUNK < pool->count
                       ? pool->next + DECIDE_CHUNK
                       : pool->count;
        pool->next = *end;
        return 1;
}

/*
 * Decides chunks until none is left. Called with the lock held and
 * returns with it held.
 */
static void decide_work(struct decide_pool *pool, struct event_ctx *ctx)
{
        size_t first, end;
        while (decide_take(pool, &first, &end)) {
                struct decide_job *jobs = pool->jobs;
                pthread_mutex_unlock(&pool->lock);
                for (size_t i = first; i < end; i++)
                        decide_one(ctx, &jobs[i]);
                pthread_mutex_lock(&pool->lock);
                pool->finished += end - first;
                if (pool->finished == pool->count)
                        pthread_cond_signal(&pool->idle);
        }
}

static void *decide_helper_main(void *arg)
{
        struct decide_helper *helper = arg;
        struct decide_pool *pool = helper->pool;

        pthread_mutex_lock(&pool->lock);
        while (!pool->stop) {
                if (pool->next >= pool->count) {
                        pthread_cond_wait(&pool->work, &pool->lock);
                        continue;
                }
                decide_work(pool, helper->ctx);
        }
        pthread_mutex_unlock(&pool->lock);
        return NULL;
}

struct decide_pool *decide_pool_new(const struct cfg *cfg,
                                    const struct asyncapi_doc *api,
                                    struct event_ctx *main_ctx,
                                    size_t threads, char *errstr,
                                    size_t errstr_size)
{
        struct decide_pool *pool = xcalloc(1, sizeof(*pool));
        pthread_mutex_init(&pool->lock, NULL);
        pthread_cond_init(&pool->work, NULL);
        pthread_cond_init(&pool->idle, NULL);
        pool->main_ctx = main_ctx;
        if (threads <= 1)
                return pool;

        pool->helpers = xcalloc(threads - 1, sizeof(*pool->helpers));
        for (size_t i = 0; i < threads - 1; i++) {
                struct decide_helper *helper = &pool->helpers[i];
                helper->pool = pool;
                helper->ctx = event_ctx_new(cfg, api, errstr, errstr_size);
                if (!helper->ctx)
                        goto fail;
                int err = pthread_create(&helper->thread, NULL,
                                         decide_helper_main, helper);
                if (err != 0) {
                        snprintf(errstr, errstr_size,
                                 "cannot start decision thread %zu of %zu: "
                                 "%s",
                                 i + 2, threads, strerror(err));
                        event_ctx_destroy(helper->ctx);
                        goto fail;
                }
                pool->helper_count++;
        }
        return pool;
fail:
        decide_pool_destroy(pool);
        return NULL;
}

void decide_pool_destroy(struct decide_pool *pool)
{
        if (!pool)
                return;
        pthread_mutex_lock(&pool->lock);
        pool->stop = 1;
        pthread_cond_broadcast(&pool->work);
        pthread_mutex_unlock(&pool->lock);
        for (size_t i = 0; i < pool->helper_count; i++) {
                pthread_join(pool->helpers[i].thread, NULL);
                event_ctx_destroy(pool->helpers[i].ctx);
        }
        free(pool->helpers);
        pthread_cond_destroy(&pool->idle);
        pthread_cond_destroy(&pool->work);
        pthread_mutex_destroy(&pool->lock);
        free(pool);
}

void decide_run(struct decide_pool *pool, struct decide_job *jobs, size_t n)
{
        if (pool->helper_count == 0 || n <= DECIDE_CHUNK) {
                for (size_t i = 0; i < n; i++)
                        decide_one(pool->main_ctx, &jobs[i]);
                return;
        }
        pthread_mutex_lock(&pool->lock);
        pool->jobs = jobs;
        pool->count = n;
        pool->next = 0;
        pool->finished = 0;
        pthread_cond_broadcast(&pool->work);
        decide_work(pool, pool->main_ctx);
        while (pool->finished < pool->count)
                pthread_cond_wait(&pool->idle, &pool->lock);
        /* No helper may take a job of this batch after it returned. */
        pool->count = 0;
        pool->next = 0;
        pthread_mutex_unlock(&pool->lock);
}

void decision_free(struct decision *d)
{
        buf_free(&d->store);
}
