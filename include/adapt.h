/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Adapters from Conductor's wire formats to the AsyncAPI event shape: the
 * OSS Kafka workflow-status publisher envelope, bare workflow summaries,
 * task summaries and task notifications. An event already in the AsyncAPI
 * shape passes unchanged.
 */
#ifndef CKB_ADAPT_H
#define CKB_ADAPT_H

#include <stddef.h>

#include "json.h"

enum adapt_shape {
        ADAPT_AUTO = 0,          /* detect per record (config only) */
        ADAPT_NATIVE,            /* already in the AsyncAPI shape */
        ADAPT_ENVELOPE,          /* {workflowName, eventType, payload} */
        ADAPT_WORKFLOW_SUMMARY,  /* Conductor's WorkflowSummary */
        ADAPT_TASK_SUMMARY,      /* TaskSummary or task notification */
};

struct adapt_result {
        enum adapt_shape shape; /* the shape detected or forced */
        /* The AsyncAPI-shaped event, owned by the doc given to
         * adapt_event(); the input itself for ADAPT_NATIVE. */
        const struct json_value *event;
        /* Envelope only: the eventType string, else NULL. */
        const char *event_type;
        size_t event_type_len;
        int rewritten; /* nonzero when event differs from the input */
};

/*
 * Detects the shape of input (a JSON object) unless forced is not
 * ADAPT_AUTO, and normalizes it into doc. Returns 0, or -1 when the value
 * cannot be normalized, with the reason in errstr (for example
 * "payload.startTime: \"yesterday\" is not an RFC 3339 time").
 */
int adapt_event(struct json_doc *doc, const struct json_value *input,
                enum adapt_shape forced, struct adapt_result *out,
                char *errstr, size_t errstr_size);

/* "auto", "native", "envelope", "workflow_summary", "task_summary". */
const char *adapt_shape_name(enum adapt_shape shape);
/* Returns 0 and sets *shape for a name above, -1 for anything else. */
int adapt_shape_parse(const char *name, enum adapt_shape *shape);

#endif
