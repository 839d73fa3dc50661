/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Adapters from Conductor's wire formats to the AsyncAPI event shape (see
 * adapt.h). They rename Conductor's member names, turn RFC 3339 string
 * times into epoch milliseconds and JSON-encoded input and output strings
 * into objects. They neither classify nor validate the result.
 *
 * With ADAPT_AUTO the shape of an object is decided by member names alone,
 * whatever the members' values, by the first rule that matches:
 *
 *   1. It has both "eventType" and "payload": ADAPT_ENVELOPE. Neither name
 *      occurs in the AsyncAPI messages or in Conductor's summaries. An
 *      envelope whose eventType is not a string or whose payload is not an
 *      object is an error, never a native event.
 *   2. It has "taskId", "workflowId" and no "workflowInstanceId":
 *      ADAPT_TASK_SUMMARY. Task summaries and notifications name the
 *      owning workflow "workflowId", the AsyncAPI TaskStatusEvent names it
 *      "workflowInstanceId".
 *   3. It has "taskId" otherwise: ADAPT_NATIVE, so an AsyncAPI task event
 *      that carries "workflowId" as an extra member passes unchanged.
 *   4. It has "workflowType" and no "workflowName": ADAPT_WORKFLOW_SUMMARY.
 *      Conductor's WorkflowSummary names the workflow "workflowType", the
 *      AsyncAPI WorkflowStatusEvent names it "workflowName".
 *   5. Anything else, the empty object included, is ADAPT_NATIVE.
 *
 * The types of values never decide the shape, so an AsyncAPI event with a
 * string time stays native and the schema rejects it.
 */
#include "adapt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "timefmt.h"

/*
 * Maximum nesting of a JSON-encoded input or output string, one less than
 * the default limits.max_depth of 128 because the event adds a level.
 * NOTE: adapt_event() takes no depth limit, so a configured
 * limits.max_depth does not change this one.
 */
#define ADAPT_EMBEDDED_MAX_DEPTH 127

/* Maximum bytes of a member name or value quoted in an error reason. */
#define ADAPT_REASON_QUOTE_MAX 64

/* Objects up to this many members plan their actions on the stack. */
#define ADAPT_LOCAL_ACTIONS 32

enum adapt_kind {
        ADAPT_KIND_WORKFLOW,
        ADAPT_KIND_TASK,
};

/* The planned change to one member of the input object. */
enum adapt_action_type {
        ADAPT_KEEP,      /* kept as it is, maybe under a new name */
        ADAPT_DROP,      /* a null value */
        ADAPT_TIME,      /* an RFC 3339 string replaced by epoch ms */
        ADAPT_PARSED,    /* a JSON-encoded string replaced by its object */
        ADAPT_TEXT,      /* other text moved to inputText or outputText */
};

struct adapt_action {
        enum adapt_action_type type;
        const char *name; /* a new member name (a literal), or NULL */
        size_t name_len;
        int64_t epoch_ms;                /* ADAPT_TIME */
        const struct json_value *parsed; /* ADAPT_PARSED */
};

/* A renamed member and the kind of event it applies to. */
struct adapt_rename {
        enum adapt_kind kind;
        const char *from;
        const char *to;
};

static const struct adapt_rename adapt_renames[] = {
        {ADAPT_KIND_WORKFLOW, "workflowType", "workflowName"},
        {ADAPT_KIND_WORKFLOW, "version", "workflowVersion"},
        {ADAPT_KIND_TASK, "workflowId", "workflowInstanceId"},
};

static const char *const adapt_shape_names[] = {
        [ADAPT_AUTO] = "auto",
        [ADAPT_NATIVE] = "native",
        [ADAPT_ENVELOPE] = "envelope",
        [ADAPT_WORKFLOW_SUMMARY] = "workflow_summary",
        [ADAPT_TASK_SUMMARY] = "task_summary",
};

#define ADAPT_SHAPE_COUNT \
        (sizeof(adapt_shape_names) / sizeof(adapt_shape_names[0]))

const char *adapt_shape_name(enum adapt_shape shape)
{
        if ((size_t)shape >= ADAPT_SHAPE_COUNT)
                return "unknown";
        return adapt_shape_names[shape];
}

