/**
 * Contract tests of the ThreatLocker simulator itself, over real HTTP with plain fetch, so the
 * client tests built on it can trust what it does.
 */
import {
	AUDIT_PATH,
	HEALTH_PATH,
	ThreatLockerSimulator,
	ZERO_GUID,
	type AuditRecord,
	type Organization,
	type SimulatorOptions,
} from './threatlocker';

const NOW = new Date('2024-06-15T12:00:00Z');
const clock = (): Date => NOW;

interface Resp {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
}

async function post(
	sim: ThreatLockerSimulator,
	path: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<Resp> {
	const res = await fetch(`${sim.baseUrl}${path}`, {
		method: 'POST',
		headers: { Authorization: sim.apiKey, 'Content-Type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

const WINDOW = { startDate: '2024-06-01T00:00:00Z', endDate: '2024-06-30T23:59:59Z' };

function auditBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { ...WINDOW, pageNumber: 1, pageSize: 100, ...extra };
}

async function audit(
	sim: ThreatLockerSimulator,
	extra: Record<string, unknown> = {},
	headers: Record<string, string> = {},
): Promise<Resp> {
	return post(sim, AUDIT_PATH, auditBody(extra), headers);
}

function rows(r: Resp): AuditRecord[] {
	return r.json as AuditRecord[];
}

interface PaginationInfo {
	currentPage: number;
	itemsPerPage: number;
	totalItems: number;
	totalPages: number;
	firstItem: number;
	lastItem: number;
	afterKeyLookup?: Record<string, unknown[]> | unknown[];
}

function pagination(r: Resp): PaginationInfo {
	const h = r.headers.get('pagination');
	if (h === null) throw new Error('no Pagination header');
	return JSON.parse(h) as PaginationInfo;
}

async function withSim(options: SimulatorOptions, fn: (sim: ThreatLockerSimulator) => Promise<void>): Promise<void> {
	const sim = await ThreatLockerSimulator.start({ now: clock, ...options });
	try {
		await fn(sim);
	} finally {
		await sim.stop();
	}
}

describe('ThreatLocker simulator', () => {
	let sim: ThreatLockerSimulator;
	let home: Organization;
	let childA: Organization;
	let childB: Organization;
	let grandchild: Organization;

	beforeAll(async () => {
		sim = await ThreatLockerSimulator.start({ now: clock });
		[home, childA, childB, grandchild] = sim.organizations;
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => {
		sim.clearFaults();
		sim.options = { now: clock };
	});

	describe('basics', () => {
		it('listens on 127.0.0.1 with a random port and a 64-hex key', () => {
			expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(sim.apiKey).toMatch(/^[0-9a-f]{64}$/);
		});

		it('has a default org tree: root + 2 children + 1 grandchild', () => {
			expect(home).toMatchObject({ name: 'Acme MSP', parentId: null });
			expect(childA.parentId).toBe(home.id);
			expect(childB.parentId).toBe(home.id);
			expect(grandchild.parentId).toBe(childA.id);
		});

		it('answers 404 for other paths and methods', async () => {
			const r = await post(sim, '/portalapi/SystemAudit/Nope', {});
			expect(r.status).toBe(404);
			const g = await fetch(`${sim.baseUrl}${AUDIT_PATH}`, { headers: { Authorization: sim.apiKey } });
			expect(g.status).toBe(404);
			expect(sim.requests[sim.requests.length - 1]).toMatchObject({ endpoint: 'other', status: 404 });
		});

		it('rejects a body that is not JSON with the ThreatLocker error shape', async () => {
			const r = await post(sim, AUDIT_PATH, '{not json');
			expect(r.status).toBe(400);
			expect(r.json).toEqual({ LoggerId: expect.stringMatching(/^[0-9a-f-]{36}$/), StatusCode: 400, Message: expect.any(String) });
		});

		it('routes paths case-insensitively like ASP.NET', async () => {
			const r = await post(sim, AUDIT_PATH.toLowerCase(), auditBody());
			expect(r.status).toBe(200);
		});
	});

	describe('authentication', () => {
		it('accepts the raw key', async () => {
			expect((await audit(sim)).status).toBe(200);
		});

		it('rejects a Bearer-prefixed key as revoked', async () => {
			const r = await audit(sim, {}, { Authorization: `Bearer ${sim.apiKey}` });
			expect(r.status).toBe(401);
			expect(r.json).toEqual({ message: 'Unauthorized', error: 'TOKEN_REVOKED' });
		});

		it('rejects a wrong key with the configured revoked status', async () => {
			for (const status of [401, 403, 440] as const) {
				sim.options = { ...sim.options, revokedStatus: status };
				const r = await audit(sim, {}, { Authorization: 'f'.repeat(64) });
				expect(r.status).toBe(status);
				expect(r.json).toEqual({ message: 'Unauthorized', error: 'TOKEN_REVOKED' });
			}
		});

		it('answers 401 without an Authorization header', async () => {
			const res = await fetch(`${sim.baseUrl}${AUDIT_PATH}`, { method: 'POST', body: JSON.stringify(auditBody()) });
			expect(res.status).toBe(401);
		});

		it('checks the key on the Health Center endpoint too', async () => {
			const r = await post(sim, HEALTH_PATH, { days: 1, isLoggedIn: true, pageNumber: 1, pageSize: 10 }, { Authorization: `Bearer ${sim.apiKey}` });
			expect(r.status).toBe(401);
		});
	});

	describe('organization scoping', () => {
		let s: ThreatLockerSimulator;
		beforeAll(async () => {
			s = await ThreatLockerSimulator.start({ now: clock });
			for (const org of s.organizations) {
				s.addAudit([{ organizationId: org.id, dateTime: '2024-06-10T00:00:00Z', notes: org.name }]);
			}
		});
		afterAll(async () => {
			await s.stop();
		});
		const names = (r: Resp): string[] => rows(r).map((x) => x.organizationName ?? '').sort();

		it('defaults to the home organization', async () => {
			expect(names(await audit(s))).toEqual(['Acme MSP']);
		});

		it('fills organizationName from the org list', async () => {
			const [rec] = rows(await audit(s, {}, { managedOrganizationId: s.organizations[1].id }));
			expect(rec.organizationName).toBe(s.organizations[1].name);
		});

		it('picks the org from managedOrganizationId in any case, and OverrideManagedOrganizationId', async () => {
			const [, a, b] = s.organizations;
			expect(names(await audit(s, {}, { managedOrganizationId: a.id }))).toEqual([a.name]);
			expect(names(await audit(s, {}, { ManagedOrganizationId: a.id.toUpperCase() }))).toEqual([a.name]);
			expect(names(await audit(s, {}, { OverrideManagedOrganizationId: b.id }))).toEqual([b.name]);
		});

		it('ignores a misspelt header (home org data, silently)', async () => {
			expect(names(await audit(s, {}, { managedOrgId: s.organizations[1].id }))).toEqual(['Acme MSP']);
		});

		it('includes children and grandchildren with viewChildOrganizations', async () => {
			expect(names(await audit(s, { viewChildOrganizations: true }))).toEqual(s.organizations.map((o) => o.name).sort());
			const [, a, , g] = s.organizations;
			expect(names(await audit(s, { viewChildOrganizations: true }, { managedOrganizationId: a.id }))).toEqual([a.name, g.name].sort());
		});

		it('answers 403 for an org the key cannot see and 400 for a malformed GUID', async () => {
			const r = await audit(s, {}, { managedOrganizationId: '11111111-2222-3333-4444-555555555555' });
			expect(r.status).toBe(403);
			expect(r.json).toMatchObject({ StatusCode: 403, Message: 'You do not have access to this organization' });
			expect((await audit(s, {}, { managedOrganizationId: 'not-a-guid' })).status).toBe(400);
		});

		it('hides a second root organization', async () => {
			const orgs: Organization[] = [
				{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Home', parentId: null },
				{ id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Other MSP', parentId: null },
			];
			await withSim({ organizations: orgs }, async (x) => {
				expect((await audit(x, {}, { managedOrganizationId: orgs[1].id })).status).toBe(403);
				expect((await audit(x, {}, { managedOrganizationId: orgs[0].id })).status).toBe(200);
			});
		});
	});

	describe('audit filters', () => {
		let s: ThreatLockerSimulator;
		const objectId = '0b1c2d3e-4f50-4617-8899-aabbccddeeff';
		beforeAll(async () => {
			s = await ThreatLockerSimulator.start({ now: clock });
			s.addAudit([
				{
					notes: 'r1', action: 'Modify', effectiveAction: 'Permitted', emailAddress: 'alice.admin@acme.com', ipAddress: '203.0.113.7', dateTime: '2024-06-10T10:00:00Z',
					details: { page: 'Application Control', function: 'Policy Update', objectId, details: "Updated policy 'Block PowerShell' for group 'Servers'" },
				},
				{ notes: 'r2', action: 'Read', effectiveAction: 'Permitted', emailAddress: 'bob@contoso.com', ipAddress: '10.0.0.5', dateTime: '2024-06-10T11:00:00Z', details: 'Audit - View Page - Viewed page' },
				{ notes: 'r3', action: 'Logon', effectiveAction: 'Denied', emailAddress: 'carol@acme.com', ipAddress: '198.51.100.20', dateTime: '2024-06-10T12:00:00Z', details: null },
				{ notes: 'r4', action: 'Delete', effectiveAction: 'Permitted', emailAddress: null, ipAddress: null, dateTime: '2024-06-10T13:00:00Z' },
			]);
		});
		afterAll(async () => {
			await s.stop();
		});
		const notes = async (extra: Record<string, unknown>): Promise<string[]> => {
			const r = await audit(s, extra);
			expect(r.status).toBe(200);
			return rows(r).map((x) => x.notes ?? '').sort();
		};

		it('returns everything without filters', async () => {
			expect(await notes({})).toEqual(['r1', 'r2', 'r3', 'r4']);
			expect(await notes({ actions: [] })).toEqual(['r1', 'r2', 'r3', 'r4']);
		});

		it('matches actions exactly', async () => {
			expect(await notes({ actions: ['Read', 'Logon'] })).toEqual(['r2', 'r3']);
			expect(await notes({ actions: ['read'] })).toEqual([]);
		});

		it('matches details as a case-insensitive contains, on objects and strings, with * wildcards', async () => {
			expect(await notes({ details: 'block powershell' })).toEqual(['r1']);
			expect(await notes({ details: 'View Page' })).toEqual(['r2']);
			expect(await notes({ details: 'Updated*Servers' })).toEqual(['r1']);
			expect(await notes({ details: 'Audit - View Page - Viewed page' })).toEqual(['r2']);
		});

		it('supports anchored LIKE semantics when textMatch is "like"', async () => {
			s.options = { ...s.options, textMatch: 'like' };
			try {
				expect(await notes({ details: 'Viewed*' })).toEqual([]);
				expect(await notes({ details: 'Audit*' })).toEqual(['r2']);
				expect(await notes({ details: 'page' })).toEqual(['r2']);
			} finally {
				s.options = { now: clock };
			}
		});

		it('filters emailAddress, iPAddress (and ipAddress alias), effectiveAction', async () => {
			expect(await notes({ emailAddress: 'ACME.com' })).toEqual(['r1', 'r3']);
			expect(await notes({ iPAddress: '203.0.113' })).toEqual(['r1']);
			expect(await notes({ ipAddress: '10.0.0' })).toEqual(['r2']);
			expect(await notes({ effectiveAction: 'Denied' })).toEqual(['r3']);
			expect(await notes({ effectiveAction: 'permit' })).toEqual(['r1', 'r2', 'r4']);
		});

		it('filters objectId on details.objectId or organizationId; the zero GUID means no filter', async () => {
			expect(await notes({ objectId })).toEqual(['r1']);
			expect(await notes({ objectId: objectId.toUpperCase() })).toEqual(['r1']);
			expect(await notes({ objectId: s.organizations[0].id })).toEqual(['r1', 'r2', 'r3', 'r4']);
			expect(await notes({ objectId: ZERO_GUID })).toEqual(['r1', 'r2', 'r3', 'r4']);
			expect((await audit(s, { objectId: 'xyz' })).status).toBe(400);
		});

		it('combines filters', async () => {
			expect(await notes({ actions: ['Modify', 'Read'], emailAddress: 'acme' })).toEqual(['r1']);
		});
	});

	describe('dates', () => {
		let s: ThreatLockerSimulator;
		beforeAll(async () => {
			s = await ThreatLockerSimulator.start({ now: clock });
			s.addAudit([
				{ notes: 'a', dateTime: '2024-06-10T00:00:00Z' },
				{ notes: 'b', dateTime: '2024-06-10T00:00:01Z' },
				{ notes: 'c', dateTime: '2024-06-10T00:00:02Z' },
			]);
		});
		afterAll(async () => {
			await s.stop();
		});

		it('is inclusive at both ends and accepts .000Z', async () => {
			const r = await audit(s, { startDate: '2024-06-10T00:00:00Z', endDate: '2024-06-10T00:00:01Z' });
			expect(rows(r).map((x) => x.notes)).toEqual(['b', 'a']);
			const ms = await audit(s, { startDate: '2024-06-10T00:00:01.000Z', endDate: '2024-06-10T00:00:02.000Z' });
			expect(rows(ms).map((x) => x.notes)).toEqual(['c', 'b']);
		});

		it('requires startDate and endDate', async () => {
			expect((await audit(s, { startDate: undefined })).status).toBe(400);
			expect((await audit(s, { endDate: null })).status).toBe(400);
		});

		it('answers 400 for unparseable dates', async () => {
			for (const bad of ['2024-06-10', '2024-06-10 00:00:00Z', '2024-06-10T00:00:00+02:00', '2024-02-30T00:00:00Z', 'yesterday', 12345]) {
				const r = await audit(s, { startDate: bad });
				expect(r.status).toBe(400);
				expect(r.json).toMatchObject({ StatusCode: 400 });
			}
		});

		it('answers 417 Invalid Date Range when start > end', async () => {
			const r = await audit(s, { startDate: '2024-06-11T00:00:00Z', endDate: '2024-06-10T00:00:00Z' });
			expect(r.status).toBe(417);
			expect(r.json).toMatchObject({ StatusCode: 417, Message: 'Invalid Date Range' });
		});
	});

	describe('ordering', () => {
		it('returns newest first, same-second ties newer insert first; "oldest" reverses', async () => {
			await withSim({}, async (s) => {
				s.addAudit([{ notes: '1', dateTime: '2024-06-10T00:00:05Z' }, { notes: '2', dateTime: '2024-06-10T00:00:01Z' }]);
				s.addAudit([{ notes: '3', dateTime: '2024-06-10T00:00:05Z' }]);
				s.addAudit([{ notes: '4', dateTime: '2024-06-10T00:00:03Z' }, { notes: '5', dateTime: '2024-06-10T00:00:05Z' }]);
				const order = async (): Promise<Array<string | null>> => rows(await audit(s)).map((x) => x.notes);
				expect(await order()).toEqual(['5', '3', '1', '4', '2']);
				expect(s.auditRecords().map((x) => x.notes)).toEqual(['5', '3', '1', '4', '2']);
				s.options = { ...s.options, order: 'oldest' };
				expect(await order()).toEqual(['2', '4', '1', '3', '5']);
			});
		});

		it('keeps the order for bulk inserts (merge path) mixed with single inserts', async () => {
			await withSim({}, async (s) => {
				s.generateAudit(500, { start: new Date('2024-06-10T00:00:00Z'), end: new Date('2024-06-10T00:01:00Z') });
				s.addAudit([{ dateTime: '2024-06-10T00:00:30Z', notes: 'late' }]);
				const all = s.auditRecords();
				const ms = all.map((x) => Date.parse(x.dateTime));
				for (let i = 1; i < ms.length; i++) expect(ms[i - 1]).toBeGreaterThanOrEqual(ms[i]);
				// The latest insert leads its second.
				const firstOfSecond = all.find((x) => x.dateTime === '2024-06-10T00:00:30Z');
				expect(firstOfSecond?.notes).toBe('late');
			});
		});
	});

	describe('pagination', () => {
		let s: ThreatLockerSimulator;
		let all: AuditRecord[];
		beforeAll(async () => {
			s = await ThreatLockerSimulator.start({ now: clock });
			// 250 records with many same-second ties, to exercise the tie-breaker in cursors.
			s.generateAudit(250, { start: new Date('2024-06-05T00:00:00Z'), end: new Date('2024-06-06T00:00:00Z'), sameSecondBurst: 7 });
			all = s.auditRecords();
		});
		afterAll(async () => {
			await s.stop();
		});
		beforeEach(() => {
			s.options = { now: clock };
			s.clearFaults();
		});
		const ids = (list: AuditRecord[]): string[] => list.map((x) => x.userId);

		it('pages 1..10 by offset with a JSON Pagination header', async () => {
			const r = await audit(s, { pageNumber: 3, pageSize: 20 });
			expect(ids(rows(r))).toEqual(ids(all.slice(40, 60)));
			const p = pagination(r);
			expect(p).toEqual({
				currentPage: 3, itemsPerPage: 20, totalItems: 250, totalPages: 13, firstItem: 41, lastItem: 60,
				afterKeyLookup: { '3': [Date.parse(all[59].dateTime), expect.any(Number)] },
			});
		});

		it('reports a partial last page and an empty page past the end', async () => {
			const last = await audit(s, { pageNumber: 3, pageSize: 100 });
			expect(rows(last)).toHaveLength(50);
			expect(pagination(last)).toMatchObject({ firstItem: 201, lastItem: 250, totalPages: 3 });
			const past = await audit(s, { pageNumber: 4, pageSize: 100 });
			expect(past.text).toBe('[]');
			expect(pagination(past)).toMatchObject({ totalItems: 250, afterKeyLookup: {} });
		});

		it('supports the array and absent afterKeyLookup shapes', async () => {
			s.options = { ...s.options, afterKeyLookup: 'array' };
			const a = pagination(await audit(s, { pageNumber: 1, pageSize: 10 }));
			expect(a.afterKeyLookup).toEqual([Date.parse(all[9].dateTime), expect.any(Number)]);
			s.options = { ...s.options, afterKeyLookup: 'absent' };
			const b = pagination(await audit(s, { pageNumber: 1, pageSize: 10 }));
			expect(b).not.toHaveProperty('afterKeyLookup');
			expect(b.totalItems).toBe(250);
		});

		it('supports separate totalItems/totalPages headers, or none', async () => {
			s.options = { ...s.options, pagination: 'separate' };
			const r = await audit(s, { pageSize: 100 });
			expect(r.headers.get('pagination')).toBeNull();
			expect(r.headers.get('totalitems')).toBe('250');
			expect(r.headers.get('totalpages')).toBe('3');
			s.options = { ...s.options, pagination: 'absent' };
			const n = await audit(s, { pageSize: 100 });
			expect(n.headers.get('pagination')).toBeNull();
			expect(n.headers.get('totalitems')).toBeNull();
		});

		it('validates pageSize and pageNumber', async () => {
			for (const bad of [{ pageSize: 0 }, { pageSize: 10001 }, { pageSize: 2.5 }, { pageSize: '10' }, { pageNumber: 0 }, { pageNumber: undefined }]) {
				expect((await audit(s, bad)).status).toBe(400);
			}
			expect((await audit(s, { pageSize: 10000 })).status).toBe(200);
		});

		it('needs afterKeys beyond page 10', async () => {
			const r = await audit(s, { pageNumber: 11, pageSize: 10 });
			expect(r.status).toBe(400);
			expect(r.json).toMatchObject({ StatusCode: 400, Message: 'afterKeys are required beyond page 10' });
			expect((await audit(s, { pageNumber: 11, pageSize: 10, afterKeys: { '9': [1, 2] } })).status).toBe(400);
			expect((await audit(s, { pageNumber: 11, pageSize: 10, afterKeys: { '10': 'x' } })).status).toBe(400);
		});

		it('pages past 10 from the afterKeys cursor, refreshed every 10 pages', async () => {
			const pageSize = 10;
			const afterKeys: Record<string, unknown> = {};
			const seen: AuditRecord[] = [];
			for (let page = 1; page <= 26; page++) {
				const r = await audit(s, { pageNumber: page, pageSize, afterKeys: page > 10 ? afterKeys : undefined });
				expect(r.status).toBe(200);
				const p = pagination(r);
				expect(p.totalItems).toBe(250);
				Object.assign(afterKeys, p.afterKeyLookup);
				seen.push(...rows(r));
			}
			expect(ids(seen)).toEqual(ids(all));
			expect(Object.keys(afterKeys)).toContain('20');
		});

		it('jumps within a block with offset from the cursor (page 15 = 4 pages after page 10)', async () => {
			const p10 = pagination(await audit(s, { pageNumber: 10, pageSize: 10 }));
			const r = await audit(s, { pageNumber: 15, pageSize: 10, afterKeys: p10.afterKeyLookup });
			expect(ids(rows(r))).toEqual(ids(all.slice(140, 150)));
			expect(pagination(r)).toMatchObject({ currentPage: 15, firstItem: 141, lastItem: 150 });
		});

		it('keeps cursor pages stable while new records arrive (offset pages shift)', async () => {
			await withSim({}, async (x) => {
				x.generateAudit(120, { start: new Date('2024-06-05T00:00:00Z'), end: new Date('2024-06-05T01:00:00Z') });
				const before = x.auditRecords();
				const p10 = pagination(await audit(x, { pageNumber: 10, pageSize: 10 }));
				x.addAudit(Array.from({ length: 5 }, () => ({ dateTime: '2024-06-05T00:59:59Z' })));
				const r = await audit(x, { pageNumber: 11, pageSize: 10, afterKeys: p10.afterKeyLookup });
				expect(ids(rows(r))).toEqual(ids(before.slice(100, 110)));
				expect(pagination(r).totalItems).toBe(125);
				const shifted = await audit(x, { pageNumber: 2, pageSize: 10 });
				expect(ids(rows(shifted))).toEqual(ids(before.slice(5, 15)));
			});
		});

		it('always rejects pages past 10 when afterKeyLookup is array or absent', async () => {
			const p10 = pagination(await audit(s, { pageNumber: 10, pageSize: 10 }));
			for (const mode of ['array', 'absent'] as const) {
				s.options = { ...s.options, afterKeyLookup: mode };
				expect((await audit(s, { pageNumber: 11, pageSize: 10, afterKeys: p10.afterKeyLookup })).status).toBe(400);
			}
		});

		it('pages past 10 in oldest-first order too', async () => {
			s.options = { ...s.options, order: 'oldest' };
			const rev = [...all].reverse();
			const p10 = pagination(await audit(s, { pageNumber: 10, pageSize: 10 }));
			const r = await audit(s, { pageNumber: 11, pageSize: 10, afterKeys: p10.afterKeyLookup });
			expect(ids(rows(r))).toEqual(ids(rev.slice(100, 110)));
		});

		it('shapes empty results per emptyBody', async () => {
			const none = { startDate: '2020-01-01T00:00:00Z', endDate: '2020-01-02T00:00:00Z' };
			expect((await audit(s, none)).text).toBe('[]');
			s.options = { ...s.options, emptyBody: 'empty' };
			const e = await audit(s, none);
			expect(e.status).toBe(200);
			expect(e.text).toBe('');
			expect(pagination(e).totalItems).toBe(0);
			s.options = { ...s.options, emptyBody: 'null' };
			expect((await audit(s, none)).text).toBe('null');
		});

		it('serves records exactly as stored (JSON round trip)', async () => {
			const r = await audit(s, { pageSize: 5 });
			expect(rows(r)).toEqual(all.slice(0, 5));
		});
	});

	describe('faults', () => {
		let s: ThreatLockerSimulator;
		beforeAll(async () => {
			s = await ThreatLockerSimulator.start({ now: clock });
			s.addAudit([{ dateTime: '2024-06-10T00:00:00Z', notes: 'base' }]);
		});
		afterAll(async () => {
			await s.stop();
		});
		beforeEach(() => {
			s.clearFaults();
			s.resetRequests();
		});
		const health = { days: 30, isLoggedIn: true, pageNumber: 1, pageSize: 10 };

		it('answers a status fault `times` times with Retry-After, then recovers', async () => {
			s.injectFault({ kind: 'status', status: 429, retryAfter: '2', times: 2 });
			const a = await audit(s);
			expect(a.status).toBe(429);
			expect(a.headers.get('retry-after')).toBe('2');
			expect(a.json).toMatchObject({ StatusCode: 429, Message: 'Too Many Requests', LoggerId: expect.any(String) });
			expect((await audit(s)).status).toBe(429);
			expect((await audit(s)).status).toBe(200);
			expect(s.requests.map((x) => x.status)).toEqual([429, 429, 200]);
		});

		it('uses a custom body and headers, and queues faults in order', async () => {
			s.injectFault({ kind: 'status', status: 503, body: 'upstream down', headers: { 'X-Test': '1' } });
			s.injectFault({ kind: 'status', status: 500, body: { Message: 'boom' } });
			const a = await audit(s);
			expect(a).toMatchObject({ status: 503, text: 'upstream down' });
			expect(a.headers.get('x-test')).toBe('1');
			const b = await audit(s);
			expect(b).toMatchObject({ status: 500, json: { Message: 'boom' } });
			expect((await audit(s)).status).toBe(200);
		});

		it('targets an endpoint', async () => {
			s.injectFault({ kind: 'status', status: 500, endpoint: 'health' });
			expect((await audit(s)).status).toBe(200);
			expect((await post(s, HEALTH_PATH, health)).status).toBe(500);
			expect((await post(s, HEALTH_PATH, health)).status).toBe(200);
		});

		it('delays', async () => {
			// Timing is the benchmarks' business; here: a delayed answer is still the normal answer.
			s.injectFault({ kind: 'delay', ms: 300 });
			const r = await audit(s);
			expect(r.status).toBe(200);
			expect(s.requests[s.requests.length - 1].status).toBe(200);
		});

		it('resets the connection without answering', async () => {
			s.injectFault({ kind: 'reset' });
			await expect(audit(s)).rejects.toThrow();
			expect(s.requests[0]).toMatchObject({ endpoint: 'audit', status: 0 });
			expect((await audit(s)).status).toBe(200);
		});

		it('inserts records just before the Nth request', async () => {
			s.injectFault({ kind: 'insert', beforeRequest: 2, audit: [{ dateTime: '2024-06-10T00:00:00Z', notes: 'inserted' }] });
			s.injectFault({ kind: 'status', status: 500 });
			expect((await audit(s)).status).toBe(500);
			const r = await audit(s);
			expect(rows(r).map((x) => x.notes)).toEqual(['inserted', 'base']);
		});

		it('inserts login attempts too', async () => {
			s.injectFault({ kind: 'insert', beforeRequest: 1, logins: [{ dateTime: '2024-06-15T11:00:00Z', effectiveAction: 'Permitted', emailAddress: 'new@acme.com' }] });
			const r = await post(s, HEALTH_PATH, { ...health, searchText: 'new@acme' });
			expect((r.json as unknown[]).length).toBe(1);
		});

		it('logs every request with endpoint, headers, body and status', async () => {
			await audit(s, { details: 'x' }, { managedOrganizationId: s.organizations[1].id });
			await post(s, HEALTH_PATH, health);
			await post(s, '/elsewhere', {});
			expect(s.requests).toHaveLength(3);
			expect(s.requests[0]).toMatchObject({ endpoint: 'audit', status: 200, body: { details: 'x' } });
			expect(s.requests[0].headers.managedorganizationid).toBe(s.organizations[1].id);
			expect(s.requests[0].headers.authorization).toBe(s.apiKey);
			expect(s.requests.map((x) => x.endpoint)).toEqual(['audit', 'health', 'other']);
			expect(s.requestTotal).toBe(3);
		});

		it('audits its own reads when selfAudit is on', async () => {
			await withSim({ selfAudit: true }, async (x) => {
				await audit(x);
				const [rec] = rows(await audit(x));
				expect(rec).toMatchObject({ action: 'Read', emailAddress: 'portal-api@acme-msp.com', dateTime: '2024-06-15T12:00:00Z' });
			});
		});

		it('clears faults', async () => {
			s.injectFault({ kind: 'status', status: 500, times: 5 });
			s.clearFaults();
			expect((await audit(s)).status).toBe(200);
		});
	});

	describe('Health Center', () => {
		let s: ThreatLockerSimulator;
		beforeAll(async () => {
			s = await ThreatLockerSimulator.start({ now: clock });
			const [, a] = s.organizations;
			s.addLogins([
				{ emailAddress: 'ok.today@acme.com', effectiveAction: 'Permitted', dateTime: '2024-06-15T08:00:00Z', country: 'United States', region: 'Florida', city: 'Orlando', ipAddress: '203.0.113.9' },
				{ emailAddress: 'bad.today@acme.com', effectiveAction: 'Denied', dateTime: '2024-06-15T09:00:00Z', country: 'Germany', region: 'Bavaria', city: 'Munich', ipAddress: '198.51.100.3' },
				{ emailAddress: 'ok.start@acme.com', effectiveAction: 'Permitted', dateTime: '2024-06-13T00:00:00Z', country: 'Canada', region: 'Ontario', city: 'Toronto' },
				{ emailAddress: 'ok.before@acme.com', effectiveAction: 'Permitted', dateTime: '2024-06-12T23:59:59Z' },
				{ emailAddress: 'ok.future@acme.com', effectiveAction: 'Permitted', dateTime: '2024-06-15T12:00:01Z' },
				{ emailAddress: 'ok.child@globex.com', effectiveAction: 'Permitted', dateTime: '2024-06-15T07:00:00Z', organizationId: a.id },
			]);
		});
		afterAll(async () => {
			await s.stop();
		});
		const emails = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string[]> => {
			const r = await post(s, HEALTH_PATH, { pageNumber: 1, pageSize: 50, ...body }, headers);
			expect(r.status).toBe(200);
			return (r.json as Array<{ emailAddress: string }>).map((x) => x.emailAddress);
		};

		it('covers from the start of the UTC day (days-1) ago up to now', async () => {
			expect(await emails({ days: 1, isLoggedIn: true })).toEqual(['ok.today@acme.com']);
			expect(await emails({ days: 3, isLoggedIn: true })).toEqual(['ok.today@acme.com', 'ok.start@acme.com']);
			expect(await emails({ days: 4, isLoggedIn: true })).toEqual(['ok.today@acme.com', 'ok.start@acme.com', 'ok.before@acme.com']);
		});

		it('selects denied attempts with isLoggedIn false', async () => {
			expect(await emails({ days: 30, isLoggedIn: false })).toEqual(['bad.today@acme.com']);
		});

		it('searches email, IP, country, region and city; ignores lat/long', async () => {
			expect(await emails({ days: 30, isLoggedIn: true, searchText: 'OK.START' })).toEqual(['ok.start@acme.com']);
			expect(await emails({ days: 30, isLoggedIn: true, searchText: '203.0.113' })).toEqual(['ok.today@acme.com']);
			expect(await emails({ days: 30, isLoggedIn: true, searchText: 'canada' })).toEqual(['ok.start@acme.com']);
			expect(await emails({ days: 30, isLoggedIn: false, searchText: 'Bavaria' })).toEqual(['bad.today@acme.com']);
			expect(await emails({ days: 30, isLoggedIn: true, searchText: 'Orlando' })).toEqual(['ok.today@acme.com']);
			expect(await emails({ days: 30, isLoggedIn: true, searchText: 'lat:40.7&long:-74.0' })).toHaveLength(3);
		});

		it('scopes to the managed organization only', async () => {
			expect(await emails({ days: 30, isLoggedIn: true }, { managedOrganizationId: s.organizations[1].id })).toEqual(['ok.child@globex.com']);
		});

		it('validates days', async () => {
			for (const days of [0, -1, 1.5, '7', undefined]) {
				expect((await post(s, HEALTH_PATH, { days, isLoggedIn: true, pageNumber: 1, pageSize: 10 })).status).toBe(400);
			}
		});

		it('pages with the same Pagination rules', async () => {
			await withSim({}, async (x) => {
				x.generateLogins(300, { start: new Date('2024-06-10T00:00:00Z'), end: NOW });
				const permitted = x.loginRecords().filter((l) => l.effectiveAction === 'Permitted');
				const r = await post(x, HEALTH_PATH, { days: 30, isLoggedIn: true, pageNumber: 2, pageSize: 10 });
				expect(pagination(r)).toMatchObject({ currentPage: 2, totalItems: permitted.length });
				expect((r.json as Array<{ systemAuditId: string }>).map((l) => l.systemAuditId)).toEqual(permitted.slice(10, 20).map((l) => l.systemAuditId));
				expect((await post(x, HEALTH_PATH, { days: 30, isLoggedIn: true, pageNumber: 11, pageSize: 10 })).status).toBe(400);
				const p10 = pagination(await post(x, HEALTH_PATH, { days: 30, isLoggedIn: true, pageNumber: 10, pageSize: 5 }));
				const deep = await post(x, HEALTH_PATH, { days: 30, isLoggedIn: true, pageNumber: 11, pageSize: 5, afterKeys: p10.afterKeyLookup });
				expect((deep.json as Array<{ systemAuditId: string }>).map((l) => l.systemAuditId)).toEqual(permitted.slice(50, 55).map((l) => l.systemAuditId));
			});
		});
	});

	describe('generated data', () => {
		it('is deterministic for a seed and realistic in size and shape', async () => {
			const a = await ThreatLockerSimulator.start({ now: clock, seed: 42 });
			const b = await ThreatLockerSimulator.start({ now: clock, seed: 42 });
			try {
				const ra = a.generateAudit(2000);
				const rb = b.generateAudit(2000);
				expect(ra).toEqual(rb);
				expect(a.organizations).toEqual(b.organizations);
				const sizes = ra.map((r) => JSON.stringify(r).length);
				const avg = sizes.reduce((x, y) => x + y, 0) / sizes.length;
				expect(avg).toBeGreaterThanOrEqual(600);
				expect(avg).toBeLessThanOrEqual(1000);
				expect(Math.min(...sizes)).toBeGreaterThan(450);
				expect(Math.max(...sizes)).toBeLessThan(1200);
				const weekAgo = NOW.getTime() - 7 * 86_400_000;
				for (const r of ra) {
					expect(r.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
					expect(Date.parse(r.dateTime)).toBeGreaterThanOrEqual(weekAgo);
					expect(Date.parse(r.dateTime)).toBeLessThanOrEqual(NOW.getTime());
					expect(['Create', 'Delete', 'Logon', 'Logoff', 'Modify', 'Read']).toContain(r.action);
					expect(['Permitted', 'Denied']).toContain(r.effectiveAction);
					expect(r.systemAuditId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
					expect(r.organizationId).toBe(a.organizations[0].id);
					expect(r.details).toMatchObject({ page: expect.any(String), function: expect.any(String), objectId: expect.any(String), details: expect.any(String) });
				}
				expect(new Set(ra.map((r) => r.action)).size).toBe(6);
			} finally {
				await a.stop();
				await b.stop();
			}
		});

		it('honours nullIdEvery, sameSecondBurst, window and organizationId', async () => {
			await withSim({}, async (s) => {
				const child = s.organizations[2];
				const start = new Date('2024-06-01T00:00:00Z');
				const end = new Date('2024-06-02T00:00:00Z');
				const recs = s.generateAudit(100, { start, end, organizationId: child.id, nullIdEvery: 10, sameSecondBurst: 5 });
				expect(recs.filter((r) => r.systemAuditId === null)).toHaveLength(10);
				expect(recs[9].systemAuditId).toBeNull();
				for (let g = 0; g < 100; g += 5) expect(new Set(recs.slice(g, g + 5).map((r) => r.dateTime)).size).toBe(1);
				expect(recs.every((r) => r.organizationId === child.id && r.organizationName === child.name)).toBe(true);
				expect(recs.every((r) => Date.parse(r.dateTime) >= start.getTime() && Date.parse(r.dateTime) <= end.getTime())).toBe(true);
				const logins = s.generateLogins(50, { start, end });
				expect(logins.every((l) => l.country && l.city && (l.effectiveAction === 'Permitted' || l.effectiveAction === 'Denied'))).toBe(true);
			});
		});

		it('keeps explicit nulls, fills the rest, and returns frozen stored records', async () => {
			await withSim({}, async (s) => {
				const [rec] = s.addAudit([{ systemAuditId: null, details: null, emailAddress: null }]);
				expect(rec).toMatchObject({ systemAuditId: null, details: null, emailAddress: null, organizationId: s.organizations[0].id });
				expect(rec.dateTime).toBe('2024-06-15T12:00:00Z');
				expect(Object.isFrozen(rec)).toBe(true);
				// auditRecords() hands out mutable copies.
				const copy = s.auditRecords()[0];
				copy.notes = 'changed';
				expect(s.auditRecords()[0].notes).not.toBe('changed');
				expect(() => s.addAudit([{ dateTime: 'garbage' }])).toThrow();
			});
		});
	});

	describe('volume', () => {
		it('stores 200k records and walks a full window past page 10', async () => {
			await withSim({}, async (s) => {
				s.generateAudit(200_000, { start: new Date('2024-05-16T00:00:00Z'), end: new Date('2024-06-15T00:00:00Z'), sameSecondBurst: 3 });

				const pageSize = 5000;
				const afterKeys: Record<string, unknown> = {};
				const seen = new Set<string | null>();
				let count = 0;
				for (let page = 1; ; page++) {
					const r = await audit(s, { startDate: '2024-05-01T00:00:00Z', endDate: '2024-06-30T00:00:00Z', pageNumber: page, pageSize, afterKeys: page > 10 ? afterKeys : undefined });
					expect(r.status).toBe(200);
					const list = rows(r);
					if (list.length === 0) break;
					const p = pagination(r);
					Object.assign(afterKeys, p.afterKeyLookup);
					count += list.length;
					for (const x of list) seen.add(x.systemAuditId);
					if (page >= p.totalPages) break;
				}
				expect(count).toBe(200_000);
				expect(seen.size).toBe(200_000);

				s.addAudit([{ dateTime: '2024-06-01T00:00:00Z' }]);
				s.generateAudit(1000);
				expect(s.auditRecords()).toHaveLength(201_001);
			});
		});
	});
});
