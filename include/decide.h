/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decisions for a batch of records, made by several threads at once. Each
 * thread has an event context of its own (event.h), and each decision
 * keeps a copy of everything its result points at, so the results of a
 * whole batch stay valid together until the next batch.
 */
#ifndef CKB_DECIDE_H
#define CKB_DECIDE_H

#include <stddef.h>

#include "asyncapi.h"
#include "buf.h"
#include "cfg.h"
#include "event.h"

/* One record's decision. Zero-initialize before first use. */
struct decision {
        struct event_result res;
        /* The rewritten value, the fallback key and the ids that res
         * points at, so that they outlive the context's next record. */
        struct buf store;
};

/* One record to decide. value is borrowed and must outlive the result
 * when the result keeps the source bytes (res.rewritten == 0). */
struct decide_job {
        const char *topic;
        const void *value;
        size_t len;
        int is_null;
        struct decision *out;
};

struct decide_pool;

/*
 * Starts threads - 1 helper threads, each with its own event context
 * built from cfg and api. The calling thread is the first thread and
 * decides with main_ctx, which stays the caller's. cfg, api and main_ctx
 * must outlive the pool. Returns NULL with a reason in errstr.
 */
struct decide_pool *decide_pool_new(const struct cfg *cfg,
                                    const struct asyncapi_doc *api,
                                    struct event_ctx *main_ctx,
                                    size_t threads, char *errstr,
                                    size_t errstr_size);

/* Stops and joins the helper threads. */
void decide_pool_destroy(struct decide_pool *pool);

/*
 * Decides jobs[0..n) with event_process() and returns when all are done.
 * The calling thread works too, so a pool of one thread decides in
 * order on the caller's thread. Results are the same as event_process()
 * would give one by one.
 */
void decide_run(struct decide_pool *pool, struct decide_job *jobs, size_t n);

/* Frees the copies a decision keeps. */
void decision_free(struct decision *d);

#endif
