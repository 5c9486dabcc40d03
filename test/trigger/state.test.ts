import {
	advance,
	apiWindow,
	DAY_MS,
	fingerprintOf,
	freshState,
	HOUR_MS,
	loginDays,
	MINUTE_MS,
	parseState,
	readsOldestFirst,
	readWindow,
	selectNew,
	type TriggerState,
} from '../../nodes/ThreatLockerTrigger/state';
import { recordKey } from '../../nodes/ThreatLocker/helpers/dedupe';

const T = Date.parse('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const rec = (id: string, ms: number | null, extra: Record<string, unknown> = {}) => ({
	systemAuditId: id,
	dateTime: ms === null ? null : at(ms),
	...extra,
});

function state(overrides: Partial<TriggerState> = {}): TriggerState {
	return { ...freshState('auditEntry', 'fp', T - HOUR_MS, 0), ...overrides };
}

describe('parseState', () => {
	it('accepts what freshState writes, after a JSON round trip', () => {
		const fresh = freshState('loginAttempt', 'abc', T, 2 * HOUR_MS);
		expect(parseState(JSON.parse(JSON.stringify(fresh)))).toEqual(fresh);
		expect(fresh.start).toBe('2026-03-01T10:00:00.000Z');
		expect(fresh.cursor).toBe(fresh.start);
	});

	it.each([
		['nothing', undefined],
		['an empty object', {}],
		['another version', { ...freshState('auditEntry', 'x', T, 0), v: 2 }],
		['an unknown event', { ...freshState('auditEntry', 'x', T, 0), event: 'other' }],
		['a bad cursor', { ...freshState('auditEntry', 'x', T, 0), cursor: 'yesterday' }],
		['a cursor before start', { ...freshState('auditEntry', 'x', T, 0), cursor: at(T - 1000) }],
		['seen as a list', { ...freshState('auditEntry', 'x', T, 0), seen: [] }],
	])('treats %s as no state', (_label, value) => {
		expect(parseState(value)).toBeUndefined();
	});

	it('drops seen entries that are not times', () => {
		const parsed = parseState({ ...freshState('auditEntry', 'x', T, 0), seen: { a: 1, b: 'x', c: null } });
		expect(parsed?.seen).toEqual({ a: 1 });
	});
});

describe('fingerprintOf', () => {
	it('ignores key order and changes with any value', () => {
		const a = fingerprintOf({ event: 'auditEntry', query: { actions: ['Read'], details: 'x' } });
		const b = fingerprintOf({ query: { details: 'x', actions: ['Read'] }, event: 'auditEntry' });
		expect(a).toBe(b);
		expect(fingerprintOf({ event: 'auditEntry', query: { actions: ['Read'], details: 'y' } })).not.toBe(a);
		expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
	});
});

describe('windows', () => {
	it('reads from the cursor minus the overlap, never before start, up to now', () => {
		const s = state({ start: at(T - HOUR_MS), cursor: at(T - 30 * MINUTE_MS) });
		expect(readWindow(s, 10 * MINUTE_MS, T)).toEqual({ start: T - 40 * MINUTE_MS, end: T });
		expect(readWindow(s, 50 * MINUTE_MS, T)).toEqual({ start: T - HOUR_MS, end: T });
		expect(readWindow(s, 0, T)).toEqual({ start: T - 30 * MINUTE_MS, end: T });
	});

	it('never ends before the cursor (a clock behind ThreatLocker)', () => {
		const s = state({ start: at(T - HOUR_MS), cursor: at(T + 5000) });
		expect(readWindow(s, 0, T)).toEqual({ start: T + 5000, end: T + 5000 });
	});

	it('sends whole seconds, widened outward', () => {
		expect(apiWindow({ start: T + 1500, end: T + 2001 })).toEqual({ start: T + 1000, end: T + 3000 });
		expect(apiWindow({ start: T, end: T })).toEqual({ start: T, end: T });
	});

	it('asks for enough days whatever time zone the API counts days in', () => {
		// A 10-minute window: today and yesterday, in case "today" began a moment ago.
		expect(loginDays(T - 10 * MINUTE_MS, T)).toBe(2);
		expect(loginDays(T, T)).toBe(2);
		expect(loginDays(T - 22 * HOUR_MS, T)).toBe(2);
		expect(loginDays(T - 23.5 * HOUR_MS, T)).toBe(3);
		expect(loginDays(T - 3 * DAY_MS, T)).toBe(5);
		// Whatever hour the API's day starts at, day 1 starts less than 24 h ago: `days` reaches back.
		for (let span = 0; span < 5 * DAY_MS; span += 37 * MINUTE_MS) {
			const days = loginDays(T - span, T);
			expect((days - 1) * DAY_MS).toBeGreaterThanOrEqual(span);
		}
	});
});

