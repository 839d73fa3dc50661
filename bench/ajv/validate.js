// SPDX-License-Identifier: Apache-2.0
//
// The job of `conductor-kafka-bridge --validate FILE` written with ajv 8,
// for bench/validate.sh. It reads JSON Lines, parses each line, checks for
// an object and adapts Conductor's wire formats. It classifies task or
// workflow by taskId, routes with the routing table and validates against
// the channel's payload schema. It prints one line per input line:
// "ok CHANNEL", "invalid REASON" or "skip REASON".
//
// Usage: node validate.js SCHEMAS_JSON ROUTING_JSON FILE
//   SCHEMAS_JSON  output of bench/asyncapi_schemas.py
//   ROUTING_JSON  bench/default_routing.json
//
// Differences from the bridge, none of which the generated events hit:
// JSON.parse accepts duplicate member names (the last one wins) and has
// no nesting limit, and reasons are worded by ajv.
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const { adaptEvent, Rejected } = require('./adapt');

// The bridge's default limits.max_value_bytes.
const MAX_VALUE_BYTES = 1048576;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function has(object, name) {
  return Object.prototype.hasOwnProperty.call(object, name);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// Returns the channel for status in the status table, or throws Rejected.
function routeStatus(routing, event, isTask, memberName) {
  const kind = isTask ? 'task' : 'workflow';
  const status = event.status;
  if (!has(event, 'status') || status === null) {
    throw new Rejected(`${kind} event has no ${memberName}`);
  }
  if (typeof status !== 'string') {
    throw new Rejected(`${memberName} must be a string, got ` +
                       typeName(status));
  }
  const table = isTask ? routing.task_status : routing.workflow_status;
  const target = has(table, status) ? table[status] : undefined;
  if (target === undefined || target === 'dlq' || target === 'status') {
    throw new Rejected(`${kind} status ${JSON.stringify(status)} has no ` +
                       'channel');
  }
  if (target === 'skip') {
    throw new Rejected(`${kind} status ${JSON.stringify(status)} is ` +
                       'mapped to skip', 'skip');
  }
  return target;
}

// Routes an envelope: eventType decides, and payload.status must agree
// with it or, for an eventType mapped to "status", picks the channel.
function routeEnvelope(routing, eventType, event) {
  const quoted = JSON.stringify(eventType);
  const table = routing.event_type;
  const target = has(table, eventType) ? table[eventType] : undefined;
  if (target === undefined || target === 'dlq') {
    throw new Rejected(`eventType ${quoted} has no channel`);
  }
  if (target === 'skip') {
    throw new Rejected(`eventType ${quoted} is mapped to skip`, 'skip');
  }
  if (target === 'status') {
    return routeStatus(routing, event, false, 'payload.status');
  }
  if (!has(event, 'status') || event.status === null) return target;
  let byStatus = null;
  try {
    byStatus = routeStatus(routing, event, false, 'payload.status');
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
  }
  if (byStatus === target) return target;
  throw new Rejected(`eventType ${quoted} disagrees with payload.status ` +
                     JSON.stringify(event.status));
}

function compileChannels(schemasPath) {
  const extracted = JSON.parse(fs.readFileSync(schemasPath, 'utf8'));
  // strict: false because AsyncAPI schema objects may carry keywords that
  // JSON Schema does not define (discriminator, externalDocs, example).
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats(ajv);
  const byMessage = new Map();
  for (const [name, schema] of Object.entries(extracted.schemas)) {
    byMessage.set(name, ajv.compile(schema));
  }
  const channels = new Map();
  for (const [channel, message] of Object.entries(extracted.channels)) {
    channels.set(channel, byMessage.get(message));
  }
  return channels;
}

// Returns the result line for one input line (a Buffer without its end
// of line).
function decide(channels, routing, bytes) {
  if (bytes.length === 0) return 'invalid empty value';
  if (bytes.length > MAX_VALUE_BYTES) {
    return `invalid value is ${bytes.length} bytes, over ` +
           `limits.max_value_bytes (${MAX_VALUE_BYTES})`;
  }
  let root;
  try {
    root = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    return `invalid malformed JSON: ${err.message}`;
  }
  if (!isObject(root)) {
    return `invalid value is a JSON ${typeName(root)}, expected an object`;
  }
  try {
    const adapted = adaptEvent(root);
    const event = adapted.event;
    const isTask = has(event, 'taskId');
    const channel = adapted.eventType !== null
      ? routeEnvelope(routing, adapted.eventType, event)
      : routeStatus(routing, event, isTask, 'status');
    const validate = channels.get(channel);
    if (validate === undefined) return `invalid channel "${channel}" is unknown`;
    if (!validate(event)) {
      const e = validate.errors[0];
      return `invalid ${e.instancePath}: ${e.keyword}: ${e.message}`;
    }
    return `ok ${channel}`;
  } catch (err) {
    if (err instanceof Rejected) return `${err.verdict} ${err.message}`;
    throw err;
  }
}

// Splits data into lines: "\n" ends a line, a "\r" before it is dropped,
// and an unterminated last line counts.
function* lines(data) {
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    const next = end === -1 ? data.length : end + 1;
    if (end === -1) end = data.length;
    if (end > start && data[end - 1] === 0x0d) end--;
    yield data.subarray(start, end);
    start = next;
  }
}

function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write('usage: node validate.js SCHEMAS_JSON ' +
                         'ROUTING_JSON FILE\n');
    return 2;
  }
  const channels = compileChannels(argv[0]);
  const routing = JSON.parse(fs.readFileSync(argv[1], 'utf8'));
  const data = fs.readFileSync(argv[2] === '-' ? 0 : argv[2]);
  const out = [];
  let invalid = 0;
  for (const line of lines(data)) {
    const result = decide(channels, routing, line);
    if (result.startsWith('invalid')) invalid++;
    out.push(result);
    if (out.length === 4096) {
      fs.writeSync(1, out.join('\n') + '\n');
      out.length = 0;
    }
  }
  if (out.length > 0) fs.writeSync(1, out.join('\n') + '\n');
  return invalid > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
