import type { IDataObject } from 'n8n-workflow';

import { runNode, runWorkflow, type NodeSpec } from '../harness';
import { runDeclarativeCredentialTest } from '../harness/declarative-credential-test';
import { ThreatLockerSimulator, type AuditRecord, type SimulatorOptions } from '../simulators/threatlocker';

const START = '2026-03-01T00:00:00Z';
const END = '2026-03-02T00:00:00Z';
const inWindow = (r: { dateTime: string }, start = START, end = END) =>
	Date.parse(r.dateTime) >= Date.parse(start) && Date.parse(r.dateTime) <= Date.parse(end);

function searchNode(parameters: IDataObject = {}, extra: Partial<NodeSpec> = {}): NodeSpec {
	return {
		type: 'threatLocker',
		parameters: {
			resource: 'systemAudit',
			operation: 'search',
			startDate: START,
			endDate: END,
			returnAll: true,
			...parameters,
		},
		...extra,
	};
}

function credentialsFor(sim: ThreatLockerSimulator, extra: IDataObject = {}) {
	return { threatLockerApi: { apiKey: sim.apiKey, instance: 'g', baseUrl: sim.baseUrl, ...extra } };
}

const ids = (items: Array<{ json: IDataObject }>) => items.map((i) => i.json.systemAuditId as string);
const idSet = (records: Array<{ systemAuditId: string | null }>) =>
	records.map((r) => r.systemAuditId as string).sort();

async function withSim(options: SimulatorOptions, body: (sim: ThreatLockerSimulator) => Promise<void>) {
	const sim = await ThreatLockerSimulator.start(options);
	try {
		await body(sim);
	} finally {
		await sim.stop();
	}
}

