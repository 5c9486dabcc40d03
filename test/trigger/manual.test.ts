/** "Fetch Test Event": the newest matching record, the static data untouched, errors shown. */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import type { ThreatLockerSimulator, SimulatorOptions } from '../simulators/threatlocker';
import { Clock, isoSeconds, itemsOf, persisted, startSimulator, triggerRunner } from './support';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let clock: Clock;
let sim: ThreatLockerSimulator;

async function withSim(options: SimulatorOptions = {}): Promise<void> {
	clock = new Clock('2026-03-10T08:00:00Z');
	sim = await startSimulator(clock, options);
}
afterEach(async () => {
	await sim.stop();
	Clock.restore();
});

const bodies = () => sim.requests.map((r) => r.body as IDataObject);

describe.each(['newest', 'oldest'] as const)('System Audit, API order %s first', (order) => {
	it('returns the newest matching record of the last 30 days and leaves the static data alone', async () => {
		await withSim({ order });
		sim.generateAudit(450, { start: new Date(clock.now - 20 * DAY), end: new Date(clock.now - DAY) });
		sim.addAudit([
			{ systemAuditId: 'newest-denied', effectiveAction: 'Denied', dateTime: isoSeconds(clock.now - 2 * DAY) },
			{ systemAuditId: 'out-of-range', effectiveAction: 'Denied', dateTime: isoSeconds(clock.now - 31 * DAY) },
		]);
		const runner = triggerRunner(sim, { event: 'auditEntry', filters: {} });
		// A first scheduled poll has stored a cursor; the test event must not change it.
		await runner.poll();
		const before = persisted(runner);
		clock.advance(MINUTE);

		const newest = sim.addAudit([{ systemAuditId: 'newest', dateTime: isoSeconds(clock.now - 1000) }]);
		const first = sim.requests.length;
		const [item] = itemsOf(await runner.poll('manual'));
		expect(item).toEqual(newest[0]);
		expect(persisted(runner)).toEqual(before);
		const probes = bodies().slice(first);
		expect(probes[0]).toMatchObject({ startDate: '2026-02-08T08:01:00Z', endDate: '2026-03-10T08:01:00Z', pageNumber: 1 });
		// Newest first: one request. Oldest first: a full page means newer ones follow, so the
		// window is narrowed to start at the newest record seen, a few times.
		if (order === 'newest') expect(probes).toHaveLength(1);
		else expect(probes.length).toBeGreaterThan(1);
		expect(probes.every((b) => b.pageNumber === 1)).toBe(true);
		// The scheduled poll still finds it: the test event did not consume it.
		expect(itemsOf(await runner.poll()).map((r) => r.systemAuditId)).toEqual(['newest']);

		const filtered = triggerRunner(sim, { event: 'auditEntry', filters: { effectiveAction: 'Denied' } });
		const [denied] = itemsOf(await filtered.poll('manual'));
		const newestDenied = sim
			.auditRecords()
			.filter((r) => r.effectiveAction === 'Denied' && Date.parse(r.dateTime) > clock.now - 30 * DAY)
			.sort((a, b) => Date.parse(b.dateTime) - Date.parse(a.dateTime))[0];
		expect(Date.parse(denied.dateTime as string)).toBe(Date.parse(newestDenied.dateTime));
		expect(denied.effectiveAction).toBe('Denied');
		expect(persisted(filtered)['node:ThreatLocker Trigger'] ?? {}).toEqual({});
	});
});

describe('login attempts', () => {
	it.each(['newest', 'oldest'] as const)('returns the newest of successful and denied (API order %s first)', async (order) => {
		await withSim({ order });
		sim.addLogins(
			Array.from({ length: 230 }, (_, n) => ({
				dateTime: isoSeconds(clock.now - (n + 10) * 37 * MINUTE),
				effectiveAction: n % 3 ? ('Permitted' as const) : ('Denied' as const),
			})),
		);
		const [denied] = sim.addLogins([{ systemAuditId: 'latest-denied', dateTime: isoSeconds(clock.now - 3 * MINUTE), effectiveAction: 'Denied' }]);
		const runner = triggerRunner(sim, { event: 'loginAttempt', loginResult: 'both' });
		expect(itemsOf(await runner.poll('manual'))).toEqual([denied]);
		expect(bodies().every((b) => b.days === 30)).toBe(true);
		expect(persisted(runner)['node:ThreatLocker Trigger'] ?? {}).toEqual({});

		const successful = triggerRunner(sim, { event: 'loginAttempt', loginResult: 'successful' });
		const [ok] = itemsOf(await successful.poll('manual'));
		expect(ok.effectiveAction).toBe('Permitted');
		expect(ok.dateTime).toBe(isoSeconds(clock.now - 11 * 37 * MINUTE));
	});
});

describe('errors are shown, not swallowed', () => {
	it('a revoked key', async () => {
		await withSim({ revokedStatus: 440 });
		const runner = triggerRunner(sim, { event: 'auditEntry' }, undefined, '0'.repeat(64));
		const error = await runner.poll('manual').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('ThreatLocker: Unauthorized — TOKEN_REVOKED (HTTP 440)');
		expect((error as NodeApiError).httpCode).toBe('440');
		expect(persisted(runner)['node:ThreatLocker Trigger'] ?? {}).toEqual({});
	});

	it('no matching record in 30 days', async () => {
		await withSim();
		sim.addAudit([{ dateTime: isoSeconds(clock.now - 40 * DAY) }]);
		const runner = triggerRunner(sim, { event: 'auditEntry' });
		const error = await runner.poll('manual').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('No System Audit entries match in the last 30 days');

		const logins = triggerRunner(sim, { event: 'loginAttempt', loginResult: 'denied' });
		const loginError = await logins.poll('manual').catch((e: unknown) => e);
		expect((loginError as Error).message).toBe('No login attempts match in the last 30 days');
	});
});
