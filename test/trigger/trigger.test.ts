/** The trigger's behaviour poll by poll: first activation, look-back, ordering, configuration, errors. */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { ThreatLockerTrigger } from '../../nodes/ThreatLockerTrigger/ThreatLockerTrigger.node';
import * as search from '../../nodes/ThreatLocker/actions/systemAudit/search.operation';
import type { ThreatLockerSimulator } from '../simulators/threatlocker';
import {
	Clock,
	fastRetries,
	isoSeconds,
	itemsOf,
	persisted,
	startSimulator,
	triggerRunner,
} from './support';

const MINUTE = 60_000;
const START = '2026-03-01T12:00:00Z';
const STATE_KEY = 'node:ThreatLocker Trigger';

let clock: Clock;
let sim: ThreatLockerSimulator;
let restoreRetries: () => void;

beforeAll(() => {
	restoreRetries = fastRetries();
});
afterAll(() => restoreRetries());
beforeEach(async () => {
	clock = new Clock(START);
	sim = await startSimulator(clock);
});
afterEach(async () => {
	await sim.stop();
	Clock.restore();
});

const audit = (parameters: IDataObject = {}, options: IDataObject = {}) => ({
	event: 'auditEntry',
	...parameters,
	options: { pageSize: 3, ...options },
});
const ids = (records: Array<Record<string, unknown>>) => records.map((r) => r.systemAuditId);
const bodies = () => sim.requests.map((r) => r.body as IDataObject);

describe('node description', () => {
	const { description } = new ThreatLockerTrigger();

	it('is an n8n polling trigger without inputs', () => {
		expect(description).toMatchObject({
			name: 'threatLockerTrigger',
			displayName: 'ThreatLocker Trigger',
			group: ['trigger'],
			polling: true,
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'threatLockerApi', required: true }],
		});
	});

	it('offers the search operation\'s filters, with the same names and values', () => {
		const filters = description.properties.find((p) => p.name === 'filters');
		const searchFilters = search.description.find((p) => p.name === 'filters');
		expect(filters?.options).toEqual(searchFilters?.options);
		expect(filters?.displayOptions).toEqual({ show: { event: ['auditEntry'] } });
		const event = description.properties.find((p) => p.name === 'event');
		expect(event?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['loginAttempt', 'auditEntry']);
		const options = description.properties.find((p) => p.name === 'options');
		expect(options?.options?.map((o) => o.name)).toEqual([
			'lookBackHours',
			'managedOrganizationId',
			'overlapMinutes',
			'pageSize',
		]);
	});
});

describe('first activation', () => {
	it('starts from now: nothing older is emitted, later records are', async () => {
		sim.addAudit([
			{ systemAuditId: 'before-1', dateTime: isoSeconds(clock.now - 5 * MINUTE) },
			{ systemAuditId: 'before-2', dateTime: isoSeconds(clock.now - 1000) },
		]);
		const runner = triggerRunner(sim, audit());
		expect(await runner.poll()).toBeNull();
		expect(persisted(runner)[STATE_KEY]).toMatchObject({ v: 1, event: 'auditEntry', cursor: '2026-03-01T12:00:00.000Z', seen: {} });

		clock.advance(MINUTE);
		sim.addAudit([{ systemAuditId: 'after', dateTime: isoSeconds(clock.now - 30_000) }]);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['after']);
		clock.advance(MINUTE);
		expect(await runner.poll()).toBeNull();
	});

	it('with Look Back, emits the records of the last hours at once, oldest first', async () => {
		sim.addAudit([
			{ systemAuditId: 'too-old', dateTime: isoSeconds(clock.now - 3 * 60 * MINUTE - 1000) },
			{ systemAuditId: 'b', dateTime: isoSeconds(clock.now - 60 * MINUTE) },
			{ systemAuditId: 'a', dateTime: isoSeconds(clock.now - 170 * MINUTE) },
			{ systemAuditId: 'c', dateTime: isoSeconds(clock.now - 1000) },
		]);
		const runner = triggerRunner(sim, audit({}, { lookBackHours: 3 }));
		expect(ids(itemsOf(await runner.poll()))).toEqual(['a', 'b', 'c']);
		expect(bodies()[0]).toMatchObject({ startDate: '2026-03-01T09:00:00Z', endDate: '2026-03-01T12:00:00Z' });
		clock.advance(MINUTE);
		expect(await runner.poll()).toBeNull();
	});
});

