#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generate realistic Conductor workflow and task status events.

Each workflow follows a life cycle: it starts, schedules its tasks one after
the other, may pause and resume, may fail and be retried, and ends as
COMPLETED, FAILED, TIMED_OUT or TERMINATED. The task events of a workflow
carry its workflow id, and the events of many workflows interleave in time
order, as they would on Conductor's topics.

Shapes (--shape):
  conductor  workflow events as the envelope of Conductor OSS's Kafka
             workflow-status publisher ({workflowName, eventType, payload}
             with a workflow summary whose times are RFC 3339 strings), and
             task events as task summaries or task notifications with string
             times and a workflowId member. This is the default.
  native     events already in the shape of the AsyncAPI document for the
             Conductor Events API: integer epoch-millisecond times,
             workflowName and workflowVersion for workflows,
             workflowInstanceId for tasks, one event per status, covering
             all 12 channels.

Output is JSON Lines, or "KEY<TAB>VALUE" lines with --keys for
`kcat -P -K '\\t'`; the key is the workflow id. Values are 0.5 to 2 KB.
The same arguments always produce the same output.
"""

import argparse
import datetime
import json
import random
import sys
import uuid

MIN_VALUE_BYTES = 512
MAX_VALUE_BYTES = 2048

# 2026-03-01T09:00:00Z: a fixed start, so the output does not depend on
# the clock.
DEFAULT_START_MS = 1772355600000

# Conductor writes this time for a task that has not started yet.
NOT_STARTED = "1970-01-01T00:00:00.000Z"

# Workflow definitions: name, version, tasks (definition name, task type)
# and the kind of line item that fills their input.
WORKFLOWS = [
    {
        "name": "order_processing",
        "version": 3,
        "tasks": [("validate_order", "SIMPLE"),
                  ("reserve_inventory", "SIMPLE"),
                  ("charge_card", "SIMPLE"),
                  ("create_shipment", "HTTP"),
                  ("notify_customer", "SIMPLE")],
        "item": "order_line",
    },
    {
        "name": "invoice_approval",
        "version": 1,
        "tasks": [("extract_invoice", "SIMPLE"),
                  ("check_budget", "INLINE"),
                  ("approve_invoice", "HUMAN"),
                  ("post_to_ledger", "HTTP")],
        "item": "invoice_line",
    },
    {
        "name": "user_onboarding",
        "version": 2,
        "tasks": [("create_account", "SIMPLE"),
                  ("verify_email", "WAIT"),
                  ("provision_workspace", "SUB_WORKFLOW"),
                  ("send_welcome_email", "SIMPLE")],
        "item": "permission",
    },
    {
        "name": "media_transcode",
        "version": 5,
        "tasks": [("fetch_source", "HTTP"),
                  ("probe_media", "SIMPLE"),
                  ("transcode_renditions", "SIMPLE"),
                  ("publish_renditions", "JSON_JQ_TRANSFORM")],
        "item": "rendition",
    },
    {
        "name": "payment_refund",
        "version": 2,
        "tasks": [("lookup_payment", "SIMPLE"),
                  ("issue_refund", "HTTP"),
                  ("notify_customer", "SIMPLE")],
        "item": "refund_line",
    },
]

PRODUCTS = ["USB-C cable 2 m", "Espresso beans 1 kg", "Desk lamp, walnut",
            "Wool socks, size 42", "Noise-cancelling headphones",
            "Ceramic mug 350 ml", "Laptop stand, aluminium",
            "Notebook A5 dotted", "Water bottle 750 ml", "Chef's knife 20 cm"]
COST_CENTERS = ["CC-1040 Marketing", "CC-2210 Engineering",
                "CC-3105 Facilities", "CC-4420 Sales EMEA"]
ROLES = ["viewer", "editor", "billing-admin", "project-owner", "auditor"]
RESOLUTIONS = [("2160p", 16000), ("1080p", 6000), ("720p", 3000),
               ("480p", 1200), ("360p", 700)]
CITIES = ["Lisbon", "Rotterdam", "Kraków", "Lyon", "Tampere", "Graz"]
WORKERS = ["order-worker-7d9f8b6c5-x2k4q", "billing-worker-5f7c9d-mz8rt",
           "media-worker-84c6f9b7d-q9w2e", "notify-worker-6b8d7c-p4n7s"]
FAILURE_REASONS = {
    "charge_card": "card declined by issuer: insufficient_funds",
    "reserve_inventory": "SKU out of stock in every warehouse",
    "create_shipment": "carrier API returned HTTP 503",
    "post_to_ledger": "ledger rejected entry: period 2026-02 is closed",
    "approve_invoice": "approver rejected: amount exceeds budget",
    "transcode_renditions": "ffmpeg exited with status 1: invalid data "
                            "found when processing input",
    "fetch_source": "source object not found in bucket media-ingest",
    "issue_refund": "payment provider returned HTTP 409: already refunded",
}
DEFAULT_FAILURE = "worker raised an unhandled exception"


def format_time(epoch_ms):
    """Format epoch milliseconds the way Conductor's summaries do."""
    seconds, millis = divmod(epoch_ms, 1000)
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % millis


