/**
 * ThreatLocker portal API simulator: a real HTTP server (node:http) on 127.0.0.1 that answers
 * the two SystemAudit endpoints the package uses, following /work/shared/spec. Used by unit tests,
 * benchmarks (100k+ records) and the demo.
 *
 * Design notes:
 * - Records live in a store kept sorted newest-first by (epochMs, insertion seq); every record is
 *   serialized once on insert, so a page body is a join of ready-made strings.
 * - The date window is found by binary search; only the records inside it are filtered.
 * - Beyond page 10 the server pages from an Elasticsearch-style `search_after` cursor
 *   (`afterKeys`), which is what the seed document describes.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';

import {
	Rng,
	defaultOrganizations,
	isoSeconds,
	makeAuditRecord,
	makeLoginAttempt,
	type RecordDefaults,
} from './threatlocker-data';

export type AuditDetails = {
	page: string | null;
	function: string | null;
	objectId: string;
	details: string | null;
};

export interface AuditRecord {
	systemAuditId: string | null;
	emailAddress: string | null;
	action: string | null;
	effectiveAction: string | null;
	details: AuditDetails | string | null;
	ipAddress: string | null;
	dateTime: string;
	organizationId: string;
	organizationName: string | null;
	systemAuditObjectTypeId: number | null;
	ticketNumber: string | null;
	notes: string | null;
	userId: string;
	masterViewOnly: boolean;
}

export interface LoginAttempt {
	systemAuditId: string | null;
	emailAddress: string | null;
	dateTime: string;
	effectiveAction: 'Permitted' | 'Denied';
	ipAddress: string | null;
	organizationId: string;
	country: string | null;
	region: string | null;
	city: string | null;
}

export interface Organization {
	id: string;
	name: string;
	parentId: string | null;
}

export type FaultEndpoint = 'audit' | 'health';

export type Fault =
	| {
			kind: 'status';
			status: number;
			body?: unknown;
			headers?: Record<string, string>;
			retryAfter?: string;
			times?: number;
			endpoint?: FaultEndpoint;
	  }
	| { kind: 'delay'; ms: number; times?: number; endpoint?: FaultEndpoint }
	// Destroys the socket without answering (client sees a connection reset / "other side closed").
	| { kind: 'reset'; times?: number; endpoint?: FaultEndpoint }
	// Adds records just before serving the Nth request (1-based, counted like `requests`).
	| {
			kind: 'insert';
			beforeRequest: number;
			audit?: Partial<AuditRecord>[];
			logins?: Partial<LoginAttempt>[];
	  };

export interface SimulatorOptions {
	/** Default: 64 lowercase hex chars, random. */
	apiKey?: string;
	/** Default: root "Acme MSP" + 2 children + 1 grandchild; the first root is the key's home org. */
	organizations?: Organization[];
	/** Status for a wrong or Bearer-prefixed key (default 401). */
	revokedStatus?: 401 | 403 | 440;
	/** Shape of afterKeyLookup in the Pagination header (default 'object'). */
	afterKeyLookup?: 'object' | 'absent' | 'array';
	/** 'json' (default): `Pagination` header; 'separate': totalItems/totalPages headers; 'absent': none. */
	pagination?: 'json' | 'absent' | 'separate';
	/** Body of a page with no rows (default 'array' = `[]`). */
	emptyBody?: 'array' | 'empty' | 'null';
	/** Default 'newest'. */
	order?: 'newest' | 'oldest';
	/** Clock for Health Center `days` and for default record times. */
	now?: () => Date;
	/** Seed of the data generator (default fixed), so generated data is reproducible. */
	seed?: number;
	/**
	 * How `*` in text filters behaves. 'contains' (default): always a contains-match, `*` matches
	 * anything. 'like': the OpenAPI text: with a `*` the pattern is anchored (SQL LIKE), else contains.
	 */
	textMatch?: 'contains' | 'like';
	/** When true every served audit/health request adds its own `Read` audit row, as the portal does. */
	selfAudit?: boolean;
}

