"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CLOCK_SKEW_MS = exports.DAY_MS = exports.HOUR_MS = exports.MINUTE_MS = exports.SECOND_MS = exports.STATE_VERSION = void 0;
exports.parseState = parseState;
exports.fingerprintOf = fingerprintOf;
exports.freshState = freshState;
exports.windowStartOf = windowStartOf;
exports.readWindow = readWindow;
exports.apiWindow = apiWindow;
exports.loginDays = loginDays;
exports.readsOldestFirst = readsOldestFirst;
exports.selectNew = selectNew;
exports.advance = advance;
const crypto_1 = require("crypto");
const dates_1 = require("../ThreatLocker/helpers/dates");
const dedupe_1 = require("../ThreatLocker/helpers/dedupe");
exports.STATE_VERSION = 1;
exports.SECOND_MS = 1000;
exports.MINUTE_MS = 60 * exports.SECOND_MS;
exports.HOUR_MS = 60 * exports.MINUTE_MS;
exports.DAY_MS = 24 * exports.HOUR_MS;
exports.CLOCK_SKEW_MS = exports.HOUR_MS;
function isoOf(epochMs) {
    return new Date(epochMs).toISOString();
}
function epochOf(iso) {
    if (typeof iso !== 'string')
        return undefined;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
}
function parseState(value) {
    if (!value || typeof value !== 'object')
        return undefined;
    const candidate = value;
    if (candidate.v !== exports.STATE_VERSION)
        return undefined;
    if (candidate.event !== 'auditEntry' && candidate.event !== 'loginAttempt')
        return undefined;
    if (typeof candidate.fingerprint !== 'string')
        return undefined;
    const start = epochOf(candidate.start);
    const cursor = epochOf(candidate.cursor);
    if (start === undefined || cursor === undefined || cursor < start)
        return undefined;
    const seenValue = candidate.seen;
    if (!seenValue || typeof seenValue !== 'object' || Array.isArray(seenValue))
        return undefined;
    const seen = {};
    for (const [key, time] of Object.entries(seenValue)) {
        if (typeof time === 'number' && Number.isFinite(time))
            seen[key] = time;
    }
    return {
        v: exports.STATE_VERSION,
        event: candidate.event,
        fingerprint: candidate.fingerprint,
        start: isoOf(start),
        cursor: isoOf(cursor),
        seen,
    };
}
function fingerprintOf(configuration) {
    return (0, crypto_1.createHash)('sha256').update((0, dedupe_1.stableStringify)(configuration)).digest('base64url').slice(0, 22);
}
function freshState(event, fingerprint, now, lookBackMs) {
    const start = isoOf(now - lookBackMs);
    return { v: exports.STATE_VERSION, event, fingerprint, start, cursor: start, seen: {} };
}
function windowStartOf(state, overlapMs) {
    return Math.max(Date.parse(state.start), Date.parse(state.cursor) - overlapMs);
}
function readWindow(state, overlapMs, now) {
    const start = windowStartOf(state, overlapMs);
    return { start, end: Math.max(now, Date.parse(state.cursor), start) };
}
function apiWindow(window) {
    return {
        start: Math.floor(window.start / exports.SECOND_MS) * exports.SECOND_MS,
        end: Math.ceil(window.end / exports.SECOND_MS) * exports.SECOND_MS,
    };
}
function loginDays(windowStart, now) {
    const span = Math.max(0, now - windowStart) + exports.CLOCK_SKEW_MS;
    return Math.ceil(span / exports.DAY_MS) + 1;
}
function readsOldestFirst(times) {
    let forward = 0;
    let backward = 0;
    let previous;
    for (const time of times) {
        if (time === undefined)
            continue;
        if (previous !== undefined && time > previous)
            forward++;
        if (previous !== undefined && time < previous)
            backward++;
        previous = time;
    }
    return forward > backward;
}
function selectNew(batches, window, seen) {
    const picked = new Set();
    const ordered = [];
    batches.forEach((records, batch) => {
        const times = records.map((record) => (0, dates_1.recordTime)(record));
        const newestFirst = !readsOldestFirst(times);
        records.forEach((record, index) => {
            const time = times[index];
            if (time !== undefined && time < window.start)
                return;
            const key = (0, dedupe_1.recordKey)(record);
            if (key in seen || picked.has(key))
                return;
            picked.add(key);
            ordered.push({ record, key, time, batch, rank: newestFirst ? -index : index });
        });
    });
    ordered.sort((a, b) => (a.time ?? Number.POSITIVE_INFINITY) - (b.time ?? Number.POSITIVE_INFINITY) ||
        a.batch - b.batch ||
        a.rank - b.rank);
    return ordered.map(({ record, key, time }) => ({ record, key, time }));
}
function advance(state, emitted, overlapMs, windowEnd) {
    let cursor = Date.parse(state.cursor);
    for (const { time } of emitted)
        if (time !== undefined && time > cursor)
            cursor = time;
    const next = { ...state, cursor: isoOf(cursor), seen: {} };
    const keepFrom = windowStartOf(next, overlapMs);
    const all = [
        ...Object.entries(state.seen),
        ...emitted.map(({ key, time }) => [key, time ?? windowEnd]),
    ];
    for (const [key, time] of all)
        if (time >= keepFrom)
            next.seen[key] = time;
    return next;
}