describe('selectNew', () => {
	const window = { start: T - 10 * MINUTE_MS, end: T };

	it('turns a newest-first read into oldest first, keeping same-second records in API order reversed', () => {
		const read = [rec('e', T - 1000), rec('d', T - 2000), rec('c', T - 2000), rec('b', T - 2000), rec('a', T - 5000)];
		expect(selectNew([read], window, {}).map((r) => r.record.systemAuditId)).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('keeps an oldest-first read as it is', () => {
		const read = [rec('a', T - 5000), rec('b', T - 2000), rec('c', T - 2000), rec('d', T - 1000)];
		expect(selectNew([read], window, {}).map((r) => r.record.systemAuditId)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('drops seen, repeated and out-of-window records; undated records go last', () => {
		const seen = { [recordKey(rec('b', T - 2000))]: T - 2000 };
		const read = [
			rec('u', null),
			rec('c', T - 1000),
			rec('b', T - 2000),
			rec('c', T - 1000),
			rec('old', window.start - 1),
			rec('edge', window.start),
		];
		const picked = selectNew([read], window, seen);
		expect(picked.map((r) => r.record.systemAuditId)).toEqual(['edge', 'c', 'u']);
		expect(picked[2].time).toBeUndefined();
	});

	it('merges several reads (successful and denied logins) by time', () => {
		const ok = [rec('ok2', T - 1000), rec('ok1', T - 3000)];
		const denied = [rec('no2', T - 2000), rec('no1', T - 4000)];
		expect(selectNew([ok, denied], window, {}).map((r) => r.record.systemAuditId)).toEqual([
			'no1',
			'ok1',
			'no2',
			'ok2',
		]);
	});

	it('keys records without an id by their content', () => {
		const twin = { systemAuditId: null, dateTime: at(T - 1000), details: 'same' };
		const other = { systemAuditId: null, dateTime: at(T - 1000), details: 'other' };
		const picked = selectNew([[twin, { ...twin }, other]], window, {});
		expect(picked).toHaveLength(2);
		expect(picked[0].key).toMatch(/^sha256:/);
	});
});

describe('advance', () => {
	it('moves the cursor to the newest emitted time, never back, and prunes seen to the next window', () => {
		const before = state({ cursor: at(T - 20 * MINUTE_MS), seen: { old: T - 31 * MINUTE_MS, kept: T - 25 * MINUTE_MS } });
		const emitted = selectNew([[rec('x', T - 5 * MINUTE_MS), rec('late', T - 24 * MINUTE_MS)]], { start: T - 30 * MINUTE_MS, end: T }, before.seen);
		const after = advance(before, emitted, 10 * MINUTE_MS, T);
		expect(after.cursor).toBe(new Date(T - 5 * MINUTE_MS).toISOString());
		// Next window starts at T-15min: only what it can contain stays.
		expect(after.seen).toEqual({ [recordKey(rec('x', 0))]: T - 5 * MINUTE_MS });
		expect(readWindow(after, 10 * MINUTE_MS, T).start).toBe(T - 15 * MINUTE_MS);

		const unchanged = advance(after, [], 10 * MINUTE_MS, T + MINUTE_MS);
		expect(unchanged).toEqual(after);
		const backwards = advance(after, selectNew([[rec('y', T - 6 * MINUTE_MS)]], { start: 0, end: T }, {}), 10 * MINUTE_MS, T);
		expect(backwards.cursor).toBe(after.cursor);
		expect(Object.keys(backwards.seen)).toHaveLength(2);
	});

	it('never keeps anything before start and remembers undated records as of the window end', () => {
		const before = freshState('auditEntry', 'fp', T, 0);
		const emitted = selectNew([[rec('u', null)]], { start: T, end: T + MINUTE_MS }, {});
		const after = advance(before, emitted, 10 * MINUTE_MS, T + MINUTE_MS);
		expect(after.cursor).toBe(before.cursor);
		expect(Object.values(after.seen)).toEqual([T + MINUTE_MS]);
	});
});

describe('readsOldestFirst', () => {
	it('follows most steps, ignoring undated records and ties', () => {
		expect(readsOldestFirst([3, 2, 2, 1])).toBe(false);
		expect(readsOldestFirst([1, 2, undefined, 2, 3])).toBe(true);
		// A newest-first read with a newer record appended by a re-read pass.
		expect(readsOldestFirst([5, 4, 3, 2, 9])).toBe(false);
		expect(readsOldestFirst([2, 2])).toBe(false);
		expect(readsOldestFirst([])).toBe(false);
	});
});