export interface RequestLogEntry {
	endpoint: 'audit' | 'health' | 'other';
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
	body: unknown;
	/** Status sent; 0 when the socket was reset without an answer. */
	status: number;
}

export const AUDIT_PATH = '/portalapi/SystemAudit/SystemAuditGetByParameters';
export const HEALTH_PATH = '/portalapi/SystemAudit/SystemAuditGetForHealthCenter';
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
export const SELF_AUDIT_EMAIL = 'portal-api@acme-msp.com';

// Builtins captured once for the per-record paths: under jest every global lookup goes through
// the vm context's interceptor (measured ~20x slower in hot loops).
const { isArray } = Array;
const { freeze } = Object;
const { stringify } = JSON;
const parseDate = Date.parse;
const { isNaN: numberIsNaN } = Number;

const MAX_OFFSET_PAGE = 10;
const MAX_PAGE_SIZE = 10000;
const DAY_MS = 86_400_000;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Second precision as documented; fractional seconds (`.000Z`) accepted, up to .NET's 7 digits.
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?Z$/;

/** A stored record with its sort key and its JSON, computed once at insert. */
interface Entry<T> {
	rec: T;
	ms: number;
	seq: number;
	json: string;
	/** Interned organizationId (see orgIndex): scoping by array lookup, not string compares. */
	org: number;
}

/** Sort key [epochMs, seq]: the Elasticsearch-style `search_after` values of a record. */
type Cursor = [number, number];

/** Newest first: dateTime descending, then later insert first. */
function newerFirst<T>(a: Entry<T>, b: Entry<T>): number {
	return b.ms - a.ms || b.seq - a.seq;
}

/** Sorted store: binary-search inserts for small batches, sort+merge for bulk (no O(n^2)). */
class SortedStore<T> {
	entries: Entry<T>[] = [];

	add(batch: Entry<T>[]): void {
		if (batch.length === 0) return;
		if (batch.length <= 32) {
			// New entries carry the highest seq, so they go before older entries of the same second.
			for (const e of batch) this.entries.splice(this.firstIndex((x) => x.ms <= e.ms), 0, e);
			return;
		}
		batch.sort(newerFirst);
		const old = this.entries;
		const merged: Entry<T>[] = new Array<Entry<T>>(old.length + batch.length);
		let i = 0;
		let j = 0;
		let k = 0;
		while (i < old.length && j < batch.length) {
			merged[k++] = newerFirst(old[i], batch[j]) <= 0 ? old[i++] : batch[j++];
		}
		while (i < old.length) merged[k++] = old[i++];
		while (j < batch.length) merged[k++] = batch[j++];
		this.entries = merged;
	}

	/** First index whose entry satisfies a predicate that is monotone over the order. */
	firstIndex(pred: (e: Entry<T>) => boolean): number {
		let lo = 0;
		let hi = this.entries.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (pred(this.entries[mid])) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}

	/** Entries with startMs <= ms <= endMs, newest first (a contiguous slice). */
	range(startMs: number, endMs: number): Entry<T>[] {
		const lo = this.firstIndex((e) => e.ms <= endMs);
		const hi = this.firstIndex((e) => e.ms < startMs);
		return this.entries.slice(lo, Math.max(lo, hi));
	}
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
	) {
		super(`HTTP ${status}`);
	}
}

/** The `{LoggerId, StatusCode, Message}` error body ThreatLocker uses. */
export function tlError(status: number, message: string): { LoggerId: string; StatusCode: number; Message: string } {
	return { LoggerId: randomUUID(), StatusCode: status, Message: message };
}

function badRequest(message: string): HttpError {
	return new HttpError(400, tlError(400, message));
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
	return typeof v === 'object' && v !== null && !isArray(v);
}