describe('each poll', () => {
	it('emits records that share a second oldest first (the order they were written), once', async () => {
		const runner = triggerRunner(sim, audit());
		await runner.poll();
		clock.advance(MINUTE);
		const second = isoSeconds(clock.now - 10_000);
		sim.addAudit(['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map((systemAuditId) => ({ systemAuditId, dateTime: second })));
		sim.addAudit([{ systemAuditId: 'earlier', dateTime: isoSeconds(clock.now - 20_000) }]);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['earlier', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);

		// More records in the same second, and a late one from before it.
		clock.advance(MINUTE);
		sim.addAudit([
			{ systemAuditId: 's8', dateTime: second },
			{ systemAuditId: 'late', dateTime: isoSeconds(clock.now - 90_000) },
		]);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['late', 's8']);
	});

	it('reads from the cursor minus the overlap and keeps only what that window can repeat', async () => {
		const runner = triggerRunner(sim, audit({}, { overlapMinutes: 5 }));
		await runner.poll();
		clock.advance(10 * MINUTE);
		sim.addAudit([{ systemAuditId: 'x', dateTime: isoSeconds(clock.now - 2 * MINUTE) }]);
		itemsOf(await runner.poll());
		sim.resetRequests();
		clock.advance(MINUTE);
		expect(await runner.poll()).toBeNull();
		// Cursor 12:08:00 (the newest record), overlap 5 minutes.
		expect(bodies()[0]).toMatchObject({ startDate: '2026-03-01T12:03:00Z', endDate: '2026-03-01T12:11:00Z' });
		expect(Object.keys((persisted(runner)[STATE_KEY] as IDataObject).seen as IDataObject)).toEqual(['x']);
		// Once newer records move the cursor on, x falls out of the window and out of memory.
		clock.advance(10 * MINUTE);
		sim.addAudit([{ systemAuditId: 'y', dateTime: isoSeconds(clock.now) }]);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['y']);
		expect(Object.keys((persisted(runner)[STATE_KEY] as IDataObject).seen as IDataObject)).toEqual(['y']);
	});

	it('sends the filters as the search operation does, to the managed organization', async () => {
		const child = sim.organizations[1].id;
		const runner = triggerRunner(
			sim,
			audit(
				{
					viewChildOrganizations: true,
					filters: { actions: ['Logon', 'Modify'], effectiveAction: 'Denied', emailAddress: ' bob@ ', details: '', iPAddress: '10.0.', objectId: child },
				},
				{ managedOrganizationId: child },
			),
		);
		await runner.poll();
		expect(sim.requests[0].headers.managedorganizationid).toBe(child);
		expect(bodies()[0]).toEqual({
			actions: ['Logon', 'Modify'],
			effectiveAction: 'Denied',
			emailAddress: 'bob@',
			iPAddress: '10.0.',
			objectId: child,
			viewChildOrganizations: true,
			startDate: '2026-03-01T12:00:00Z',
			endDate: '2026-03-01T12:00:00Z',
			pageNumber: 1,
			pageSize: 3,
		});
	});

	it('restarts from now when the event, filters or organization change', async () => {
		const runner = triggerRunner(sim, audit({ filters: { effectiveAction: 'Denied' } }));
		await runner.poll();
		clock.advance(MINUTE);
		sim.addAudit([
			{ systemAuditId: 'denied', effectiveAction: 'Denied', dateTime: isoSeconds(clock.now - 30_000) },
			{ systemAuditId: 'permitted', effectiveAction: 'Permitted', dateTime: isoSeconds(clock.now - 20_000) },
		]);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['denied']);
		const denied = persisted(runner)[STATE_KEY] as IDataObject;

		clock.advance(MINUTE);
		const changed = triggerRunner(sim, audit({ filters: {} }), persisted(runner));
		// A new feed: neither the old match nor what the old filter skipped is emitted.
		expect(await changed.poll()).toBeNull();
		const state = persisted(changed)[STATE_KEY] as IDataObject;
		expect(state.fingerprint).not.toBe(denied.fingerprint);
		expect(state.cursor).toBe(new Date(clock.now).toISOString());
		clock.advance(MINUTE);
		sim.addAudit([{ systemAuditId: 'new', effectiveAction: 'Permitted', dateTime: isoSeconds(clock.now) }]);
		expect(ids(itemsOf(await changed.poll()))).toEqual(['new']);
	});

	it('starts afresh when the static data is from another version or damaged', async () => {
		const runner = triggerRunner(sim, audit(), { [STATE_KEY]: { v: 0, cursor: 'x', seen: 7 } });
		expect(await runner.poll()).toBeNull();
		expect(persisted(runner)[STATE_KEY]).toEqual({
			v: 1,
			event: 'auditEntry',
			fingerprint: expect.any(String),
			start: '2026-03-01T12:00:00.000Z',
			cursor: '2026-03-01T12:00:00.000Z',
			seen: {},
		});
	});

	it('skips a poll while the previous one of the same trigger is still running', async () => {
		const runner = triggerRunner(sim, audit());
		await runner.poll();
		clock.advance(MINUTE);
		sim.addAudit([{ systemAuditId: 'once', dateTime: isoSeconds(clock.now) }]);
		sim.injectFault({ kind: 'delay', ms: 150 });
		const [first, second] = await Promise.all([runner.poll(), runner.poll()]);
		expect(second).toBeNull();
		expect(ids(itemsOf(first))).toEqual(['once']);
		expect(await runner.poll()).toBeNull();
	});
});