def new_id(rng):
    """Return a random version 4 UUID drawn from rng (so it is repeatable)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def dumps(value):
    """Serialize compactly, like Jackson, keeping non-ASCII text as UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def byte_size(value):
    return len(dumps(value).encode("utf-8"))


def java_map_text(value):
    """Render value as Java's Map.toString() would, which is not JSON."""
    if isinstance(value, dict):
        inner = ", ".join("%s=%s" % (k, java_map_text(v))
                          for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(java_map_text(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def make_item(rng, kind, index):
    """Return one realistic line item of the given kind."""
    if kind == "order_line":
        return {"lineNo": index + 1,
                "sku": "SKU-%05d" % rng.randint(10000, 99999),
                "description": rng.choice(PRODUCTS),
                "quantity": rng.randint(1, 4),
                "unitPrice": round(rng.uniform(3, 250), 2),
                "currency": "EUR"}
    if kind == "invoice_line":
        return {"lineNo": index + 1,
                "costCenter": rng.choice(COST_CENTERS),
                "description": "Services %s, hours %d" % (
                    rng.choice(["consulting", "support", "design"]),
                    rng.randint(2, 40)),
                "net": round(rng.uniform(80, 4000), 2),
                "vatRate": rng.choice([0.0, 0.07, 0.19, 0.21])}
    if kind == "permission":
        return {"workspace": "ws-%04d" % rng.randint(1, 9999),
                "role": rng.choice(ROLES),
                "grantedBy": "user-%05d" % rng.randint(1, 99999)}
    if kind == "rendition":
        name, bitrate = RESOLUTIONS[index % len(RESOLUTIONS)]
        return {"name": name, "codec": rng.choice(["h264", "h265", "av1"]),
                "videoBitrateKbps": bitrate, "audioBitrateKbps": 128,
                "container": "mp4"}
    return {"paymentLine": index + 1,
            "amount": round(rng.uniform(2, 300), 2),
            "reason": rng.choice(["damaged", "late delivery", "wrong size",
                                  "duplicate charge"])}


def make_workflow_input(rng, definition, item_count):
    """Return the workflow input: a few scalars and item_count items."""
    number = rng.randint(100000, 999999)
    base = {
        "order_processing": {"orderId": "ORD-%d" % number,
                             "customerId": "C-%05d" % rng.randint(1, 99999),
                             "shipTo": {"city": rng.choice(CITIES),
                                        "country": "EU"}},
        "invoice_approval": {"invoiceId": "INV-2026-%d" % number,
                             "supplier": "Supplier %d GmbH"
                                         % rng.randint(1, 400)},
        "user_onboarding": {"userId": "user-%d" % number,
                            "email": "user%d@example.com" % number,
                            "plan": rng.choice(["team", "business"])},
        "media_transcode": {"assetId": "asset-%d" % number,
                            "source": "s3://media-ingest/raw/%d.mov"
                                      % number},
        "payment_refund": {"paymentId": "pay_%d" % number,
                           "orderId": "ORD-%d" % rng.randint(100000, 999999)},
    }[definition["name"]]
    base["items"] = [make_item(rng, definition["item"], i)
                     for i in range(item_count)]
    return base


def make_workflow_output(rng, definition, status):
    """Return the output a workflow has when it ends with status."""
    if status != "COMPLETED":
        return {}
    name = definition["name"]
    if name == "order_processing":
        return {"shipmentId": "SHP-%d" % rng.randint(10**6, 10**7 - 1),
                "trackingUrl": "https://track.example.com/%d"
                               % rng.randint(10**8, 10**9 - 1)}
    if name == "invoice_approval":
        return {"ledgerEntry": "LE-%d" % rng.randint(10**5, 10**6 - 1),
                "approved": True}
    if name == "user_onboarding":
        return {"workspaceUrl": "https://app.example.com/w/%d"
                                % rng.randint(1000, 9999)}
    if name == "media_transcode":
        return {"manifest": "s3://media-out/%d/master.m3u8"
                            % rng.randint(10**5, 10**6 - 1),
                "renditions": rng.randint(3, 5)}
    return {"refundId": "re_%d" % rng.randint(10**8, 10**9 - 1),
            "state": "succeeded"}


class Timeline:
    """Collects events with their time and a sequence number for order."""

    def __init__(self):
        self.events = []

    def add(self, time_ms, key, kind, body):
        self.events.append((time_ms, len(self.events), key, kind, body))

    def sorted(self):
        return sorted(self.events, key=lambda e: (e[0], e[1]))


class WorkflowRun:
    """One workflow instance; it writes its events into a Timeline."""

    def __init__(self, rng, args, timeline, start_ms):
        self.rng = rng
        self.args = args
        self.timeline = timeline
        self.definition = rng.choice(WORKFLOWS)
        self.workflow_id = new_id(rng)
        self.correlation_id = (None if rng.random() < 0.3 else
                               "corr-%d" % rng.randint(10**7, 10**8 - 1))
        self.priority = rng.choice([0, 0, 0, 5, 10, 50])
        self.start_ms = start_ms
        self.now = start_ms
        self.output = {}
        self.status = "RUNNING"
        self.reason = None
        self.end_ms = None
        self.failed_refs = []
        self.input = make_workflow_input(rng, self.definition, 0)
        self.grow_input()

    def grow_input(self):
        """Add items to the workflow input until the STARTED event reaches
        a size drawn at random. The input is sized once, so every event of
        a workflow carries the same input, as Conductor's would, and the
        later events, which add output and end time, stay under 2 KB."""
        target = self.rng.randint(MIN_VALUE_BYTES + 80, MAX_VALUE_BYTES - 560)
        items = self.input["items"]
        while len(items) < 12 and byte_size(self.workflow_body(
                "STARTED")) < target:
            items.append(make_item(self.rng, self.definition["item"],
                                   len(items)))

    # --- workflow events ---------------------------------------------

    def workflow_summary(self):
        """Return the workflow summary as Conductor's publisher writes it."""
        summary = {
            "workflowType": self.definition["name"],
            "version": self.definition["version"],
            "workflowId": self.workflow_id,
        }
        if self.correlation_id:
            summary["correlationId"] = self.correlation_id
        summary["startTime"] = format_time(self.start_ms)
        summary["updateTime"] = format_time(self.now)
        if self.end_ms is not None:
            summary["endTime"] = format_time(self.end_ms)
        summary["status"] = self.status
        summary["input"] = self.input
        summary["output"] = self.output
        if self.reason:
            summary["reasonForIncompletion"] = self.reason
        summary["executionTime"] = (self.end_ms - self.start_ms
                                    if self.end_ms is not None else 0)
        summary["failedReferenceTaskNames"] = ",".join(self.failed_refs)
        summary["failedTaskNames"] = [r[:-4] for r in self.failed_refs]
        summary["priority"] = self.priority
        summary["parentWorkflowId"] = ""
        return summary

    def workflow_native(self):
        """Return the workflow event in the AsyncAPI shape."""
        event = {
            "workflowId": self.workflow_id,
            "workflowName": self.definition["name"],
            "workflowVersion": self.definition["version"],
        }
        if self.correlation_id:
            event["correlationId"] = self.correlation_id
        event["status"] = self.status
        event["startTime"] = self.start_ms
        if self.end_ms is not None:
            event["endTime"] = self.end_ms
        event["input"] = self.input
        event["output"] = self.output
        if self.reason:
            event["reasonForIncompletion"] = self.reason
        event["priority"] = self.priority
        event["parentWorkflowId"] = ""
        return event

    def workflow_body(self, event_type):
        """Return the workflow event of the chosen shape."""
        if self.args.shape == "native":
            return self.workflow_native()
        return {"workflowName": self.definition["name"],
                "eventType": event_type,
                "payload": self.workflow_summary()}

    def emit_workflow(self, event_type):
        """Record a workflow event. The native shape has no event types, so
        it leaves out those without a channel of their own."""
        if self.args.shape == "native" and event_type in (
                "RESUMED", "RETRIED", "FINALIZED"):
            return
        self.timeline.add(self.now, self.workflow_id, "workflow",
                          self.workflow_body(event_type))

    # --- task events -------------------------------------------------

    def task_event(self, task, status):
        """Return a task event for the task state in task."""
        if self.args.shape == "native":
            return self.task_native(task, status)
        if task["notification"]:
            return self.task_notification(task, status)
        return self.task_summary(task, status)

    def task_times(self, task):
        scheduled = task["scheduled"]
        start = task.get("start")
        end = task.get("end")
        return scheduled, start, end

    def task_summary(self, task, status):
        """Return a task summary; input and output are strings."""
        scheduled, start, end = self.task_times(task)
        summary = {
            "workflowId": self.workflow_id,
            "workflowType": self.definition["name"],
        }
        if self.correlation_id:
            summary["correlationId"] = self.correlation_id
        summary["scheduledTime"] = format_time(scheduled)
        summary["startTime"] = (format_time(start) if start is not None
                                else NOT_STARTED)
        summary["updateTime"] = format_time(self.now)
        summary["endTime"] = (format_time(end) if end is not None
                              else NOT_STARTED)
        summary["status"] = status
        if task.get("reason"):
            summary["reasonForIncompletion"] = task["reason"]
        summary["executionTime"] = (end - start if end is not None
                                    and start is not None else 0)
        summary["queueWaitTime"] = ((start - scheduled) if start is not None
                                    else self.now - scheduled)
        summary["taskDefName"] = task["name"]
        summary["taskType"] = task["type"]
        if task["java_maps"]:
            summary["input"] = java_map_text(task["input"])
            summary["output"] = java_map_text(task.get("output", {}))
        else:
            summary["input"] = dumps(task["input"])
            summary["output"] = dumps(task.get("output", {}))
        summary["taskId"] = task["id"]
        summary["workflowPriority"] = self.priority
        return summary

    def task_notification(self, task, status):
        """Return a task notification: a summary without input and output,
        plus the reference name, retry count and task description."""
        summary = self.task_summary(task, status)
        del summary["input"]
        del summary["output"]
        summary["referenceTaskName"] = task["ref"]
        summary["retryCount"] = task["retry"]
        summary["taskDescription"] = "%s step of %s v%d" % (
            task["name"], self.definition["name"],
            self.definition["version"])
        summary["workflowTaskType"] = task["workflow_task_type"]
        if task.get("worker"):
            summary["domain"] = "eu-west"
        return summary

    def task_native(self, task, status):
        """Return a task event in the AsyncAPI shape, with the task's input
        and output maps as extra members."""
        scheduled, start, end = self.task_times(task)
        event = {
            "taskId": task["id"],
            "taskType": task["type"],
            "taskDefName": task["name"],
            "status": status,
            "referenceTaskName": task["ref"],
            "workflowInstanceId": self.workflow_id,
            "workflowType": self.definition["name"],
        }
        if self.correlation_id:
            event["correlationId"] = self.correlation_id
        event["scheduledTime"] = scheduled
        event["startTime"] = start if start is not None else 0
        event["endTime"] = end if end is not None else 0
        if task.get("worker"):
            event["workerId"] = task["worker"]
        if task.get("reason"):
            event["reasonForIncompletion"] = task["reason"]
        event["retryCount"] = task["retry"]
        event["input"] = task["input"]
        event["output"] = task.get("output", {})
        return event

    def emit_task(self, task, status):
        self.timeline.add(self.now, self.workflow_id, "task",
                          self.task_event(task, status))

    def new_task(self, name, task_type, retry):
        rng = self.rng
        simple = task_type == "SIMPLE"
        task = {
            "id": new_id(rng),
            "name": name,
            # A SIMPLE task's type is its definition name in Conductor.
            "type": name if simple else task_type,
            "workflow_task_type": task_type,
            "ref": name + "_ref",
            "retry": retry,
            "scheduled": self.now,
            "notification": rng.random() < self.args.notification_fraction,
            "java_maps": rng.random() < 0.2,
            "worker": rng.choice(WORKERS) if simple else None,
        }
        task["input"] = self.task_input(task)
        return task

    def task_input(self, task):
        """Return the task input: the workflow's ids and some items, grown
        until the SCHEDULED event reaches a size drawn at random. Task
        notifications carry no input, so their input stays small."""
        task_input = {k: v for k, v in self.input.items() if k != "items"}
        task_input["attempt"] = task["retry"] + 1
        task_input["items"] = []
        task["input"] = task_input
        if task["notification"] and self.args.shape == "conductor":
            return task_input
        target = self.rng.randint(MIN_VALUE_BYTES + 80, MAX_VALUE_BYTES - 500)
        items = task_input["items"]
        while len(items) < 12 and byte_size(self.task_event(
                task, "SCHEDULED")) < target:
            items.append(make_item(self.rng, self.definition["item"],
                                   len(items)))
        return task_input

    # --- life cycle --------------------------------------------------

    def advance(self, low_ms, high_ms):
        self.now += self.rng.randint(low_ms, high_ms)

    def run_task(self, name, task_type, outcome, retry=0):
        """Run one task to outcome; returns the final task state."""
        task = self.new_task(name, task_type, retry)
        self.emit_task(task, "SCHEDULED")
        self.advance(5, 900)
        if outcome == "CANCELED" and self.rng.random() < 0.5:
            # Canceled while still waiting in the queue.
            task["end"] = self.now
            task["reason"] = "Workflow is %s" % self.status
            self.emit_task(task, "CANCELED")
            return task
        task["start"] = self.now
        self.emit_task(task, "IN_PROGRESS")
        self.advance(40, 2500)
        task["end"] = self.now
        if outcome == "COMPLETED":
            task["output"] = {"result": "ok",
                              "durationMs": task["end"] - task["start"]}
        elif outcome in ("FAILED", "FAILED_WITH_TERMINAL_ERROR"):
            task["reason"] = FAILURE_REASONS.get(name, DEFAULT_FAILURE)
        elif outcome == "TIMED_OUT":
            task["reason"] = ("Task timed out after %d seconds"
                              % self.rng.choice([30, 60, 120]))
        elif outcome == "CANCELED":
            task["reason"] = "Workflow is %s" % self.status
        self.emit_task(task, outcome)
        return task

    def end_workflow(self, status, reason=None):
        self.advance(5, 200)
        self.status = status
        self.reason = reason
        self.end_ms = self.now
        self.output = make_workflow_output(self.rng, self.definition, status)
        self.emit_workflow("COMPLETED" if status == "COMPLETED"
                           else "TERMINATED")
        if self.args.finalized:
            self.advance(1, 20)
            self.emit_workflow("FINALIZED")

    def pause_and_resume(self):
        self.advance(100, 2000)
        self.status = "PAUSED"
        self.emit_workflow("PAUSED")
        self.advance(2000, 20000)
        self.status = "RUNNING"
        self.emit_workflow("RESUMED")

    def play(self):
        """Play the whole life cycle of the workflow."""
        rng = self.rng
        fate = rng.choices(["COMPLETED", "FAILED", "RETRIED", "TIMED_OUT",
                            "TERMINATED", "PAUSED"],
                           weights=[60, 10, 7, 6, 7, 10])[0]
        self.emit_workflow("STARTED")
        tasks = self.definition["tasks"]
        stop_at = rng.randrange(len(tasks))
        for index, (name, task_type) in enumerate(tasks):
            self.advance(5, 300)
            if fate == "PAUSED" and index == stop_at:
                self.pause_and_resume()
            if index != stop_at or fate in ("COMPLETED", "PAUSED"):
                self.run_task(name, task_type, "COMPLETED")
                continue
            if fate in ("FAILED", "RETRIED"):
                self.fail_task(name, task_type)
                if fate == "FAILED":
                    return
                self.retry_workflow(name, task_type)
                continue
            if fate == "TIMED_OUT":
                self.run_task(name, task_type, "TIMED_OUT")
                self.failed_refs.append(name + "_ref")
                self.end_workflow("TIMED_OUT", "Workflow timed out after "
                                  "%d seconds" % rng.choice([300, 600]))
                return
            # TERMINATED: an operator stops the workflow while the task runs.
            self.status = "TERMINATED"
            self.run_task(name, task_type, "CANCELED")
            self.end_workflow("TERMINATED", rng.choice(
                ["Terminated by ops: duplicate request",
                 "Terminated by parent workflow",
                 "Customer cancelled the order"]))
            return
        self.end_workflow("COMPLETED")

    def fail_task(self, name, task_type):
        """Fail the task, once with a retry left, then for good."""
        if self.rng.random() < 0.5:
            self.run_task(name, task_type, "FAILED")
            self.advance(1000, 5000)
            final = self.run_task(name, task_type, "FAILED", retry=1)
        else:
            final = self.run_task(name, task_type,
                                  "FAILED_WITH_TERMINAL_ERROR")
        self.failed_refs.append(name + "_ref")
        self.end_workflow("FAILED", "Task %s failed: %s"
                          % (final["id"], final["reason"]))

    def retry_workflow(self, name, task_type):
        """Retry a failed workflow from the failed task, which completes."""
        self.advance(5000, 30000)
        self.status = "RUNNING"
        self.reason = None
        self.end_ms = None
        self.output = {}
        self.failed_refs = []
        self.emit_workflow("RETRIED")
        self.run_task(name, task_type, "COMPLETED", retry=2)


# --- bad events ------------------------------------------------------------

BAD_KINDS = ["string_version", "unknown_status", "non_json", "truncated",
             "string_time"]


def spoil(rng, kind, body, shape):
    """Return the text of a broken variant of body (a dict)."""
    bad = rng.choice(BAD_KINDS)
    if bad == "non_json":
        # A producer that wrote Java's toString() instead of JSON.
        if kind == "task":
            return "TaskSummary{taskId=%s, status=%s}" % (
                body["taskId"], body["status"])
        target = body.get("payload", body)
        return "WorkflowSummary{workflowId=%s, status=%s}" % (
            target["workflowId"], target["status"])
    if bad == "truncated":
        text = dumps(body)
        return text[:rng.randint(len(text) // 4, len(text) - 2)]
    target = body.get("payload", body)
    if bad == "string_version":
        if kind == "task":
            target["retryCount"] = str(target.get("retryCount", 0))
        elif "version" in target:
            target["version"] = str(target["version"])
        else:
            target["workflowVersion"] = str(target["workflowVersion"])
    elif bad == "unknown_status":
        target["status"] = "CANCELLED" if kind == "task" else "SUCCESS"
    elif shape == "native":
        target["startTime"] = format_time(target["scheduledTime"]
                                          if kind == "task"
                                          else target["startTime"])
    else:
        target["startTime"] = "yesterday"
    return dumps(body)


# --- main ------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Generate realistic Conductor workflow and task status "
                    "events as JSON Lines.")
    parser.add_argument("--count", type=int, default=300,
                        help="events to write before --only filters them "
                             "(default 300)")
    parser.add_argument("--seed", type=int, default=1,
                        help="random seed; the same seed gives the same "
                             "output (default 1)")
    parser.add_argument("--shape", choices=["conductor", "native"],
                        default="conductor",
                        help="conductor: the publisher envelope and task "
                             "summaries (default); native: the AsyncAPI "
                             "shape")
    parser.add_argument("--bad-fraction", type=float, default=0.0,
                        help="fraction of events, from 0 to 1, replaced by "
                             "a broken variant (default 0)")
    parser.add_argument("--only", choices=["workflow", "task"],
                        help="write only workflow or only task events")
    parser.add_argument("--keys", action="store_true",
                        help="write KEY<TAB>VALUE lines, the key being the "
                             "workflow id")
    parser.add_argument("--rate", type=float, default=1.0,
                        help="workflows started per second of event time, "
                             "on average (default 1)")
    parser.add_argument("--notification-fraction", type=float, default=0.25,
                        help="fraction of task events written as task "
                             "notifications instead of task summaries "
                             "(default 0.25)")
    parser.add_argument("--finalized", action="store_true",
                        help="also write a FINALIZED envelope after each "
                             "workflow ends")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be 0 or more, got %d" % args.count)
    if not 0.0 <= args.bad_fraction <= 1.0:
        parser.error("--bad-fraction must be from 0 to 1, got %g"
                     % args.bad_fraction)
    if not 0.0 <= args.notification_fraction <= 1.0:
        parser.error("--notification-fraction must be from 0 to 1, got %g"
                     % args.notification_fraction)
    if args.rate <= 0:
        parser.error("--rate must be above 0, got %g" % args.rate)
    return args


def generate(args):
    """Return (key, kind, text) for the first args.count events in time."""
    rng = random.Random(args.seed)
    timeline = Timeline()
    start_ms = DEFAULT_START_MS
    # Start workflows until the ones started later can no longer add
    # events before the count is reached: a workflow lasts at most a few
    # minutes of event time, so keep going past the count by a margin.
    while True:
        WorkflowRun(rng, args, timeline, start_ms).play()
        start_ms += int(rng.expovariate(args.rate) * 1000) + 1
        events = timeline.events
        if len(events) >= args.count:
            cutoff = sorted(e[0] for e in events)[args.count - 1] \
                if args.count else 0
            if start_ms > cutoff:
                break
    chosen = timeline.sorted()[:args.count]
    output = []
    for _, _, key, kind, body in chosen:
        if rng.random() < args.bad_fraction:
            text = spoil(rng, kind, body, args.shape)
        else:
            text = dumps(body)
        output.append((key, kind, text))
    return output


def main(argv):
    args = parse_args(argv)
    out = sys.stdout
    for key, kind, text in generate(args):
        if args.only and kind != args.only:
            continue
        if args.keys:
            out.write(key + "\t" + text + "\n")
        else:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(0)
