/**
 * The main scenario: a trigger polled 200 times while records keep arriving — some late,
 * many sharing a second, bursts of more than one and more than ten pages, records inserted while
 * a poll pages — with API failures between and inside polls and an n8n restart from the static
 * data n8n had saved. Every record must be emitted exactly once, each poll oldest first.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { Rng } from '../simulators/threatlocker-data';
import type { AuditRecord, LoginAttempt, ThreatLockerSimulator } from '../simulators/threatlocker';
import type { PollRunner } from '../harness';
import {
	Clock,
	Ledger,
	failRequestsFrom,
	fastRetries,
	isoSeconds,
	itemsOf,
	persisted,
	startSimulator,
	triggerRunner,
} from './support';

const MINUTE = 60_000;
const OVERLAP_MINUTES = 10;

let restoreRetries: () => void;
beforeAll(() => {
	restoreRetries = fastRetries();
});
afterAll(() => restoreRetries());
afterEach(() => Clock.restore());

type FaultPlan = { disarm?: () => boolean };

/**
 * Faults for poll `i`: some polls fail from their first request, some from the middle of their
 * paging, some see one failure that a retry gets past.
 */
function planFaults(sim: ThreatLockerSimulator, i: number): FaultPlan {
	if (i % 9 === 0) {
		const kinds = [
			{ kind: 'status', status: 500, retryAfter: '0' },
			{ kind: 'status', status: 429, retryAfter: '0' },
			{ kind: 'reset' },
		] as const;
		return { disarm: failRequestsFrom(sim, sim.requestTotal + 1, kinds[(i / 9) % 3]) };
	}
	if (i % 13 === 0) {
		sim.injectFault({ kind: 'status', status: i % 2 ? 503 : 429, retryAfter: '0' });
		return {};
	}
	if (i % 17 === 0) {
		// From the third request of this poll on, if it pages that far.
		return { disarm: failRequestsFrom(sim, sim.requestTotal + 3, { kind: 'status', status: 502, retryAfter: '0' }) };
	}
	return {};
}

/** One scheduled poll: a failure must leave the static data exactly as it was. */
async function pollOnce(runner: PollRunner, ledger: Ledger, plan: FaultPlan): Promise<'failed' | number> {
	const before = persisted(runner);
	const outcome = await runner.poll().then(
		(result) => ({ result, error: undefined }),
		(error: unknown) => ({ result: null, error }),
	);
	const injected = plan.disarm?.() ?? false;
	if (outcome.error !== undefined) {
		if (!injected) throw outcome.error;
		if (!(outcome.error instanceof NodeApiError)) throw outcome.error;
		expect(persisted(runner)).toEqual(before);
		return 'failed';
	}
	expect(injected).toBe(false);
	return ledger.take(itemsOf(outcome.result));
}

function seenIsBounded(runner: PollRunner): void {
	const state = persisted(runner)['node:ThreatLocker Trigger'] as IDataObject;
	const from = Date.parse(state.cursor as string) - OVERLAP_MINUTES * MINUTE;
	for (const time of Object.values(state.seen as Record<string, number>)) {
		expect(time).toBeGreaterThanOrEqual(from);
	}
}

describe.each(['object', 'absent'] as const)('System Audit trigger, afterKeyLookup %s', (afterKeyLookup) => {
	it('emits every record exactly once over 200 polls, across failures and a restart', async () => {
		const clock = new Clock('2026-03-01T21:00:00Z');
		const sim = await startSimulator(clock, { afterKeyLookup, seed: 4242 });
		const rng = new Rng(afterKeyLookup === 'object' ? 17 : 29);
		const parameters = {
			event: 'auditEntry',
			viewChildOrganizations: true,
			filters: {},
			options: { pageSize: 5, overlapMinutes: OVERLAP_MINUTES },
		};
		const ledger = new Ledger();
		const add = (records: Array<Partial<AuditRecord>>, late = false) => ledger.expect(sim.addAudit(records), late);
		const org = () => rng.pick(sim.organizations).id;
		/** Regular arrivals of (prev, now]: clustered in a few seconds, the boundary second included. */
		const arrivals = (prev: number, now: number, count: number) => {
			const seconds = [prev, prev + rng.int(1, 59) * 1000, now];
			add(
				Array.from({ length: count }, (_, n) => ({
					dateTime: isoSeconds(rng.pick(seconds)),
					organizationId: org(),
					systemAuditId: n % 9 === 8 ? null : undefined,
				})),
			);
		};

		try {
			let runner = triggerRunner(sim, parameters);
			// Activation: starts from now; nothing before it is ever emitted.
			add([{ dateTime: isoSeconds(clock.now - 5 * MINUTE) }, { dateTime: isoSeconds(clock.now - 1000) }].map((r) => r));
			ledger.expected.clear();
			expect(await runner.poll()).toBeNull();
			// What n8n has in its database: it saves static data when a poll emits.
			let saved: IDataObject | undefined;
			let failed = 0;

			for (let i = 1; i <= 200; i++) {
				const prev = clock.now;
				const now = clock.advance(MINUTE);
				arrivals(prev, now, rng.int(0, 5));
				if (i > 12 && i % 7 === 0) {
					// Late: older than records already emitted, but within the overlap.
					add(
						Array.from({ length: 3 }, () => ({ dateTime: isoSeconds(prev - rng.int(60, 8 * 60) * 1000), organizationId: org() })),
						true,
					);
				}
				if (i === 40 || i === 150) {
					// A burst of 16 pages over 20 seconds.
					add(Array.from({ length: 80 }, (_, n) => ({ dateTime: isoSeconds(prev + 1000 + (n % 20) * 1000) })));
				}
				if (i === 90 || i === 170) {
					// More than ten pages within one second.
					add(Array.from({ length: 60 }, () => ({ dateTime: isoSeconds(now - 2000) })));
				}
				if (i % 11 === 0) {
					// Arrives while the poll pages (offsets shift under it).
					const audit = Array.from({ length: 3 }, () => ({
						systemAuditId: rng.guid(),
						dateTime: isoSeconds(now - rng.int(0, 30) * 1000),
					}));
					sim.injectFault({ kind: 'insert', beforeRequest: sim.requestTotal + 2, audit });
					ledger.expect(audit, true);
				}
				const outcome = await pollOnce(runner, ledger, planFaults(sim, i));
				if (outcome === 'failed') failed++;
				else if (outcome > 0) saved = persisted(runner);

				if (i === 100) {
					// n8n restarts: 7 minutes down, records keep arriving, the trigger resumes from
					// the static data saved with its last emitting poll.
					expect(saved).toBeDefined();
					const down = clock.now;
					arrivals(down, clock.advance(7 * MINUTE), 6);
					runner = triggerRunner(sim, parameters, saved);
				}
			}
			// Catch up with what the last polls left (a failed poll, records inserted late).
			for (let drain = 0; drain < 2; drain++) {
				clock.advance(MINUTE);
				await pollOnce(runner, ledger, {});
			}

			ledger.verify();
			seenIsBounded(runner);
			expect(ledger.expected.size).toBeGreaterThan(900);
			expect(failed).toBeGreaterThanOrEqual(22);
			const bodies = sim.requests.map((r) => r.body as IDataObject).filter(Boolean);
			if (afterKeyLookup === 'object') {
				expect(bodies.some((b) => (b.pageNumber as number) > 10 && b.afterKeys)).toBe(true);
			} else {
				// Narrowed windows (they end just after a record, not at a poll's whole minute)…
				expect(bodies.some((b) => !/:00Z$/.test(String(b.endDate)))).toBe(true);
				// …and bigger pages for more than ten pages within one second.
				expect(bodies.some((b) => (b.pageSize as number) > 5)).toBe(true);
				expect(bodies.every((b) => (b.pageNumber as number) <= 10)).toBe(true);
			}
		} finally {
			await sim.stop();
		}
	});
});