describe('failures', () => {
	it('a failed poll leaves the static data untouched and the next poll catches up', async () => {
		const runner = triggerRunner(sim, audit());
		await runner.poll();
		const before = persisted(runner);
		clock.advance(MINUTE);
		sim.addAudit([{ systemAuditId: 'r1', dateTime: isoSeconds(clock.now - 1000) }]);
		sim.injectFault({ kind: 'status', status: 500, retryAfter: '0', times: 2 });
		const error = await runner.poll().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('ThreatLocker: Internal Server Error (HTTP 500)');
		expect((error as NodeApiError).httpCode).toBe('500');
		expect(persisted(runner)).toEqual(before);
		clock.advance(MINUTE);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['r1']);
	});

	it('a revoked key fails the poll with an authentication error, nothing stored', async () => {
		const runner = triggerRunner(sim, audit(), undefined, 'f'.repeat(64));
		const error = await runner.poll().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect((error as NodeApiError).description).toMatch(/API key/);
		expect(persisted(runner)[STATE_KEY] ?? {}).toEqual({});
	});

	it.each([
		[{ options: { managedOrganizationId: 'acme' } }, 'Managed Organization ID "acme" is not a GUID'],
		[{ filters: { objectId: '123' } }, 'Object ID "123" is not a GUID'],
		[{ options: { pageSize: 0 } }, 'Page Size must be a whole number from 1 to 5000, not 0'],
		[{ options: { overlapMinutes: 2000 } }, 'Overlap (Minutes) must be a whole number from 0 to 1440, not 2000'],
		[{ options: { lookBackHours: 1.5 } }, 'Look Back (Hours) must be a whole number from 0 to 720, not 1.5'],
	])('rejects bad parameters before any request: %j', async (parameters, message) => {
		const runner = triggerRunner(sim, { event: 'auditEntry', ...parameters });
		const error = await runner.poll().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message.startsWith(message)).toBe(true);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('login attempts', () => {
	it('asks for whole days and emits only the attempts of the window, successful and denied merged', async () => {
		clock.set(Date.parse('2026-03-02T00:03:00Z'));
		sim.addLogins([
			{ systemAuditId: 'yesterday', dateTime: '2026-03-01T23:59:00Z', effectiveAction: 'Denied' },
		]);
		const runner = triggerRunner(sim, { event: 'loginAttempt', loginResult: 'both', searchText: ' ', options: { lookBackHours: 1 } });
		sim.addLogins([{ systemAuditId: 'old', dateTime: '2026-03-01T22:59:00Z', effectiveAction: 'Permitted' }]);
		sim.addLogins([{ systemAuditId: 'ok', dateTime: '2026-03-02T00:01:00Z', effectiveAction: 'Permitted' }]);
		expect(ids(itemsOf(await runner.poll()))).toEqual(['yesterday', 'ok']);
		expect(bodies()).toEqual([
			{ days: 2, isLoggedIn: true, pageNumber: 1, pageSize: 1000 },
			{ days: 2, isLoggedIn: false, pageNumber: 1, pageSize: 1000 },
		]);
	});

	it('sends Search Text and only the chosen outcome', async () => {
		const runner = triggerRunner(sim, { event: 'loginAttempt', loginResult: 'successful', searchText: ' alice ' });
		await runner.poll();
		expect(bodies()).toEqual([{ days: 2, isLoggedIn: true, searchText: 'alice', pageNumber: 1, pageSize: 1000 }]);
	});
});