/** Returns epoch ms, or null when the text is not a valid UTC date in the documented format. */
export function parseUtc(v: unknown): number | null {
	if (typeof v !== 'string') return null;
	const m = DATE_RE.exec(v);
	if (!m) return null;
	const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
	const frac = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
	const ms = Date.UTC(y, mo - 1, d, h, mi, s, frac);
	const dt = new Date(ms);
	// Date.UTC rolls Feb 30 into March; reject instead, as a strict parser would.
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
	if (h > 23 || mi > 59 || s > 59) return null;
	return ms;
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstHeader(v: string | string[] | undefined): string | undefined {
	return Array.isArray(v) ? v[0] : v;
}

function copyAudit(r: AuditRecord): AuditRecord {
	return { ...r, details: isObject(r.details) ? { ...(r.details as AuditDetails) } : r.details };
}

/** Stored records are handed out frozen: their JSON is cached, so a mutation would be silently ignored. */
function freezeAudit(r: AuditRecord): AuditRecord {
	if (isObject(r.details)) freeze(r.details);
	return freeze(r);
}

export class ThreatLockerSimulator {
	readonly apiKey: string;
	readonly organizations: Organization[];
	readonly requests: RequestLogEntry[] = [];
	options: SimulatorOptions;
	private _baseUrl = '';

	private readonly server: http.Server;
	private readonly rng: Rng;
	private readonly audit = new SortedStore<AuditRecord>();
	private readonly logins = new SortedStore<LoginAttempt>();
	private seq = 0;
	private requestCount = 0;
	private faults: Array<Exclude<Fault, { kind: 'insert' }> & { remaining: number }> = [];
	private inserts: Array<Extract<Fault, { kind: 'insert' }>> = [];
	private readonly homeOrg: Organization;
	/** Lower-cased org id -> itself and all descendants (lower-cased). */
	private readonly subtree = new Map<string, string[]>();
	private readonly orgById = new Map<string, Organization>();
	private readonly orgIndexes = new Map<string, number>();
	private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	private stopped = false;

	private constructor(options: SimulatorOptions) {
		this.options = options;
		this.rng = new Rng(options.seed ?? 0x7153a11d);
		this.apiKey = options.apiKey ?? randomBytes(32).toString('hex');
		this.organizations = (options.organizations ?? defaultOrganizations(this.rng)).map((o) => ({ ...o }));
		const home = this.organizations.find((o) => o.parentId === null);
		if (!home) throw new Error('organizations need at least one root (parentId null)');
		this.homeOrg = home;
		for (const o of this.organizations) {
			this.orgById.set(o.id.toLowerCase(), o);
			this.orgIndex(o.id);
		}
		for (const o of this.organizations) this.subtree.set(o.id.toLowerCase(), this.descendants(o.id));
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((err: unknown) => {
				// Last resort: an internal bug should surface as a 500, not a hung client.
				if (!res.headersSent && !res.destroyed) {
					res.statusCode = 500;
					res.setHeader('Content-Type', 'application/json; charset=utf-8');
					res.end(JSON.stringify(tlError(500, err instanceof Error ? err.message : String(err))));
				}
			});
		});
	}

	static async start(options: SimulatorOptions = {}): Promise<ThreatLockerSimulator> {
		const sim = new ThreatLockerSimulator(options);
		await new Promise<void>((resolve, reject) => {
			sim.server.once('error', reject);
			sim.server.listen(0, '127.0.0.1', () => resolve());
		});
		const { port } = sim.server.address() as AddressInfo;
		sim._baseUrl = `http://127.0.0.1:${port}`;
		return sim;
	}

	get baseUrl(): string {
		return this._baseUrl;
	}

	/** The key's home organization (first root). */
	get homeOrganization(): Organization {
		return this.homeOrg;
	}

	/** Number of requests received since start (or since resetRequests). */
	get requestTotal(): number {
		return this.requestCount;
	}

	/** Clears the request log and the counter that `insert` faults use. */
	resetRequests(): void {
		this.requests.length = 0;
		this.requestCount = 0;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		for (const t of this.timers) {
			clearTimeout(t.timer);
			t.resolve();
		}
		this.timers.clear();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			// Keep-alive sockets from fetch would otherwise hold close() open.
			this.server.closeAllConnections();
		});
	}

	// ---------------------------------------------------------------- data

	addAudit(records: Partial<AuditRecord>[]): AuditRecord[] {
		const nowMs = this.nowMs();
		const built = records.map((p) => makeAuditRecord(this.rng, p, this.defaultsFor(p.organizationId, nowMs)));
		this.storeAudit(built);
		return built;
	}

	addLogins(records: Partial<LoginAttempt>[]): LoginAttempt[] {
		const nowMs = this.nowMs();
		const built = records.map((p) => makeLoginAttempt(this.rng, p, this.defaultsFor(p.organizationId, nowMs)));
		this.storeLogins(built);
		return built;
	}

	generateAudit(
		count: number,
		opts: { start?: Date; end?: Date; organizationId?: string; nullIdEvery?: number; sameSecondBurst?: number } = {},
	): AuditRecord[] {
		const [startMs, endMs] = this.window(opts.start, opts.end);
		const defaults = this.defaultsFor(opts.organizationId, endMs);
		const burst = Math.max(1, opts.sameSecondBurst ?? 1);
		const built: AuditRecord[] = new Array<AuditRecord>(count);
		let ms = startMs;
		for (let i = 0; i < count; i++) {
			if (i % burst === 0) ms = this.randomSecond(startMs, endMs);
			const partial: Partial<AuditRecord> = {};
			if (opts.nullIdEvery && (i + 1) % opts.nullIdEvery === 0) partial.systemAuditId = null;
			built[i] = makeAuditRecord(this.rng, partial, { ...defaults, dateMs: ms });
		}
		this.storeAudit(built);
		return built;
	}

	generateLogins(count: number, opts: { start?: Date; end?: Date; organizationId?: string } = {}): LoginAttempt[] {
		const [startMs, endMs] = this.window(opts.start, opts.end);
		const defaults = this.defaultsFor(opts.organizationId, endMs);
		const built: LoginAttempt[] = new Array<LoginAttempt>(count);
		for (let i = 0; i < count; i++) {
			built[i] = makeLoginAttempt(this.rng, {}, { ...defaults, dateMs: this.randomSecond(startMs, endMs) });
		}
		this.storeLogins(built);
		return built;
	}

	/** Everything stored, newest first (copies). */
	auditRecords(): AuditRecord[] {
		return this.audit.entries.map((e) => copyAudit(e.rec));
	}

	/** Everything stored, newest first (copies). */
	loginRecords(): LoginAttempt[] {
		return this.logins.entries.map((e) => ({ ...e.rec }));
	}

	// -------------------------------------------------------------- faults

	injectFault(fault: Fault): void {
		if (fault.kind === 'insert') this.inserts.push(fault);
		else this.faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	clearFaults(): void {
		this.faults = [];
		this.inserts = [];
	}

	// ------------------------------------------------------------- private

	private nowMs(): number {
		return (this.options.now?.() ?? new Date()).getTime();
	}

	private window(start?: Date, end?: Date): [number, number] {
		const endMs = end ? end.getTime() : this.nowMs();
		const startMs = start ? start.getTime() : endMs - 7 * DAY_MS;
		if (!(startMs <= endMs)) throw new Error('start must not be after end');
		return [startMs, endMs];
	}

	private randomSecond(startMs: number, endMs: number): number {
		const lo = Math.ceil(startMs / 1000);
		const hi = Math.floor(endMs / 1000);
		return (hi < lo ? lo : this.rng.int(lo, hi)) * 1000;
	}

	private defaultsFor(orgId: string | undefined, dateMs: number): RecordDefaults {
		const org = orgId === undefined ? this.homeOrg : this.orgById.get(orgId.toLowerCase());
		return { dateMs, orgId: org?.id ?? (orgId as string), orgName: org ? org.name : null };
	}

	/** Small integer for an organization id (any case); records of unknown orgs get their own. */
	private orgIndex(id: string): number {
		const key = `${id}`.toLowerCase();
		let i = this.orgIndexes.get(key);
		if (i === undefined) {
			i = this.orgIndexes.size;
			this.orgIndexes.set(key, i);
		}
		return i;
	}

	/** Membership table indexed by interned org id. */
	private orgMask(ids: readonly string[]): boolean[] {
		const mask = new Array<boolean>(this.orgIndexes.size).fill(false);
		for (const id of ids) {
			const i = this.orgIndexes.get(id);
			if (i !== undefined) mask[i] = true;
		}
		return mask;
	}

	private descendants(id: string): string[] {
		const out = [id.toLowerCase()];
		for (let i = 0; i < out.length; i++) {
			for (const o of this.organizations) {
				if (o.parentId !== null && o.parentId.toLowerCase() === out[i] && !out.includes(o.id.toLowerCase())) {
					out.push(o.id.toLowerCase());
				}
			}
		}
		return out;
	}

	private entry<T extends { dateTime: string; organizationId: string }>(rec: T): Entry<T> {
		const ms = parseDate(rec.dateTime);
		if (numberIsNaN(ms)) throw new Error(`invalid dateTime ${stringify(rec.dateTime)}`);
		return { rec, ms, seq: ++this.seq, json: stringify(rec), org: this.orgIndex(rec.organizationId) };
	}

	private storeAudit(records: AuditRecord[]): void {
		this.audit.add(records.map((r) => this.entry(freezeAudit(r))));
	}

	private storeLogins(records: LoginAttempt[]): void {
		this.logins.add(records.map((r) => this.entry(freeze(r))));
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = {
				timer: setTimeout(() => {
					this.timers.delete(t);
					resolve();
				}, ms),
				resolve,
			};
			this.timers.add(t);
		});
	}

	private takeFault(endpoint: RequestLogEntry['endpoint']): Exclude<Fault, { kind: 'insert' }> | undefined {
		const i = this.faults.findIndex((f) => (f.endpoint === undefined ? endpoint !== 'other' : f.endpoint === endpoint));
		if (i < 0) return undefined;
		const f = this.faults[i];
		if (--f.remaining <= 0) this.faults.splice(i, 1);
		return f;
	}

	private applyInserts(n: number): void {
		// `<=` so a fault injected for an already-passed request number still fires (on the next one).
		const due = this.inserts.filter((f) => f.beforeRequest <= n);
		if (due.length === 0) return;
		this.inserts = this.inserts.filter((f) => f.beforeRequest > n);
		for (const f of due) {
			if (f.audit) this.addAudit(f.audit);
			if (f.logins) this.addLogins(f.logins);
		}
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');

		const n = ++this.requestCount;
		const endpoint = classify(req.method, req.url);
		let parsed: unknown;
		let jsonOk = false;
		try {
			parsed = JSON.parse(raw);
			jsonOk = true;
		} catch {
			parsed = undefined;
		}
		const log: RequestLogEntry = {
			endpoint,
			headers: { ...req.headers },
			body: jsonOk ? parsed : raw === '' ? undefined : raw,
			status: 0,
		};
		this.requests.push(log);
		this.applyInserts(n);

		const fault = this.takeFault(endpoint);
		if (fault?.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'status') {
			const headers: Record<string, string> = { ...fault.headers };
			if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
			const body =
				fault.body === undefined
					? JSON.stringify(tlError(fault.status, http.STATUS_CODES[fault.status] ?? 'Error'))
					: typeof fault.body === 'string'
						? fault.body
						: JSON.stringify(fault.body);
			this.send(res, log, { status: fault.status, headers, body });
			return;
		}
		if (fault?.kind === 'delay') await this.sleep(fault.ms);
		if (this.stopped) return;

		let reply: Reply;
		try {
			reply = this.route(endpoint, req.headers, jsonOk, parsed);
		} catch (err) {
			if (!(err instanceof HttpError)) throw err;
			reply = { status: err.status, headers: {}, body: JSON.stringify(err.body) };
		}
		this.send(res, log, reply);
		if (this.options.selfAudit && reply.status === 200 && endpoint !== 'other') {
			this.addAudit([
				{
					emailAddress: SELF_AUDIT_EMAIL,
					action: 'Read',
					effectiveAction: 'Permitted',
					details: {
						page: endpoint === 'audit' ? 'System Audit' : 'Health Center',
						function: 'View Page',
						objectId: this.homeOrg.id,
						details: `Viewed ${endpoint === 'audit' ? 'System Audit' : 'Health Center login attempts'} via portal API`,
					},
					dateTime: isoSeconds(this.nowMs()),
					ipAddress: req.socket.remoteAddress ?? null,
				},
			]);
		}
	}

	private send(res: http.ServerResponse, log: RequestLogEntry, reply: Reply): void {
		log.status = reply.status;
		if (res.destroyed) return;
		res.statusCode = reply.status;
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
		res.end(reply.body);
	}

	private route(
		endpoint: RequestLogEntry['endpoint'],
		headers: http.IncomingHttpHeaders,
		jsonOk: boolean,
		parsed: unknown,
	): Reply {
		if (endpoint === 'other') throw new HttpError(404, tlError(404, 'Not Found'));
		this.authenticate(headers);
		if (!jsonOk || !isObject(parsed)) throw badRequest('The request body must be a JSON object.');
		const body = lowerKeys(parsed);
		const org = this.resolveOrg(headers);
		return endpoint === 'audit' ? this.queryAudit(body, org) : this.queryHealth(body, org);
	}

	private authenticate(headers: http.IncomingHttpHeaders): void {
		const auth = firstHeader(headers.authorization);
		if (auth === undefined || auth === '') {
			throw new HttpError(401, tlError(401, 'Authorization header is required'));
		}
		// Exact match only: `Bearer <key>` is the classic client bug and must fail like a revoked key.
		if (auth !== this.apiKey) {
			throw new HttpError(this.options.revokedStatus ?? 401, { message: 'Unauthorized', error: 'TOKEN_REVOKED' });
		}
	}

	/** Lower-cased id of the organization the request acts on. */
	private resolveOrg(headers: http.IncomingHttpHeaders): string {
		// Node lower-cases header names, so any spelling's case works as on the real API.
		const raw = firstHeader(headers.overridemanagedorganizationid) ?? firstHeader(headers.managedorganizationid);
		const value = raw?.trim();
		if (!value) return this.homeOrg.id.toLowerCase();
		if (!GUID_RE.test(value)) throw badRequest('managedOrganizationId is not a valid GUID');
		const id = value.toLowerCase();
		const visible = this.subtree.get(this.homeOrg.id.toLowerCase()) ?? [];
		if (!visible.includes(id)) throw new HttpError(403, tlError(403, 'You do not have access to this organization'));
		return id;
	}

	private textMatcher(value: unknown, field: string): RegExp | null {
		if (value === undefined || value === null || value === '') return null;
		if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
		const pattern = value.split('*').map(escapeRegExp).join('.*');
		const anchored = this.options.textMatch === 'like' && value.includes('*');
		return new RegExp(anchored ? `^${pattern}$` : pattern, 'is');
	}

	private paging(body: JsonObject): { pageNumber: number; pageSize: number } {
		const { pagenumber: pageNumber, pagesize: pageSize } = body;
		if (typeof pageNumber !== 'number' || !Number.isInteger(pageNumber) || pageNumber < 1) {
			throw badRequest('pageNumber must be an integer >= 1');
		}
		if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw badRequest(`pageSize must be an integer between 1 and ${MAX_PAGE_SIZE}`);
		}
		return { pageNumber, pageSize };
	}

	private queryAudit(body: JsonObject, org: string): Reply {
		const startMs = parseUtc(body.startdate);
		const endMs = parseUtc(body.enddate);
		if (body.startdate === undefined || body.startdate === null) throw badRequest('The startDate field is required.');
		if (body.enddate === undefined || body.enddate === null) throw badRequest('The endDate field is required.');
		if (startMs === null) throw badRequest('startDate must be a UTC date in format YYYY-MM-DDTHH:MM:SSZ');
		if (endMs === null) throw badRequest('endDate must be a UTC date in format YYYY-MM-DDTHH:MM:SSZ');
		if (startMs > endMs) throw new HttpError(417, tlError(417, 'Invalid Date Range'));
		const { pageNumber, pageSize } = this.paging(body);

		const vco = body.viewchildorganizations;
		if (vco !== undefined && vco !== null && typeof vco !== 'boolean') {
			throw badRequest('viewChildOrganizations must be a boolean');
		}
		const orgs = this.orgMask(vco === true ? (this.subtree.get(org) ?? [org]) : [org]);

		let actions: Set<string> | null = null;
		if (body.actions !== undefined && body.actions !== null) {
			if (!Array.isArray(body.actions) || !body.actions.every((a) => typeof a === 'string')) {
				throw badRequest('actions must be an array of strings');
			}
			if (body.actions.length > 0) actions = new Set(body.actions as string[]);
		}
		const details = this.textMatcher(body.details, 'details');
		const email = this.textMatcher(body.emailaddress, 'emailAddress');
		// iPAddress and ipAddress fold to the same lower-case key (JSON binding is case-insensitive).
		const ip = this.textMatcher(body.ipaddress, 'iPAddress');
		const effective = this.textMatcher(body.effectiveaction, 'effectiveAction');
		let objectId: string | null = null;
		if (body.objectid !== undefined && body.objectid !== null && body.objectid !== '') {
			if (typeof body.objectid !== 'string' || !GUID_RE.test(body.objectid)) {
				throw badRequest('objectId is not a valid GUID');
			}
			if (body.objectid !== ZERO_GUID) objectId = body.objectid.toLowerCase();
		}
		const objectOrg = objectId === null ? -1 : (this.orgIndexes.get(objectId) ?? -1);

		const rows = this.audit.range(startMs, endMs).filter((e) => {
			if (!orgs[e.org]) return false;
			const r = e.rec;
			if (actions && (r.action === null || !actions.has(r.action))) return false;
			if (email && (r.emailAddress === null || !email.test(r.emailAddress))) return false;
			if (ip && (r.ipAddress === null || !ip.test(r.ipAddress))) return false;
			if (effective && (r.effectiveAction === null || !effective.test(r.effectiveAction))) return false;
			if (details) {
				const text = isObject(r.details) ? (r.details as AuditDetails).details : r.details;
				if (typeof text !== 'string' || !details.test(text)) return false;
			}
			if (objectId) {
				const detailObj = isObject(r.details) ? `${(r.details as AuditDetails).objectId}`.toLowerCase() : null;
				if (detailObj !== objectId && e.org !== objectOrg) return false;
			}
			return true;
		});
		return this.page(rows, pageNumber, pageSize, body.afterkeys);
	}

	private queryHealth(body: JsonObject, org: string): Reply {
		const days = body.days;
		if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
			throw badRequest('days must be an integer >= 1');
		}
		const loggedIn = body.isloggedin;
		if (loggedIn !== undefined && loggedIn !== null && typeof loggedIn !== 'boolean') {
			throw badRequest('isLoggedIn must be a boolean');
		}
		const { pageNumber, pageSize } = this.paging(body);
		const wanted = loggedIn === true ? 'Permitted' : 'Denied';
		// Geo search (`lat:..&long:..`) is not simulated: treated as no text filter.
		const isGeo = typeof body.searchtext === 'string' && /^\s*lat:.*&\s*long:/i.test(body.searchtext);
		const search = isGeo ? null : this.textMatcher(body.searchtext, 'searchText');

		const nowMs = this.nowMs();
		const startOfToday = Math.floor(nowMs / DAY_MS) * DAY_MS;
		const startMs = startOfToday - (days - 1) * DAY_MS;
		const orgIdx = this.orgIndexes.get(org) ?? -1;
		const rows = this.logins.range(startMs, nowMs).filter((e) => {
			if (e.org !== orgIdx || e.rec.effectiveAction !== wanted) return false;
			if (!search) return true;
			const r = e.rec;
			return [r.emailAddress, r.ipAddress, r.country, r.region, r.city].some(
				(v) => typeof v === 'string' && search.test(v),
			);
		});
		return this.page(rows, pageNumber, pageSize, body.afterkeys);
	}

	/** Pages a filtered, newest-first list; shared by both endpoints. */
	private page<T>(rows: Entry<T>[], pageNumber: number, pageSize: number, afterKeys: unknown): Reply {
		const oldest = this.options.order === 'oldest';
		if (oldest) rows.reverse();
		const lookupMode = this.options.afterKeyLookup ?? 'object';

		let start: number;
		if (pageNumber <= MAX_OFFSET_PAGE) {
			start = (pageNumber - 1) * pageSize;
		} else {
			// Without a usable afterKeyLookup the client cannot build afterKeys: deep pages always fail.
			const base = Math.floor((pageNumber - 1) / MAX_OFFSET_PAGE) * MAX_OFFSET_PAGE;
			const cursor = lookupMode === 'object' ? readCursor(afterKeys, base) : null;
			if (!cursor) throw badRequest('afterKeys are required beyond page 10');
			const [cms, cseq] = cursor;
			// search_after: first record strictly after the cursor in serving order.
			const after = oldest
				? (e: Entry<T>) => e.ms > cms || (e.ms === cms && e.seq > cseq)
				: (e: Entry<T>) => e.ms < cms || (e.ms === cms && e.seq < cseq);
			start = firstIndexIn(rows, after) + (pageNumber - 1 - base) * pageSize;
		}
		const slice = rows.slice(start, start + pageSize);

		const headers: Record<string, string> = {};
		const mode = this.options.pagination ?? 'json';
		const total = rows.length;
		const totalPages = Math.ceil(total / pageSize);
		if (mode === 'json') {
			const last = slice[slice.length - 1];
			const info: JsonObject = {
				currentPage: pageNumber,
				itemsPerPage: pageSize,
				totalItems: total,
				totalPages,
				firstItem: slice.length ? start + 1 : 0,
				lastItem: slice.length ? start + slice.length : 0,
			};
			if (lookupMode === 'object') info.afterKeyLookup = last ? { [String(pageNumber)]: [last.ms, last.seq] } : {};
			else if (lookupMode === 'array') info.afterKeyLookup = last ? [last.ms, last.seq] : [];
			headers.Pagination = JSON.stringify(info);
		} else if (mode === 'separate') {
			headers.totalItems = String(total);
			headers.totalPages = String(totalPages);
		}

		let text: string;
		if (slice.length > 0) text = `[${slice.map((e) => e.json).join(',')}]`;
		else text = this.options.emptyBody === 'empty' ? '' : this.options.emptyBody === 'null' ? 'null' : '[]';
		return { status: 200, headers, body: text };
	}
}

