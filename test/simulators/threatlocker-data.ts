/**
 * Deterministic fake data for the ThreatLocker simulator: a seeded PRNG and pools of realistic
 * values (portal pages, functions, detail sentences, users, IPs, geo). Kept apart from the server
 * so the HTTP logic stays readable. Everything here is pure: same seed, same records.
 */
import type { AuditDetails, AuditRecord, LoginAttempt, Organization } from './threatlocker';

// Builtins captured once: under jest each global lookup goes through the vm context's interceptor,
// which made the generation loop ~20x slower than in plain node.
const { floor, imul } = Math;
const NativeDate = Date;

/** mulberry32: tiny, fast and good enough for test data; seeded so benchmarks are reproducible. */
export function mulberry32(seed: number): () => number {
	// State in a typed array: a closure `let` holding uint32 values above the Smi range allocates a
	// heap number per call under jest's vm context (measured 20x slower for bulk generation).
	const state = new Uint32Array([seed >>> 0]);
	return () => {
		state[0] += 0x6d2b79f5;
		let t = state[0];
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Rng {
	private readonly next: () => number;

	constructor(seed: number) {
		this.next = mulberry32(seed);
	}

	float(): number {
		return this.next();
	}

	/** Integer in [min, max] inclusive. */
	int(min: number, max: number): number {
		return min + floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[floor(this.next() * items.length)];
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	/** 8 hex chars from one draw; table lookups keep allocation low (GC dominates bulk generation). */
	private hex8(): string {
		const u = floor(this.next() * 4294967296);
		return BYTE_HEX[u >>> 24] + BYTE_HEX[(u >>> 16) & 255] + BYTE_HEX[(u >>> 8) & 255] + BYTE_HEX[u & 255];
	}

	hex(length: number): string {
		const parts: string[] = [];
		for (let n = 0; n < length; n += 8) parts.push(this.hex8());
		return flat(parts).slice(0, length);
	}

	/** Version-4-shaped GUID from the seeded stream (crypto.randomUUID would break determinism). */
	guid(): string {
		const a = this.hex8();
		const b = this.hex8();
		const c = this.hex8();
		const d = this.hex8();
		const variant = '89ab'[b.charCodeAt(4) & 3];
		return flat([a, '-', b.slice(0, 4), '-4', b.slice(5, 8), '-', variant, c.slice(1, 4), '-', c.slice(4), d]);
	}
}

/**
 * Joins into one flat string. Template literals build V8 cons-string trees (several hundred bytes
 * for a GUID); with 200k stored records that tripled the heap and GC time.
 */
function flat(parts: ReadonlyArray<string | number>): string {
	return parts.join('');
}

const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_v, i) => i.toString(16).padStart(2, '0'));


export const ACTIONS = ['Create', 'Delete', 'Logon', 'Logoff', 'Modify', 'Read'] as const;

const FIRST_NAMES = [
	'james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david',
	'elizabeth', 'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah',
	'carlos', 'priya', 'wei', 'fatima', 'olga', 'kenji', 'amara', 'lucas', 'sofia', 'noah',
];
const LAST_NAMES = [
	'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez',
	'martinez', 'hernandez', 'lopez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson',
	'nguyen', 'patel', 'kim', 'schmidt', 'rossi', 'okafor', 'tanaka', 'novak',
];
const DOMAINS = ['acme-msp.com', 'acmeclients.net', 'contoso-it.com', 'northwindtech.io', 'fabrikam.org'];

const POLICY_NAMES = [
	'Block PowerShell', 'Permit Microsoft Office', 'Allow Chrome Updates', 'Deny Unsigned Executables',
	'Ringfence Remote Access Tools', 'Permit Accounting Suite', 'Block USB Mass Storage',
	'Allow Zoom Client', 'Deny Script Hosts', 'Permit Adobe Reader', 'Elevate QuickBooks Installer',
];
const COMPUTERS = [
	'ACME-WS-0142', 'ACME-LT-0087', 'FIN-WS-0023', 'HR-LT-0311', 'DC01', 'SQL-PROD-02', 'RDS-HOST-01',
	'FS01', 'DEV-WS-1202', 'RECEPTION-PC', 'WAREHOUSE-KIOSK', 'CEO-LAPTOP',
];
const GROUPS = ['Workstations', 'Servers', 'Laptops', 'Domain Controllers', 'Finance', 'Developers'];
const APPS = [
	'PowerShell', 'Google Chrome', 'Microsoft Teams', 'AnyDesk', '7-Zip', 'Notepad++', 'TeamViewer',
	'Visual Studio Code', 'QuickBooks', 'Zoom', 'Python 3.12', 'Adobe Acrobat Reader DC',
];
const PORTAL_PAGES = [
	'Dashboard', 'System Audit', 'Unified Audit', 'Health Center', 'Approval Center', 'Computers',
	'Application Control Policies', 'Storage Control Policies', 'Reports', 'Organizations',
];
const BROWSERS = [
	'Chrome 126.0 on Windows 11', 'Edge 125.0 on Windows 10', 'Firefox 127.0 on macOS 14.5',
	'Safari 17.5 on macOS 14.5', 'ThreatLocker Portal API client',
];

/** Extra clauses appended to detail text so records land in the ~600-1000 byte range seen live. */
const EXTRA_CLAUSES = [
	'Change applied to {n} computers in group \'{group}\'',
	'Previous value: Permit with Ringfencing; new value: Deny with notification',
	'Request submitted from {browser}',
	'Policy order position {n2}; log action enabled; elevation disabled',
	'Ticket reference attached by approver; justification: business critical software',
	'Applies to computer \'{computer}\' and {n} other computers',
	'Hash SHA256 {hash}',
	'Session id {session}; MFA method: authenticator app',
	'Expiration set to {n2} days; notify user on block enabled',
	'Inherited from parent organization policy set \'Global Baseline\'',
];

interface Template {
	page: string;
	fn: string;
	text: string;
	objectType: number;
}

const TEMPLATES: Record<(typeof ACTIONS)[number], Template[]> = {
	Create: [
		{ page: 'Application Control', fn: 'Policy Create', text: 'Created policy \'{policy}\' for application \'{app}\' in group \'{group}\'', objectType: 3 },
		{ page: 'Approval Center', fn: 'Approve Request', text: 'Approved application request for \'{app}\' on computer \'{computer}\' and created a permit policy', objectType: 7 },
		{ page: 'Applications', fn: 'Application Create', text: 'Created custom application \'{app}\' with 3 file rules (certificate, path, hash)', objectType: 2 },
		{ page: 'Users', fn: 'User Create', text: 'Created portal user \'{email}\' with role \'Technician\' and View System Audit permission', objectType: 9 },
	],
	Delete: [
		{ page: 'Application Control', fn: 'Policy Delete', text: 'Deleted policy \'{policy}\' from group \'{group}\'', objectType: 3 },
		{ page: 'Computers', fn: 'Computer Delete', text: 'Removed computer \'{computer}\' from organization after decommission', objectType: 1 },
		{ page: 'Storage Control', fn: 'Policy Delete', text: 'Deleted storage policy \'{policy}\' applied to group \'{group}\'', objectType: 4 },
	],
	Logon: [
		{ page: 'Login', fn: 'Logon', text: 'User \'{email}\' logged on to the ThreatLocker Portal from {browser}', objectType: 9 },
		{ page: 'Login', fn: 'API Logon', text: 'API token authenticated for user \'{email}\' via portal API', objectType: 9 },
	],
	Logoff: [
		{ page: 'Login', fn: 'Logoff', text: 'User \'{email}\' logged off from the ThreatLocker Portal after {n} minutes of activity', objectType: 9 },
	],
	Modify: [
		{ page: 'Application Control', fn: 'Policy Update', text: 'Updated policy \'{policy}\' for application \'{app}\': action changed from Permit to Deny', objectType: 3 },
		{ page: 'Computers', fn: 'Maintenance Mode', text: 'Set computer \'{computer}\' to Learning mode for {n} hours', objectType: 1 },
		{ page: 'Elevation Control', fn: 'Policy Update', text: 'Updated elevation for \'{app}\' on group \'{group}\'', objectType: 5 },
		{ page: 'Organizations', fn: 'Organization Update', text: 'Modified organization settings: tamper protection enabled, uninstall password rotated', objectType: 8 },
	],
	Read: [
		{ page: 'System Audit', fn: 'View Page', text: 'Viewed page \'{portalPage}\' in the ThreatLocker Portal', objectType: 10 },
		{ page: 'Reports', fn: 'Export Report', text: 'Exported report \'Application Control Audit\' as CSV ({n} rows)', objectType: 10 },
		{ page: 'Unified Audit', fn: 'Search', text: 'Searched unified audit for computer \'{computer}\' over the last {n2} days', objectType: 10 },
	],
};

export const COUNTRIES: ReadonlyArray<{ country: string; region: string; city: string }> = [
	{ country: 'United States', region: 'Florida', city: 'Orlando' },
	{ country: 'United States', region: 'New York', city: 'New York' },
	{ country: 'United States', region: 'California', city: 'Los Angeles' },
	{ country: 'United Kingdom', region: 'England', city: 'London' },
	{ country: 'Germany', region: 'Bavaria', city: 'Munich' },
	{ country: 'Canada', region: 'Ontario', city: 'Toronto' },
	{ country: 'Australia', region: 'New South Wales', city: 'Sydney' },
	{ country: 'Brazil', region: 'Sao Paulo', city: 'Sao Paulo' },
	{ country: 'India', region: 'Karnataka', city: 'Bengaluru' },
	{ country: 'Netherlands', region: 'North Holland', city: 'Amsterdam' },
];

export function randomEmail(rng: Rng): string {
	return flat([rng.pick(FIRST_NAMES), '.', rng.pick(LAST_NAMES), '@', rng.pick(DOMAINS)]);
}

/** Mix of documentation ranges and private ranges, plus the odd IPv6 as seen in real audits. */
export function randomIp(rng: Rng): string {
	const r = rng.float();
	if (r < 0.4) return flat(['203.0.113.', rng.int(1, 254)]);
	if (r < 0.7) return flat(['198.51.100.', rng.int(1, 254)]);
	if (r < 0.95) return flat(['10.', rng.int(0, 255), '.', rng.int(0, 255), '.', rng.int(1, 254)]);
	return flat(['2001:db8::', rng.hex(4), ':', rng.hex(4)]);
}

function fill(text: string, rng: Rng, email: string): string {
	return text.replace(/\{(\w+)\}/g, (_m, key: string) => {
		switch (key) {
			case 'policy': return rng.pick(POLICY_NAMES);
			case 'app': return rng.pick(APPS);
			case 'group': return rng.pick(GROUPS);
			case 'computer': return rng.pick(COMPUTERS);
			case 'email': return email;
			case 'browser': return rng.pick(BROWSERS);
			case 'portalPage': return rng.pick(PORTAL_PAGES);
			case 'n': return `${rng.int(2, 240)}`;
			case 'n2': return `${rng.int(1, 30)}`;
			case 'hash': return rng.hex(64).toUpperCase();
			case 'session': return rng.guid();
			default: return key;
		}
	});
}

/** Second-precision UTC ISO string, the format the portal returns. */
export function isoSeconds(ms: number): string {
	return new NativeDate(floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** What the simulator resolves before building a record: time and owning organization. */
export interface RecordDefaults {
	dateMs: number;
	orgId: string;
	orgName: string | null;
}

/** One complete audit record; `partial` fields win (an explicit null stays null). */
export function makeAuditRecord(
	rng: Rng,
	partial: Partial<AuditRecord>,
	defaults: RecordDefaults,
): AuditRecord {
	const action = partial.action !== undefined ? partial.action : rng.pick(ACTIONS);
	const email = partial.emailAddress !== undefined ? partial.emailAddress : randomEmail(rng);
	let details: AuditDetails | string | null;
	let objectType: number;
	if (partial.details !== undefined) {
		details = partial.details;
		objectType = 10;
	} else {
		const pool = TEMPLATES[(action ?? 'Read') as (typeof ACTIONS)[number]] ?? TEMPLATES.Read;
		const tpl = rng.pick(pool);
		const parts = [fill(tpl.text, rng, email ?? 'unknown@acme-msp.com')];
		// 1-3 extra clauses: spreads JSON size across ~600-1000 bytes like live records.
		const extras = rng.int(1, 3);
		for (let i = 0; i < extras; i++) parts.push('. ', fill(rng.pick(EXTRA_CLAUSES), rng, email ?? ''));
		parts.push('.');
		details = { page: tpl.page, function: tpl.fn, objectId: rng.guid(), details: flat(parts) };
		objectType = tpl.objectType;
	}
	const organizationId = partial.organizationId ?? defaults.orgId;
	return {
		systemAuditId: partial.systemAuditId !== undefined ? partial.systemAuditId : rng.guid(),
		emailAddress: email,
		action,
		effectiveAction:
			partial.effectiveAction !== undefined
				? partial.effectiveAction
				: rng.chance(0.85) ? 'Permitted' : 'Denied',
		details,
		ipAddress: partial.ipAddress !== undefined ? partial.ipAddress : randomIp(rng),
		dateTime: partial.dateTime ?? isoSeconds(defaults.dateMs),
		organizationId,
		organizationName:
			partial.organizationName !== undefined ? partial.organizationName : defaults.orgName,
		systemAuditObjectTypeId:
			partial.systemAuditObjectTypeId !== undefined ? partial.systemAuditObjectTypeId : objectType,
		ticketNumber:
			partial.ticketNumber !== undefined
				? partial.ticketNumber
				: rng.chance(0.1) ? flat(['TL-', rng.int(100000, 999999)]) : null,
		notes:
			partial.notes !== undefined
				? partial.notes
				: rng.chance(0.05) ? 'Approved per change request; reviewed by security team' : null,
		userId: partial.userId ?? rng.guid(),
		masterViewOnly: partial.masterViewOnly ?? rng.chance(0.02),
	};
}

export function makeLoginAttempt(
	rng: Rng,
	partial: Partial<LoginAttempt>,
	defaults: RecordDefaults,
): LoginAttempt {
	const geo = rng.pick(COUNTRIES);
	return {
		systemAuditId: partial.systemAuditId !== undefined ? partial.systemAuditId : rng.guid(),
		emailAddress: partial.emailAddress !== undefined ? partial.emailAddress : randomEmail(rng),
		dateTime: partial.dateTime ?? isoSeconds(defaults.dateMs),
		effectiveAction: partial.effectiveAction ?? (rng.chance(0.8) ? 'Permitted' : 'Denied'),
		ipAddress: partial.ipAddress !== undefined ? partial.ipAddress : randomIp(rng),
		organizationId: partial.organizationId ?? defaults.orgId,
		country: partial.country !== undefined ? partial.country : geo.country,
		region: partial.region !== undefined ? partial.region : geo.region,
		city: partial.city !== undefined ? partial.city : geo.city,
	};
}

/** Default tenant tree: an MSP with two clients, one of which has a sub-site. */
export function defaultOrganizations(rng: Rng): Organization[] {
	const root = rng.guid();
	const childA = rng.guid();
	const childB = rng.guid();
	const grandchild = rng.guid();
	return [
		{ id: root, name: 'Acme MSP', parentId: null },
		{ id: childA, name: 'Globex Corporation', parentId: root },
		{ id: childB, name: 'Initech LLC', parentId: root },
		{ id: grandchild, name: 'Globex Corporation - Springfield Plant', parentId: childA },
	];
}
