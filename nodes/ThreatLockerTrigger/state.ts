import { createHash } from 'crypto';

import { DAY_MS, HOUR_MS, MINUTE_MS, recordTime, SECOND_MS } from '../ThreatLocker/helpers/dates';
import { recordKey, stableStringify } from '../ThreatLocker/helpers/dedupe';
import type { DateWindow } from '../ThreatLocker/helpers/pager';

/**
 * The trigger's memory, kept in the workflow's static data (so it survives restarts and lives in
 * the database, which is what queue mode needs), and the pure rules that move it forward.
 *
 * - `start`: records older than this are never emitted (first activation, minus the look-back).
 * - `cursor`: the time of the newest record emitted so far (or `start` before the first one).
 *   Every poll reads from `cursor - overlap`, so records that the API indexes late but that are
 *   at most `overlap` older than the newest emitted one are still found.
 * - `seen`: key → record time of every emitted record inside the overlap window. Reading the
 *   overlap again finds these; they are dropped instead of emitted twice. Entries older than the
 *   next poll's window start can never be read again and are pruned, so the map stays bounded by
 *   the number of records of one overlap window.
 */

export const STATE_VERSION = 1;

export { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS };

/** Slack for the clocks of n8n and ThreatLocker disagreeing, when turning a window into days. */
export const CLOCK_SKEW_MS = HOUR_MS;

export type TriggerEvent = 'auditEntry' | 'loginAttempt';

export interface TriggerState {
	v: typeof STATE_VERSION;
	event: TriggerEvent;
	/** Hash of everything that decides which records match; a change restarts from now. */
	fingerprint: string;
	start: string;
	cursor: string;
	seen: Record<string, number>;
}

/** A record chosen for emission. */
export interface NewRecord {
	record: Record<string, unknown>;
	key: string;
	/** The record's own time, or undefined when its `dateTime` is missing or unreadable. */
	time: number | undefined;
}

function isoOf(epochMs: number): string {
	return new Date(epochMs).toISOString();
}

function epochOf(iso: unknown): number | undefined {
	if (typeof iso !== 'string') return undefined;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? undefined : ms;
}

/** The stored state when it is one this version wrote; anything else is treated as absent. */
export function parseState(value: unknown): TriggerState | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const candidate = value as Record<string, unknown>;
	if (candidate.v !== STATE_VERSION) return undefined;
	if (candidate.event !== 'auditEntry' && candidate.event !== 'loginAttempt') return undefined;
	if (typeof candidate.fingerprint !== 'string') return undefined;
	const start = epochOf(candidate.start);
	const cursor = epochOf(candidate.cursor);
	if (start === undefined || cursor === undefined || cursor < start) return undefined;
	const seenValue = candidate.seen;
	if (!seenValue || typeof seenValue !== 'object' || Array.isArray(seenValue)) return undefined;
	const seen: Record<string, number> = {};
	for (const [key, time] of Object.entries(seenValue as Record<string, unknown>)) {
		if (typeof time === 'number' && Number.isFinite(time)) seen[key] = time;
	}
	return {
		v: STATE_VERSION,
		event: candidate.event,
		fingerprint: candidate.fingerprint,
		start: isoOf(start),
		cursor: isoOf(cursor),
		seen,
	};
}

/** A short, stable hash of a configuration (object key order does not matter). */
export function fingerprintOf(configuration: unknown): string {
	return createHash('sha256').update(stableStringify(configuration)).digest('base64url').slice(0, 22);
}

/** The state of a first activation (or of a changed configuration): nothing emitted yet. */
export function freshState(
	event: TriggerEvent,
	fingerprint: string,
	now: number,
	lookBackMs: number,
): TriggerState {
	const start = isoOf(now - lookBackMs);
	return { v: STATE_VERSION, event, fingerprint, start, cursor: start, seen: {} };
}

/** Where the next read starts: the cursor minus the overlap, never before `start`. */
export function windowStartOf(state: TriggerState, overlapMs: number): number {
	return Math.max(Date.parse(state.start), Date.parse(state.cursor) - overlapMs);
}