int adapt_shape_parse(const char *name, enum adapt_shape *shape)
{
        if (name == NULL)
                return -1;
        for (size_t i = 0; i < ADAPT_SHAPE_COUNT; i++) {
                if (strcmp(name, adapt_shape_names[i]) == 0) {
                        *shape = (enum adapt_shape)i;
                        return 0;
                }
        }
        return -1;
}

static int adapt_has(const struct json_value *object, const char *key)
{
        return json_object_get(object, key) != NULL;
}

static enum adapt_shape adapt_detect(const struct json_value *object)
{
        if (adapt_has(object, "eventType") && adapt_has(object, "payload"))
                return ADAPT_ENVELOPE;
        if (adapt_has(object, "taskId")) {
                if (adapt_has(object, "workflowId") &&
                    !adapt_has(object, "workflowInstanceId"))
                        return ADAPT_TASK_SUMMARY;
                return ADAPT_NATIVE;
        }
        if (adapt_has(object, "workflowType") &&
            !adapt_has(object, "workflowName"))
                return ADAPT_WORKFLOW_SUMMARY;
        return ADAPT_NATIVE;
}

/*
 * Appends text as the inside of a JSON string, cut at a character boundary
 * after ADAPT_REASON_QUOTE_MAX bytes with "..." added, so a reason stays
 * short, printable and valid UTF-8.
 */
static void adapt_append_escaped(struct buf *reason, const char *text,
                                 size_t len)
{
        size_t end = len;
        if (end > ADAPT_REASON_QUOTE_MAX) {
                end = ADAPT_REASON_QUOTE_MAX;
                /* Back up over UTF-8 continuation bytes (10xxxxxx). */
                while (end > 0 && ((unsigned char)text[end] & 0xC0) == 0x80)
                        end--;
        }
        for (size_t i = 0; i < end; i++) {
                unsigned char c = (unsigned char)text[i];
                if (c == '"' || c == '\\')
                        buf_printf(reason, "\\%c", c);
                else if (c < 0x20 || c == 0x7F)
                        buf_printf(reason, "\\u%04x", c);
                else
                        buf_append_char(reason, (char)c);
        }
        if (end < len)
                buf_append_str(reason, "...");
}

/* Appends "payload." (for an envelope) and the member name. */
static void adapt_append_subject(struct buf *reason, const char *prefix,
                                 const struct json_member *member)
{
        buf_append_str(reason, prefix);
        adapt_append_escaped(reason, member->key, member->key_len);
}

/* Returns "a" or "an" to go before json_type_name(v), "" for null. */
static const char *adapt_article(const struct json_value *v)
{
        const char *name = json_type_name(v);
        if (v->type == JSON_NULL)
                return "";
        return strchr("aeiou", name[0]) != NULL ? "an " : "a ";
}

static int adapt_ends_with_time(const char *key, size_t key_len)
{
        return key_len >= 4 && memcmp(key + key_len - 4, "Time", 4) == 0;
}

static int adapt_key_is(const struct json_member *member, const char *name)
{
        return member->key_len == strlen(name) &&
               memcmp(member->key, name, member->key_len) == 0;
}

/* Returns the new name of a member, or NULL when it keeps its name. */
static const char *adapt_renamed(const struct json_value *object,
                                 enum adapt_kind kind,
                                 const struct json_member *member)
{
        size_t count = sizeof(adapt_renames) / sizeof(adapt_renames[0]);
        for (size_t i = 0; i < count; i++) {
                const struct adapt_rename *r = &adapt_renames[i];
                if (r->kind != kind || !adapt_key_is(member, r->from))
                        continue;
                /* A target member that exists keeps its place and value
                 * and the source member stays as an unknown member, unless
                 * the target is null and so is dropped. */
                const struct json_value *target =
                        json_object_get(object, r->to);
                if (target != NULL && target->type != JSON_NULL)
                        return NULL;
                return r->to;
        }
        return NULL;
}