describe('ThreatLocker node: System Audit search', () => {
	it('returns exactly the records of the window, newest first, one item each, paired to the input', async () => {
		await withSim({}, async (sim) => {
			sim.generateAudit(300, { start: new Date('2026-02-28T12:00:00Z'), end: new Date('2026-03-02T12:00:00Z') });
			const expected = sim.auditRecords().filter((r) => inWindow(r) && r.organizationId === sim.homeOrganization.id);
			const { outputs, error } = await runNode({ node: searchNode({ options: { pageSize: 40 } }), credentials: credentialsFor(sim) });
			expect(error).toBeUndefined();
			expect(ids(outputs[0])).toEqual(expected.map((r) => r.systemAuditId));
			expect(outputs[0].every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(outputs[0][0].json).toEqual(expected[0]);
			// The raw key goes in the Authorization header, no Bearer; no org header by default.
			const first = sim.requests[0];
			expect(first.headers.authorization).toBe(sim.apiKey);
			expect(first.headers.managedorganizationid).toBeUndefined();
			expect(first.body).toMatchObject({ startDate: '2026-03-01T00:00:00Z', endDate: '2026-03-02T00:00:00Z', pageNumber: 1, pageSize: 40, viewChildOrganizations: false });
		});
	});

	it.each([
		['afterKeys', { afterKeyLookup: 'object' }],
		['no afterKeyLookup', { afterKeyLookup: 'absent' }],
		['afterKeyLookup as an array', { afterKeyLookup: 'array' }],
		['separate total headers', { afterKeyLookup: 'absent', pagination: 'separate' }],
		['no paging headers', { afterKeyLookup: 'absent', pagination: 'absent' }],
		['oldest-first order', { afterKeyLookup: 'absent', order: 'oldest' }],
	] as Array<[string, SimulatorOptions]>)('reads more than 10 pages completely, exactly once, with %s', async (_name, options) => {
		await withSim(options, async (sim) => {
			sim.generateAudit(1200, { start: new Date(START), end: new Date(END), sameSecondBurst: 4, nullIdEvery: 97 });
			const expected = sim.auditRecords().filter((r) => inWindow(r));
			const { outputs, error } = await runNode({ node: searchNode({ options: { pageSize: 50 } }), credentials: credentialsFor(sim) });
			expect(error).toBeUndefined();
			const got = outputs[0].map((i) => i.json as unknown as AuditRecord);
			expect(got).toHaveLength(expected.length);
			expect(new Set(got.map((r) => JSON.stringify(r))).size).toBe(expected.length);
			expect(got.map((r) => JSON.stringify(r)).sort()).toEqual(expected.map((r) => JSON.stringify(r)).sort());
			const beyondTen = sim.requests.filter((r) => ((r.body as IDataObject).pageNumber as number) > 10);
			if (options.afterKeyLookup === 'object') expect(beyondTen.length).toBeGreaterThan(0);
			else expect(beyondTen).toHaveLength(0);
		});
	});

	it('loses and repeats nothing when records are inserted between pages', async () => {
		await withSim({ afterKeyLookup: 'absent' }, async (sim) => {
			sim.generateAudit(600, { start: new Date(START), end: new Date(END) });
			const late = (n: number, hour: number): Partial<AuditRecord> => ({ dateTime: `2026-03-01T${String(hour).padStart(2, '0')}:30:0${n}Z` });
			sim.injectFault({ kind: 'insert', beforeRequest: 3, audit: [late(1, 23), late(2, 12), late(3, 1)] });
			sim.injectFault({ kind: 'insert', beforeRequest: 7, audit: [late(4, 22), late(5, 2)] });
			// Newer than the window's end: must not appear.
			sim.injectFault({ kind: 'insert', beforeRequest: 9, audit: [{ dateTime: '2026-03-02T00:00:05Z' }] });
			const { outputs, error } = await runNode({ node: searchNode({ options: { pageSize: 25 } }), credentials: credentialsFor(sim) });
			expect(error).toBeUndefined();
			const expected = sim.auditRecords().filter((r) => inWindow(r));
			expect(expected).toHaveLength(605);
			expect(ids(outputs[0]).sort()).toEqual(idSet(expected));
		});
	});

	it('applies every filter, child organizations and the managed organization', async () => {
		await withSim({}, async (sim) => {
			const [root, child, , grandchild] = sim.organizations;
			const base = { dateTime: '2026-03-01T10:00:00Z' };
			const objectId = '11111111-2222-3333-4444-555555555555';
			sim.addAudit([
				{ ...base, action: 'Read', effectiveAction: 'Permitted', emailAddress: 'alice@acme.com', ipAddress: '10.0.0.5', details: { page: 'Audit', function: 'View', objectId, details: 'Viewed page Computers' } },
				{ ...base, action: 'Delete', effectiveAction: 'Denied', emailAddress: 'bob@acme.com', ipAddress: '192.168.1.9', details: { page: 'Policies', function: 'Delete', objectId: '99999999-2222-3333-4444-555555555555', details: 'Deleted policy X' } },
				{ ...base, action: 'Logon', organizationId: child.id, emailAddress: 'carol@child.com' },
				{ ...base, action: 'Logon', organizationId: grandchild.id, emailAddress: 'dave@grand.com' },
			]);
			const creds = credentialsFor(sim);
			const run = async (parameters: IDataObject, credentials = creds) => {
				const { outputs, error } = await runNode({ node: searchNode(parameters), credentials });
				expect(error).toBeUndefined();
				return outputs[0].map((i) => i.json.emailAddress).sort();
			};
			expect(await run({})).toEqual(['alice@acme.com', 'bob@acme.com']);
			expect(await run({ filters: { actions: ['Delete', 'Logon'] } })).toEqual(['bob@acme.com']);
			expect(await run({ filters: { details: 'viewed page' } })).toEqual(['alice@acme.com']);
			expect(await run({ filters: { effectiveAction: 'Denied' } })).toEqual(['bob@acme.com']);
			expect(await run({ filters: { emailAddress: 'ALICE' } })).toEqual(['alice@acme.com']);
			expect(await run({ filters: { iPAddress: '192.168' } })).toEqual(['bob@acme.com']);
			expect(await run({ filters: { objectId } })).toEqual(['alice@acme.com']);
			expect(await run({ viewChildOrganizations: true })).toEqual(['alice@acme.com', 'bob@acme.com', 'carol@child.com', 'dave@grand.com']);
			expect(await run({ options: { managedOrganizationId: child.id } })).toEqual(['carol@child.com']);
			expect(await run({ viewChildOrganizations: true, options: { managedOrganizationId: child.id } })).toEqual(['carol@child.com', 'dave@grand.com']);
			expect(await run({}, credentialsFor(sim, { managedOrganizationId: grandchild.id }))).toEqual(['dave@grand.com']);
			// The per-item option overrides the credential's default organization.
			expect(await run({ options: { managedOrganizationId: root.id } }, credentialsFor(sim, { managedOrganizationId: grandchild.id }))).toEqual(['alice@acme.com', 'bob@acme.com']);
			const orgHeaders = sim.requests.map((r) => r.headers.managedorganizationid);
			expect(orgHeaders).toContain(child.id);
			expect(orgHeaders).toContain(grandchild.id);
		});
	});

	it('returns at most Limit records, the newest', async () => {
		await withSim({}, async (sim) => {
			sim.generateAudit(80, { start: new Date(START), end: new Date(END) });
			const expected = sim.auditRecords().filter((r) => inWindow(r)).slice(0, 30);
			const { outputs } = await runNode({ node: searchNode({ returnAll: false, limit: 30, options: { pageSize: 1000 } }), credentials: credentialsFor(sim) });
			expect(ids(outputs[0])).toEqual(expected.map((r) => r.systemAuditId));
			expect(sim.requests).toHaveLength(1);
			expect((sim.requests[0].body as IDataObject).pageSize).toBe(30);
		});
	});

	it('runs once per input item, with expressions resolved per item', async () => {
		await withSim({}, async (sim) => {
			sim.addAudit([
				{ dateTime: '2026-03-01T01:00:00Z', emailAddress: 'a@x.com' },
				{ dateTime: '2026-03-05T01:00:00Z', emailAddress: 'b@x.com' },
			]);
			const { outputs } = await runNode({
				node: searchNode({ startDate: '={{ $json.from }}', endDate: '={{ $json.to }}' }),
				credentials: credentialsFor(sim),
				input: [
					{ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' },
					{ from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' },
					{ from: '2026-03-01T00:00:00Z', to: '2026-03-06T00:00:00Z' },
				],
			});
			expect(outputs[0].map((i) => [i.json.emailAddress, (i.pairedItem as { item: number }).item])).toEqual([
				['a@x.com', 0],
				['b@x.com', 1],
				['b@x.com', 2],
				['a@x.com', 2],
			]);
		});
	});

	it.each(['empty', 'null'] as const)('treats an empty result answered as %s body as no records', async (emptyBody) => {
		await withSim({ emptyBody }, async (sim) => {
			const { outputs, error } = await runNode({ node: searchNode(), credentials: credentialsFor(sim) });
			expect(error).toBeUndefined();
			expect(outputs[0]).toEqual([]);
		});
	});

	it('defaults to the last 24 hours', async () => {
		await withSim({}, async (sim) => {
			const now = Date.now();
			sim.addAudit([
				{ dateTime: new Date(now - 60 * 60 * 1000).toISOString().slice(0, 19) + 'Z', emailAddress: 'recent@x.com' },
				{ dateTime: new Date(now - 30 * 60 * 60 * 1000).toISOString().slice(0, 19) + 'Z', emailAddress: 'old@x.com' },
			]);
			const { outputs } = await runNode({ node: searchNode({ startDate: '', endDate: '' }), credentials: credentialsFor(sim) });
			expect(outputs[0].map((i) => i.json.emailAddress)).toEqual(['recent@x.com']);
			const body = sim.requests[0].body as IDataObject;
			expect(Date.parse(body.endDate as string) - Date.parse(body.startDate as string)).toBe(24 * 60 * 60 * 1000);
		});
	});
});

describe('ThreatLocker node: Health Center login attempts', () => {
	const NOW = new Date('2026-03-10T15:00:00Z');

	function loginNode(parameters: IDataObject = {}): NodeSpec {
		return { type: 'threatLocker', parameters: { resource: 'healthCenter', operation: 'getLoginAttempts', returnAll: true, days: 2, ...parameters } };
	}

	it('returns successful, denied or both, newest first, honouring days and search text', async () => {
		await withSim({ now: () => NOW }, async (sim) => {
			sim.addLogins([
				{ dateTime: '2026-03-10T14:00:00Z', effectiveAction: 'Permitted', emailAddress: 'ok1@x.com', city: 'Berlin' },
				{ dateTime: '2026-03-10T13:00:00Z', effectiveAction: 'Denied', emailAddress: 'bad1@x.com', city: 'Lagos' },
				{ dateTime: '2026-03-09T01:00:00Z', effectiveAction: 'Denied', emailAddress: 'bad2@x.com', city: 'Berlin' },
				{ dateTime: '2026-03-08T23:00:00Z', effectiveAction: 'Permitted', emailAddress: 'tooold@x.com' },
			]);
			const run = async (parameters: IDataObject) => {
				const { outputs, error } = await runNode({ node: loginNode(parameters), credentials: credentialsFor(sim) });
				expect(error).toBeUndefined();
				return outputs[0].map((i) => i.json.emailAddress);
			};
			expect(await run({})).toEqual(['ok1@x.com', 'bad1@x.com', 'bad2@x.com']);
			expect(await run({ loginResult: 'successful' })).toEqual(['ok1@x.com']);
			expect(await run({ loginResult: 'denied' })).toEqual(['bad1@x.com', 'bad2@x.com']);
			expect(await run({ searchText: 'berlin' })).toEqual(['ok1@x.com', 'bad2@x.com']);
			expect(await run({ days: 3 })).toContain('tooold@x.com');
			expect(await run({ returnAll: false, limit: 2 })).toEqual(['ok1@x.com', 'bad1@x.com']);
		});
	});

	it('reads more than 10 pages of login attempts completely with and without afterKeys', async () => {
		for (const afterKeyLookup of ['object', 'absent'] as const) {
			await withSim({ now: () => NOW, afterKeyLookup }, async (sim) => {
				sim.generateLogins(700, { start: new Date('2026-03-09T00:00:00Z'), end: new Date('2026-03-10T14:59:59Z') });
				const expected = sim.loginRecords().filter((r) => r.effectiveAction === 'Denied');
				const { outputs, error } = await runNode({ node: loginNode({ loginResult: 'denied', options: { pageSize: 20 } }), credentials: credentialsFor(sim) });
				expect(error).toBeUndefined();
				expect(ids(outputs[0]).sort()).toEqual(idSet(expected));
				expect(outputs[0]).toHaveLength(expected.length);
			});
		}
	});
});

describe('ThreatLocker node: bad input is refused before any request', () => {
	it.each([
		[{ endDate: '2026-02-01T00:00:00Z' }, /End Date \(2026-02-01T00:00:00Z\) is before Start Date .*\[item 0\]/],
		[{ startDate: 'last tuesday' }, /Start Date "last tuesday" is not a date .*\[item 0\]/],
		[{ options: { managedOrganizationId: 'acme' } }, /Managed Organization ID "acme" is not a GUID.*\[item 0\]/],
		[{ filters: { objectId: '123' } }, /Object ID "123" is not a GUID.*\[item 0\]/],
		[{ options: { pageSize: 5001 } }, /Page Size must be a whole number from 1 to 5000, not 5001 \[item 0\]/],
		[{ options: { pageSize: 0 } }, /Page Size must be a whole number from 1 to 5000, not 0 \[item 0\]/],
	])('%o', async (parameters, message) => {
		await withSim({}, async (sim) => {
			const { error } = await runNode({ node: searchNode(parameters), credentials: credentialsFor(sim) });
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toMatch(message);
			expect(sim.requests).toHaveLength(0);
		});
	});

	it('names the item that is wrong', async () => {
		await withSim({}, async (sim) => {
			const { error } = await runNode({
				node: searchNode({ startDate: '={{ $json.from }}' }),
				credentials: credentialsFor(sim),
				input: [{ from: '2026-03-01T00:00:00Z' }, { from: 'not a date' }],
			});
			expect(error?.message).toMatch(/Start Date "not a date" is not a date .*\[item 1\]/);
		});
	});

	it.each([[0], [366], [1.5]])('refuses Health Center days = %p', async (days) => {
		await withSim({}, async (sim) => {
			const { error } = await runNode({ node: { type: 'threatLocker', parameters: { resource: 'healthCenter', operation: 'getLoginAttempts', days } }, credentials: credentialsFor(sim) });
			expect(error?.message).toMatch(new RegExp(`Days must be a whole number from 1 to 365, not ${days} \\[item 0\\]`));
			expect(sim.requests).toHaveLength(0);
		});
	});

	it('refuses a key with a Bearer prefix, a bad instance and plain http to a non-loopback host', async () => {
		await withSim({}, async (sim) => {
			const cases: Array<[IDataObject, RegExp]> = [
				[{ apiKey: `Bearer ${sim.apiKey}` }, /starts with "Bearer"/],
				[{ baseUrl: '', instance: 'g/../x' }, /Instance "g\/..\/x" is not valid/],
				[{ baseUrl: 'http://threatlocker.example.com' }, /must use https/],
			];
			for (const [extra, message] of cases) {
				const { error } = await runNode({ node: searchNode(), credentials: credentialsFor(sim, extra) });
				expect(error?.message).toMatch(message);
				expect(JSON.stringify(error)).not.toContain(sim.apiKey);
			}
			expect(sim.requests).toHaveLength(0);
		});
	});
});

describe('ThreatLocker node: API failures', () => {
	it.each([401, 403, 440] as const)('reports a rejected key (%s) with the service message and a hint, without retrying or leaking it', async (revokedStatus) => {
		await withSim({ revokedStatus }, async (sim) => {
			const wrongKey = 'f'.repeat(64);
			const { error, run } = await runNode({ node: searchNode(), credentials: credentialsFor(sim, { apiKey: wrongKey }) });
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(`ThreatLocker: Unauthorized — TOKEN_REVOKED (HTTP ${revokedStatus}) [item 0]`);
			expect(error?.description).toMatch(/Instance/);
			expect(error?.httpCode).toBe(String(revokedStatus));
			expect(sim.requests).toHaveLength(1);
			expect(JSON.stringify(run.run)).not.toContain(wrongKey);
			expect(JSON.stringify(error)).not.toContain(wrongKey);
		});
	});

	it('passes on 400/417 messages from ThreatLocker', async () => {
		await withSim({}, async (sim) => {
			sim.injectFault({ kind: 'status', status: 417, body: { LoggerId: 'x', StatusCode: 417, Message: 'Invalid Date Range' } });
			const { error } = await runNode({ node: searchNode(), credentials: credentialsFor(sim) });
			expect(error?.message).toBe('ThreatLocker: Invalid Date Range (HTTP 417) [item 0]');
			expect(sim.requests).toHaveLength(1);
		});
	});

	it('retries 429 (honouring Retry-After), 5xx and connection resets, then returns every record', async () => {
		await withSim({}, async (sim) => {
			sim.generateAudit(120, { start: new Date(START), end: new Date(END) });
			sim.injectFault({ kind: 'status', status: 429, retryAfter: '0' });
			sim.injectFault({ kind: 'status', status: 503, retryAfter: '0' });
			sim.injectFault({ kind: 'reset' });
			sim.injectFault({ kind: 'status', status: 500, headers: { 'Retry-After': '0' } });
			const { outputs, error } = await runNode({ node: searchNode({ options: { pageSize: 50 } }), credentials: credentialsFor(sim) });
			expect(error).toBeUndefined();
			expect(outputs[0]).toHaveLength(sim.auditRecords().filter((r) => inWindow(r)).length);
			expect(sim.requests.map((r) => r.status).slice(0, 5)).toEqual([429, 503, 0, 500, 200]);
		});
	});

	it('gives up after a bounded number of attempts', async () => {
		await withSim({}, async (sim) => {
			sim.injectFault({ kind: 'status', status: 500, retryAfter: '0', times: 10 });
			const { error } = await runNode({ node: searchNode(), credentials: credentialsFor(sim) });
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toMatch(/\(HTTP 500\) \[item 0\]$/);
			expect(sim.requests).toHaveLength(5);
		});
	});

	it('with Continue On Fail, turns a failing item into an error item paired to it and goes on', async () => {
		await withSim({}, async (sim) => {
			sim.addAudit([{ dateTime: '2026-03-01T01:00:00Z', emailAddress: 'a@x.com' }]);
			const { outputs, error } = await runNode({
				node: searchNode({ options: { managedOrganizationId: '={{ $json.org }}' } }, { continueOnFail: true }),
				credentials: credentialsFor(sim),
				input: [{ org: '' }, { org: '22222222-2222-2222-2222-222222222222' }, { org: 'nope' }],
			});
			expect(error).toBeUndefined();
			const items = outputs[0];
			expect(items).toHaveLength(3);
			expect(items[0].json.emailAddress).toBe('a@x.com');
			expect(items[1].json.error).toMatch(/ThreatLocker: You do not have access to this organization \(HTTP 403\) \[item 1\]/);
			expect(items[1].json.httpCode).toBe('403');
			expect(items[2].json.error).toMatch(/not a GUID.*\[item 2\]/);
			expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
			expect(JSON.stringify(items)).not.toContain(sim.apiKey);
		});
	});
});

describe('ThreatLocker API credential test', () => {
	it('succeeds with a good key and explains each rejection', async () => {
		for (const revokedStatus of [401, 403, 440] as const) {
			await withSim({ revokedStatus }, async (sim) => {
				const ok = await runDeclarativeCredentialTest('threatLockerApi', { apiKey: sim.apiKey, instance: 'g', baseUrl: sim.baseUrl, managedOrganizationId: '' });
				expect(ok.status).toBe('OK');
				const bad = await runDeclarativeCredentialTest('threatLockerApi', { apiKey: 'e'.repeat(64), instance: 'g', baseUrl: sim.baseUrl, managedOrganizationId: '' });
				expect(bad.status).toBe('Error');
				// n8n-core 1.x (this harness, like n8n 1.123) does not apply status rules to a failed
				// test request and shows its own text for the status; n8n 2.x shows the rule's message.
				const n8nOwnText = { 401: /Authorization failed/, 403: /Forbidden/, 440: /could not be processed/ }[revokedStatus];
				expect(bad.message).toMatch(new RegExp(`\\(${revokedStatus}\\)|${n8nOwnText.source}`));
				expect(bad.message).not.toContain('e'.repeat(64));
				// A cheap call: one Health Center row (n8n itself may repeat a request answered 401).
				expect(new Set(sim.requests.map((r) => r.endpoint))).toEqual(new Set(['health']));
				expect(sim.requests[0].body).toEqual({ days: 1, isLoggedIn: true, pageSize: 1, pageNumber: 1 });
			});
		}
	});

	it('sends the managed organization header when the credential has one', async () => {
		await withSim({}, async (sim) => {
			const child = sim.organizations[1];
			const result = await runDeclarativeCredentialTest('threatLockerApi', { apiKey: sim.apiKey, instance: 'g', baseUrl: sim.baseUrl, managedOrganizationId: child.id });
			expect(result.status).toBe('OK');
			expect(sim.requests[0].headers.managedorganizationid).toBe(child.id);
		});
	});
});

describe('ThreatLocker node in a workflow', () => {
	it('feeds the next node with one item per record', async () => {
		await withSim({}, async (sim) => {
			sim.generateAudit(20, { start: new Date(START), end: new Date(END) });
			const result = await runWorkflow({
				nodes: [searchNode({}, { name: 'Read' }), searchNode({ startDate: '={{ $json.dateTime }}', endDate: '={{ $json.dateTime }}' }, { name: 'Again' })],
				credentials: credentialsFor(sim),
			});
			const first = result.node('Read').outputs[0];
			const second = result.node('Again').outputs[0];
			expect(first.length).toBeGreaterThan(0);
			expect(second.length).toBeGreaterThanOrEqual(first.length);
			expect(result.run.status).toBe('success');
		});
	});
});
