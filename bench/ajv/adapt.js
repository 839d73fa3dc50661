// SPDX-License-Identifier: Apache-2.0
//
// Adapters from Conductor's wire formats to the AsyncAPI shape, by the
// rules of the bridge's src/adapt.c. Member names decide the shape. Null
// members are dropped and Conductor's member names renamed. RFC 3339
// string times become epoch milliseconds, and an input or output string
// becomes its JSON object or moves to inputText or outputText.
'use strict';

// A record the bridge would not produce: verdict is "invalid" (dead
// letter) or "skip".
class Rejected extends Error {
  constructor(message, verdict = 'invalid') {
    super(message);
    this.verdict = verdict;
  }
}

const RENAMES = {
  workflow: { workflowType: 'workflowName', version: 'workflowVersion' },
  task: { workflowId: 'workflowInstanceId' },
};

const RFC3339 = new RegExp('^(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):' +
                           '(\\d{2}):(\\d{2})(?:\\.(\\d+))?' +
                           '(?:[Zz]|([+-])(\\d{2}):(\\d{2}))$');

function has(object, name) {
  return Object.prototype.hasOwnProperty.call(object, name);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isLeapYear(y) {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y, m) {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

// Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian).
function daysFromCivil(y, m, d) {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Returns the epoch milliseconds of an RFC 3339 date-time, or null.
// Digits of the fraction past the third are dropped, as the bridge does.
// NOTE: a leap second (:60) is rejected here; the bridge accepts it at
// 23:59 UTC on the last day of a month.
function parseTime(text) {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] =
    m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 ||
      day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 59) {
    return null;
  }
  let offset = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return null;
    offset = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const milli = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const minutes = daysFromCivil(year, month, day) * 1440 + hour * 60 +
                  minute - offset;
  return minutes * 60000 + second * 1000 + milli;
}

function quote(text) {
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + '...' : text);
}

// Returns the output name and value of one member, or null to drop it.
function adaptMember(object, kind, prefix, key, value) {
  if (value === null) return null;
  let name = key;
  const renamed = has(RENAMES[kind], key) ? RENAMES[kind][key] : undefined;
  if (renamed !== undefined &&
      (!has(object, renamed) || object[renamed] === null)) {
    name = renamed;
  }
  if (typeof value !== 'string') return [name, value];
  if (key.endsWith('Time')) {
    const ms = parseTime(value);
    if (ms === null) {
      throw new Rejected(`${prefix}${key}: ${quote(value)} is not an ` +
                         'RFC 3339 date-time');
    }
    return [name, ms];
  }
  if (key !== 'input' && key !== 'output') return [name, value];
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    parsed = undefined;
  }
  if (isObject(parsed)) return [name, parsed];
  // Java's Map.toString text, or other text that is not a JSON object.
  const textName = key === 'input' ? 'inputText' : 'outputText';
  if (has(object, textName) && object[textName] !== null) {
    throw new Rejected(`${prefix}${key}: text that is not a JSON object ` +
                       `cannot move to ${textName}, which exists already`);
  }
  return [textName, value];
}

function normalize(object, kind, prefix) {
  const out = {};
  for (const [key, value] of Object.entries(object)) {
    const member = adaptMember(object, kind, prefix, key, value);
    if (member !== null) out[member[0]] = member[1];
  }
  return out;
}

function detect(object) {
  if (has(object, 'eventType') && has(object, 'payload')) return 'envelope';
  if (has(object, 'taskId')) {
    return has(object, 'workflowId') && !has(object, 'workflowInstanceId')
      ? 'task_summary' : 'native';
  }
  if (has(object, 'workflowType') && !has(object, 'workflowName')) {
    return 'workflow_summary';
  }
  return 'native';
}

function typeWithArticle(value) {
  if (value === null) return 'null';
  const name = Array.isArray(value) ? 'array' : typeof value;
  return ('aeiou'.includes(name[0]) ? 'an ' : 'a ') + name;
}

// Returns {event, eventType}: the event in the AsyncAPI shape and the
// envelope's eventType, or null when the input is not an envelope.
// Throws Rejected when the input cannot be adapted.
function adaptEvent(object) {
  switch (detect(object)) {
    case 'envelope': {
      const eventType = object.eventType;
      const payload = object.payload;
      if (typeof eventType !== 'string') {
        throw new Rejected('eventType: expected a string, got ' +
                           typeWithArticle(eventType));
      }
      if (!isObject(payload)) {
        throw new Rejected('payload: expected an object, got ' +
                           typeWithArticle(payload));
      }
      return { event: normalize(payload, 'workflow', 'payload.'), eventType };
    }
    case 'workflow_summary':
      return { event: normalize(object, 'workflow', ''), eventType: null };
    case 'task_summary':
      return { event: normalize(object, 'task', ''), eventType: null };
    default:
      return { event: object, eventType: null };
  }
}

module.exports = { adaptEvent, parseTime, Rejected };