/* Plans a member whose name ends in "Time" and whose value is a string. */
static int adapt_plan_time(const struct json_member *member,
                           const char *prefix, struct adapt_action *action,
                           struct buf *reason)
{
        const struct json_value *v = member->value;
        if (timefmt_parse_ms(v->u.string.s, v->u.string.len,
                             &action->epoch_ms) < 0) {
                adapt_append_subject(reason, prefix, member);
                buf_append_str(reason, ": \"");
                adapt_append_escaped(reason, v->u.string.s, v->u.string.len);
                buf_append_str(reason, "\" is not an RFC 3339 date-time");
                return -1;
        }
        action->type = ADAPT_TIME;
        return 0;
}

/* The form of an input or output string, from its first bytes. */
enum adapt_text_form {
        ADAPT_FORM_OTHER,        /* neither an object nor too deep */
        ADAPT_FORM_EMPTY_OBJECT, /* "{}" with optional white space */
        ADAPT_FORM_PARSE,        /* decided only by json_parse() */
};

/*
 * Skips the white space that json_parse() skips between tokens: yajl
 * 2.1's set, which has '\v' and '\f' besides JSON's four characters.
 */
static size_t adapt_skip_space(const char *s, size_t len, size_t pos)
{
        while (pos < len && (s[pos] == ' ' || s[pos] == '\t' ||
                             s[pos] == '\n' || s[pos] == '\r' ||
                             s[pos] == '\v' || s[pos] == '\f'))
                pos++;
        return pos;
}

/*
 * Classifies text without parsing it. After white space, a JSON object
 * starts with '{', then more white space and '"' or '}', where Java's
 * Map.toString text such as "{orderId=42}" has a name character. Only
 * text that starts with '[' can fail for depth without being an object:
 * after '{' any other byte fails at depth 1, a scalar opens no container,
 * and the parser stops at trailing data after a complete value.
 */
static enum adapt_text_form adapt_text_form(const char *s, size_t len)
{
        size_t pos = adapt_skip_space(s, len, 0);
        if (pos < len && s[pos] == '[')
                return ADAPT_FORM_PARSE;
        if (pos == len || s[pos] != '{')
                return ADAPT_FORM_OTHER;
        pos = adapt_skip_space(s, len, pos + 1);
        if (pos < len && s[pos] == '"')
                return ADAPT_FORM_PARSE;
        if (pos < len && s[pos] == '}' &&
            adapt_skip_space(s, len, pos + 1) == len)
                return ADAPT_FORM_EMPTY_OBJECT;
        return ADAPT_FORM_OTHER;
}

/*
 * Sets *parsed to the JSON object in text, in doc, or to NULL when text is
 * not a JSON object. Returns -1 when text nests deeper than
 * ADAPT_EMBEDDED_MAX_DEPTH, else 0.
 */
static int adapt_parse_object(struct json_doc *doc, const char *text,
                              size_t len, const struct json_value **parsed)
{
        *parsed = NULL;
        enum adapt_text_form form = adapt_text_form(text, len);
        if (form == ADAPT_FORM_EMPTY_OBJECT)
                *parsed = json_new_object(doc);
        if (form != ADAPT_FORM_PARSE)
                return 0;

        enum json_error err = JSON_OK;
        const struct json_value *v = json_parse(
                doc, text, len, ADAPT_EMBEDDED_MAX_DEPTH, &err, NULL, 0);
        if (v != NULL && v->type == JSON_OBJECT)
                *parsed = v;
        return err == JSON_ERR_DEPTH ? -1 : 0;
}

/*
 * Plans an input or output member given as a string: a JSON object in the
 * string replaces it, any other text moves to inputText or outputText,
 * which must not exist already.
 */
static int adapt_plan_text(struct json_doc *doc,
                           const struct json_value *object,
                           const struct json_member *member,
                           const char *prefix, struct adapt_action *action,
                           struct buf *reason)
{
        const struct json_value *v = member->value;
        const struct json_value *parsed;
        if (adapt_parse_object(doc, v->u.string.s, v->u.string.len,
                               &parsed) < 0) {
                adapt_append_subject(reason, prefix, member);
                buf_printf(reason,
                           ": JSON text nested deeper than %d levels",
                           ADAPT_EMBEDDED_MAX_DEPTH);
                return -1;
        }
        if (parsed != NULL) {
                action->type = ADAPT_PARSED;
                action->parsed = parsed;
                return 0;
        }