function classify(method: string | undefined, url: string | undefined): RequestLogEntry['endpoint'] {
	if (method !== 'POST' || !url) return 'other';
	// ASP.NET routing is case-insensitive; the query string plays no part.
	const path = url.split('?')[0].toLowerCase();
	if (path === AUDIT_PATH.toLowerCase()) return 'audit';
	if (path === HEALTH_PATH.toLowerCase()) return 'health';
	return 'other';
}

/** JSON body binding in ASP.NET is case-insensitive: fold top-level keys once. */
function lowerKeys(o: JsonObject): JsonObject {
	const out: JsonObject = {};
	for (const [k, v] of Object.entries(o)) out[k.toLowerCase()] = v;
	return out;
}

function readCursor(afterKeys: unknown, base: number): Cursor | null {
	if (!isObject(afterKeys)) return null;
	const v = afterKeys[String(base)];
	if (!Array.isArray(v) || v.length !== 2) return null;
	const [ms, seq] = v as unknown[];
	if (typeof ms !== 'number' || typeof seq !== 'number' || !Number.isFinite(ms) || !Number.isFinite(seq)) return null;
	return [ms, seq];
}

function firstIndexIn<T>(arr: T[], pred: (x: T) => boolean): number {
	let lo = 0;
	let hi = arr.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (pred(arr[mid])) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}