describe('Login attempts trigger', () => {
	it.each([
		['both', 150],
		['denied', 60],
	] as const)('emits each %s attempt exactly once across day boundaries, failures and a restart', async (loginResult, polls) => {
		const clock = new Clock('2026-03-01T19:00:00Z');
		const sim = await startSimulator(clock, { seed: 99 });
		const rng = new Rng(loginResult === 'both' ? 5 : 6);
		const parameters = { event: 'loginAttempt', loginResult, options: { pageSize: 10, overlapMinutes: OVERLAP_MINUTES } };
		const ledger = new Ledger();
		const step = 11 * MINUTE;
		const wanted = (r: LoginAttempt) => loginResult === 'both' || r.effectiveAction === 'Denied';
		const add = (records: Array<Partial<LoginAttempt>>, late = false) =>
			ledger.expect(sim.addLogins(records).filter(wanted), late);
		// Before activation, also yesterday's: never emitted.
		sim.addLogins([{ dateTime: isoSeconds(clock.now - 20 * 60 * MINUTE) }, { dateTime: isoSeconds(clock.now - 1000) }]);

		try {
			let runner = triggerRunner(sim, parameters);
			expect(await runner.poll()).toBeNull();
			let saved: IDataObject | undefined;
			for (let i = 1; i <= polls; i++) {
				const prev = clock.now;
				const now = clock.advance(step);
				const seconds = [prev, prev + rng.int(1, 600) * 1000, now - 1000, now];
				add(
					Array.from({ length: rng.int(0, 4) }, () => ({
						dateTime: isoSeconds(rng.pick(seconds)),
						effectiveAction: rng.chance(0.5) ? ('Denied' as const) : ('Permitted' as const),
					})),
				);
				if (i % 5 === 0) {
					add([{ dateTime: isoSeconds(prev - rng.int(30, 9 * 60) * 1000), effectiveAction: 'Denied' }], true);
				}
				const outcome = await pollOnce(runner, ledger, planFaults(sim, i));
				if (typeof outcome === 'number' && outcome > 0) saved = persisted(runner);
				if (i === Math.floor(polls / 2)) {
					const down = clock.now;
					clock.advance(45 * MINUTE);
					add([{ dateTime: isoSeconds(down + 20 * MINUTE), effectiveAction: 'Denied' }]);
					runner = triggerRunner(sim, parameters, saved);
				}
			}
			clock.advance(step);
			await pollOnce(runner, ledger, {});

			ledger.verify();
			seenIsBounded(runner);
			expect(ledger.expected.size).toBeGreaterThan(polls / 2);
			// The run crosses midnight (UTC) and every request asked for a few whole days only.
			const days = sim.requests.map((r) => (r.body as IDataObject | undefined)?.days).filter((d) => d !== undefined);
			expect(new Set(days)).toEqual(new Set([2]));
			const outcomes = new Set(sim.requests.map((r) => (r.body as IDataObject | undefined)?.isLoggedIn));
			expect(outcomes).toEqual(loginResult === 'both' ? new Set([true, false]) : new Set([false]));
			if (loginResult === 'both') {
				// Two days of attempts outgrow ten pages: read on with afterKeys.
				expect(sim.requests.some((r) => ((r.body as IDataObject).pageNumber as number) > 10)).toBe(true);
			}
		} finally {
			await sim.stop();
		}
	});
});