        /* Java's Map.toString text, such as "{orderId=42}", or other
         * text that is not a JSON object. */
        const char *text_name =
                member->key[0] == 'i' ? "inputText" : "outputText";
        const struct json_value *existing = json_object_get(object, text_name);
        if (existing != NULL && existing->type != JSON_NULL) {
                adapt_append_subject(reason, prefix, member);
                buf_printf(reason,
                           ": text that is not a JSON object cannot move "
                           "to %s, which exists already",
                           text_name);
                return -1;
        }
        action->type = ADAPT_TEXT;
        action->name = text_name;
        action->name_len = strlen(text_name);
        return 0;
}

static int adapt_is_input_or_output(const struct json_member *member)
{
        return adapt_key_is(member, "input") || adapt_key_is(member, "output");
}

/*
 * Decides what happens to each member of object. Returns the number of
 * members that change (0 when the object is already normalized), or -1
 * with the reason appended to reason.
 */
static long adapt_plan(struct json_doc *doc, const struct json_value *object,
                       enum adapt_kind kind, const char *prefix,
                       struct adapt_action *actions, struct buf *reason)
{
        long changes = 0;
        for (size_t i = 0; i < object->u.object.count; i++) {
                const struct json_member *member =
                        &object->u.object.members[i];
                const struct json_value *v = member->value;
                struct adapt_action *action = &actions[i];
                action->type = ADAPT_KEEP;
                action->name = NULL;
                action->name_len = 0;

                if (v->type == JSON_NULL) {
                        action->type = ADAPT_DROP;
                        changes++;
                        continue;
                }
                const char *renamed = adapt_renamed(object, kind, member);
                if (renamed != NULL) {
                        action->name = renamed;
                        action->name_len = strlen(renamed);
                        changes++;
                }
                if (v->type != JSON_STRING)
                        continue;
                if (adapt_ends_with_time(member->key, member->key_len)) {
                        if (adapt_plan_time(member, prefix, action,
                                            reason) < 0)
                                return -1;
                        changes++;
                } else if (adapt_is_input_or_output(member)) {
                        if (adapt_plan_text(doc, object, member, prefix,
                                            action, reason) < 0)
                                return -1;
                        changes++;
                }
        }
        return changes;
}

/*
 * Builds the planned object in doc. Its members share the values of object
 * without copying them when object lives in doc. Otherwise object is
 * copied into doc first, so the event outlives object's document.
 */
static const struct json_value *adapt_build(struct json_doc *doc,
                                            const struct json_value *object,
                                            const struct adapt_action *actions)
{
        const struct json_value *source = object;
        if (!json_doc_owns(doc, object))
                source = json_copy(doc, object);

        struct json_value *event = json_new_object(doc);
        for (size_t i = 0; i < source->u.object.count; i++) {
                const struct adapt_action *action = &actions[i];
                const struct json_member *member =
                        &source->u.object.members[i];
                /* The event is only handed out as const, so the input's
                 * values are never changed through it. */
                struct json_value *value = (struct json_value *)member->value;
                if (action->type == ADAPT_DROP)
                        continue;
                if (action->type == ADAPT_TIME)
                        value = json_new_int(doc, action->epoch_ms);
                else if (action->type == ADAPT_PARSED)
                        value = (struct json_value *)action->parsed;
                /* The plan never gives two members the same name, so
                 * appending without a lookup keeps the names unique. */
                if (action->name != NULL)
                        json_object_append(doc, event, action->name,
                                           action->name_len, value);
                else
                        json_object_append(doc, event, member->key,
                                           member->key_len, value);
        }
        return event;
}

/*
 * Normalizes a Conductor summary into doc. When nothing changes and
 * copy_always is 0, *event is object itself and *rewritten 0. Otherwise
 * *event is a new object built by adapt_build().
 */
