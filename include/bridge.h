/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bridge's main loop: consume, decide (event.h, in parallel through
 * decide.h), produce, track acknowledgements, commit, and stop cleanly.
 * Runs in the calling thread, and only decisions use other threads.
 */
#ifndef CKB_BRIDGE_H
#define CKB_BRIDGE_H

#include "cfg.h"
#include "decide.h"
#include "event.h"

/*
 * Decides records with pool, whose calling-thread context is events, and
 * runs until bridge_request_stop(), a fatal error, or, with exit_on_eof,
 * until every assigned partition reached its end and everything was
 * acknowledged and committed. Returns the exit status: 0 clean stop, 1 a
 * fatal runtime error or a drain past cfg->shutdown_timeout_ms, 2 a
 * configuration error found while creating the clients.
 */
int bridge_run(const struct cfg *cfg, struct event_ctx *events,
               struct decide_pool *pool, int exit_on_eof);

/* Asks the running bridge to stop; async-signal-safe. */
void bridge_request_stop(void);

#endif