/** The window one poll reads, both ends inclusive. The end never lies before the cursor. */
export function readWindow(state: TriggerState, overlapMs: number, now: number): DateWindow {
	const start = windowStartOf(state, overlapMs);
	return { start, end: Math.max(now, Date.parse(state.cursor), start) };
}

/**
 * The window in whole seconds, widened outward: what is sent to the API, which documents
 * second precision. The extra fraction of a second read is filtered out again by `selectNew`.
 */
export function apiWindow(window: DateWindow): DateWindow {
	return {
		start: Math.floor(window.start / SECOND_MS) * SECOND_MS,
		end: Math.ceil(window.end / SECOND_MS) * SECOND_MS,
	};
}

/**
 * The Health Center `days` value that surely covers [windowStart, now]. The API counts "today"
 * as day 1, but in a time zone it does not document: whatever it is, the current day began less
 * than a day ago, so `ceil(span / day) + 1` days always reach back far enough (with slack for
 * clocks that disagree). Records outside the window are dropped client-side.
 */
export function loginDays(windowStart: number, now: number): number {
	const span = Math.max(0, now - windowStart) + CLOCK_SKEW_MS;
	return Math.ceil(span / DAY_MS) + 1;
}

/**
 * Whether a read came oldest first: most steps between consecutive dated records go forward in
 * time. (A read is mostly in the API's order; a re-read pass may append a few newer records.)
 */
export function readsOldestFirst(times: Array<number | undefined>): boolean {
	let forward = 0;
	let backward = 0;
	let previous: number | undefined;
	for (const time of times) {
		if (time === undefined) continue;
		if (previous !== undefined && time > previous) forward++;
		if (previous !== undefined && time < previous) backward++;
		previous = time;
	}
	return forward > backward;
}

/**
 * The records of one poll that are new, oldest first.
 *
 * `batches` are the records as read, one list per query (login attempts need one per outcome).
 * Records before the window start, already in `seen`, or read twice are dropped. Records that
 * share a second keep the API's order, reversed when the API read them newest first, so that the
 * oldest comes first either way. Records without a readable time cannot be placed: they go last.
 */
export function selectNew(
	batches: Array<Array<Record<string, unknown>>>,
	window: DateWindow,
	seen: Record<string, number>,
): NewRecord[] {
	const picked = new Set<string>();
	const ordered: Array<NewRecord & { batch: number; rank: number }> = [];
	batches.forEach((records, batch) => {
		const times = records.map((record) => recordTime(record));
		const newestFirst = !readsOldestFirst(times);
		records.forEach((record, index) => {
			const time = times[index];
			if (time !== undefined && time < window.start) return;
			const key = recordKey(record);
			if (key in seen || picked.has(key)) return;
			picked.add(key);
			ordered.push({ record, key, time, batch, rank: newestFirst ? -index : index });
		});
	});
	ordered.sort(
		(a, b) =>
			(a.time ?? Number.POSITIVE_INFINITY) - (b.time ?? Number.POSITIVE_INFINITY) ||
			a.batch - b.batch ||
			a.rank - b.rank,
	);
	return ordered.map(({ record, key, time }) => ({ record, key, time }));
}

/**
 * The state after emitting `emitted`: the cursor moves to the newest emitted time (never back),
 * and `seen` keeps exactly what the next poll's window can contain. Records without a time are
 * remembered as of `windowEnd`, which keeps them for one overlap at least.
 */
export function advance(
	state: TriggerState,
	emitted: NewRecord[],
	overlapMs: number,
	windowEnd: number,
): TriggerState {
	let cursor = Date.parse(state.cursor);
	for (const { time } of emitted) if (time !== undefined && time > cursor) cursor = time;
	const next: TriggerState = { ...state, cursor: isoOf(cursor), seen: {} };
	const keepFrom = windowStartOf(next, overlapMs);
	const all: Array<[string, number]> = [
		...Object.entries(state.seen),
		...emitted.map(({ key, time }): [string, number] => [key, time ?? windowEnd]),
	];
	for (const [key, time] of all) if (time >= keepFrom) next.seen[key] = time;
	return next;
}