static int adapt_normalize(struct json_doc *doc,
                           const struct json_value *object,
                           enum adapt_kind kind, const char *prefix,
                           int copy_always, const struct json_value **event,
                           int *rewritten, char *errstr, size_t errstr_size)
{
        size_t count = object->u.object.count;
        struct adapt_action local[ADAPT_LOCAL_ACTIONS];
        struct adapt_action *actions = local;
        if (count > ADAPT_LOCAL_ACTIONS)
                actions = xmalloc(count * sizeof(*actions));
        struct buf reason = BUF_INIT;
        int rc = -1;

        long changes = adapt_plan(doc, object, kind, prefix, actions, &reason);
        if (changes < 0) {
                snprintf(errstr, errstr_size, "%s", reason.data);
                goto out;
        }
        if (changes == 0 && !copy_always) {
                *event = object;
                *rewritten = 0;
        } else {
                *event = adapt_build(doc, object, actions);
                *rewritten = 1;
        }
        rc = 0;
out:
        buf_free(&reason);
        if (actions != local)
                free(actions);
        return rc;
}

/* Checks the envelope's members and normalizes its payload. */
static int adapt_envelope(struct json_doc *doc,
                          const struct json_value *input,
                          struct adapt_result *out, char *errstr,
                          size_t errstr_size)
{
        const struct json_value *event_type =
                json_object_get(input, "eventType");
        const struct json_value *payload = json_object_get(input, "payload");

        if (event_type == NULL) {
                snprintf(errstr, errstr_size,
                         "eventType: missing from the envelope");
                return -1;
        }
        if (event_type->type != JSON_STRING) {
                snprintf(errstr, errstr_size,
                         "eventType: expected a string, got %s%s",
                         adapt_article(event_type),
                         json_type_name(event_type));
                return -1;
        }
        if (payload == NULL) {
                snprintf(errstr, errstr_size,
                         "payload: missing from the envelope");
                return -1;
        }
        if (payload->type != JSON_OBJECT) {
                snprintf(errstr, errstr_size,
                         "payload: expected an object, got %s%s",
                         adapt_article(payload), json_type_name(payload));
                return -1;
        }

        /* NOTE: The payload is normalized as a workflow summary because
         * Conductor's Kafka publisher sends only workflow events. The
         * envelope's other members, such as workflowName, are dropped. */
        int rewritten;
        if (adapt_normalize(doc, payload, ADAPT_KIND_WORKFLOW, "payload.", 1,
                            &out->event, &rewritten, errstr,
                            errstr_size) < 0)
                return -1;
        out->event_type = event_type->u.string.s;
        out->event_type_len = event_type->u.string.len;
        out->rewritten = 1;
        return 0;
}

/*
 * A rewritten event is a new object in doc. It shares input's values when
 * input lives in doc and contains a copy of them otherwise, so it stays
 * valid until doc is reset or destroyed. An event that is not rewritten
 * (native, or a forced summary that needs no change) is input itself.
 */
int adapt_event(struct json_doc *doc, const struct json_value *input,
                enum adapt_shape forced, struct adapt_result *out,
                char *errstr, size_t errstr_size)
{
        memset(out, 0, sizeof(*out));
        if (input == NULL || input->type != JSON_OBJECT) {
                snprintf(errstr, errstr_size,
                         "expected a JSON object, got %s%s",
                         input != NULL ? adapt_article(input) : "",
                         input != NULL ? json_type_name(input) : "nothing");
                return -1;
        }

        out->shape = forced == ADAPT_AUTO ? adapt_detect(input) : forced;
        switch (out->shape) {
        case ADAPT_ENVELOPE:
                return adapt_envelope(doc, input, out, errstr, errstr_size);
        case ADAPT_WORKFLOW_SUMMARY:
                return adapt_normalize(doc, input, ADAPT_KIND_WORKFLOW, "", 0,
                                       &out->event, &out->rewritten, errstr,
                                       errstr_size);
        case ADAPT_TASK_SUMMARY:
                return adapt_normalize(doc, input, ADAPT_KIND_TASK, "", 0,
                                       &out->event, &out->rewritten, errstr,
                                       errstr_size);
        case ADAPT_NATIVE:
                out->event = input;
                return 0;
        case ADAPT_AUTO:
                break;
        }
        snprintf(errstr, errstr_size, "unknown adapter shape %d",
                 (int)out->shape);
        return -1;
}
