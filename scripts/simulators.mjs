// The bundled simulators (test/simulators/*.ts) for the demo and the real-n8n tests: compiled once
// to .n8n-e2e/build (gitignored) with the repo's TypeScript, then loaded as CommonJS.
//
//   const { ThreatLockerSimulator, AzureSimulator } = await loadSimulators();
//   const tl = await startThreatLocker(); seedAuditHours(tl, ...);
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = path.join(REPO, '.n8n-e2e', 'build');
const SIM_SRC = path.join(REPO, 'test', 'simulators');
const HOUR = 3_600_000;

/** Fixed demo/test secrets: nothing real, the same on every run. */
export const DEMO = {
	threatLockerApiKey: '5f2d8c1e9a7b4c3d6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d',
	azure: {
		tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
		clientId: '3f0c6a4e-5b1d-4c8e-9a2f-7d6b5c4a3e21',
		clientSecret: 'demo-client-secret-value',
		dcrImmutableId: 'dcr-5a1c0d3e9b7f4e2a8c6d0b1f3e5a7c9d',
		streamName: 'Custom-ThreatLockerAudit_CL',
		table: 'ThreatLockerAudit_CL',
		loginStreamName: 'Custom-ThreatLockerDeniedLogins_CL',
		loginTable: 'ThreatLockerDeniedLogins_CL',
	},
};

function newestMtime(dir, filter) {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, filter));
		else if (filter(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
	}
	return newest;
}

/** Compiles test/simulators when their sources are newer than the build. */
export function buildSimulators({ force = false } = {}) {
	const isSource = (n) => n.endsWith('.ts') && !n.endsWith('.test.ts');
	const marker = path.join(BUILD_DIR, '.built');
	const srcTime = newestMtime(SIM_SRC, isSource);
	if (!force && fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= srcTime) return BUILD_DIR;
	const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
	if (!fs.existsSync(tsc)) throw new Error('TypeScript is missing: run `npm ci` (or `npm install`) in the repository first');
	const res = spawnSync(process.execPath, [tsc, '-p', path.join(REPO, 'scripts', 'tsconfig.simulators.json')], {
		cwd: REPO,
		encoding: 'utf8',
	});
	if (res.status !== 0) throw new Error(`compiling test/simulators failed:\n${res.stdout}${res.stderr}`);
	fs.writeFileSync(marker, new Date().toISOString());
	return BUILD_DIR;
}

/** The simulator classes (compiled JS). */
export function loadSimulators() {
	buildSimulators();
	const require = createRequire(path.join(BUILD_DIR, 'index.js'));
	const tl = require(path.join(BUILD_DIR, 'test', 'simulators', 'threatlocker.js'));
	let azure = null;
	const azurePath = path.join(BUILD_DIR, 'test', 'simulators', 'azure.js');
	if (fs.existsSync(azurePath)) azure = require(azurePath);
	return { threatlocker: tl, azure, ThreatLockerSimulator: tl.ThreatLockerSimulator, AzureSimulator: azure?.AzureSimulator };
}

/** Start of the clock hour (UTC) that contains `ms`. */
export function hourStart(ms) {
	return Math.floor(ms / HOUR) * HOUR;
}

/**
 * The window example (1) reads: the last full clock hour before `nowMs`, [HH-1:00:00, HH-1:59:59] UTC.
 * Hourly runs then cover every second exactly once.
 */
export function lastFullHour(nowMs) {
	const end = hourStart(nowMs);
	return { start: end - HOUR, end: end - 1000 };
}

/**
 * Realistic audit data around now: for every organization, entries in the hour before the last full
 * hour, in the last full hour, and in the current hour (so that only the middle ones are expected).
 */
export function seedAudit(sim, { nowMs = Date.now(), perOrgPerHour = [12, 25, 6] } = {}) {
	const h = hourStart(nowMs);
	const windows = [
		[h - 2 * HOUR, h - HOUR - 1000],
		[h - HOUR, h - 1000],
		[h, Math.max(h, nowMs - 1000)],
	];
	sim.organizations.forEach((org, orgIndex) => {
		windows.forEach(([start, end], i) => {
			const count = perOrgPerHour[i] + ((orgIndex * 5 + i * 2) % 7); // uneven counts per organization
			if (count > 0) sim.generateAudit(count, { start: new Date(start), end: new Date(end), organizationId: org.id });
		});
	});
	return sim.auditRecords().length;
}

/** Records of the simulator inside [startMs, endMs] (inclusive, second precision), newest first. */
export function auditInWindow(sim, startMs, endMs, orgIds = null) {
	const ids = orgIds ? new Set(orgIds.map((id) => id.toLowerCase())) : null;
	return sim.auditRecords().filter((r) => {
		const t = Date.parse(r.dateTime);
		return t >= startMs && t <= endMs && (!ids || ids.has(r.organizationId.toLowerCase()));
	});
}

export async function startThreatLocker(opts = {}) {
	const { ThreatLockerSimulator } = loadSimulators();
	return ThreatLockerSimulator.start({ apiKey: DEMO.threatLockerApiKey, ...opts });
}

/** Azure simulator with the demo app (Monitoring Metrics Publisher on the demo DCR, both streams). */
export async function startAzure(opts = {}) {
	const { AzureSimulator } = loadSimulators();
	if (!AzureSimulator) throw new Error('test/simulators/azure.ts is missing');
	const { tenantId, clientId, clientSecret, dcrImmutableId, streamName, loginStreamName } = DEMO.azure;
	return AzureSimulator.start({
		apps: [{ tenantId, clientId, secret: clientSecret }],
		dcrs: [{ immutableId: dcrImmutableId, streams: [streamName, loginStreamName], allowedClientIds: [clientId] }],
		...opts,
	});
}

/** n8n credentials (plain data, for `n8n import:credentials`) pointing at the simulators. */
export function simulatorCredentials(tl, az) {
	return [
		{
			id: 'tlSimulatorCred1',
			name: 'ThreatLocker (simulator)',
			type: 'threatLockerApi',
			data: { apiKey: tl.apiKey, instance: 'g', baseUrl: tl.baseUrl, managedOrganizationId: '' },
		},
		{
			id: 'azSimulatorCred1',
			name: 'Azure Log Ingestion (simulator)',
			type: 'azureLogIngestionApi',
			data: {
				cloud: 'custom',
				tenantId: DEMO.azure.tenantId,
				clientId: DEMO.azure.clientId,
				clientSecret: DEMO.azure.clientSecret,
				authorityHost: az.authorityUrl,
				audience: 'https://monitor.azure.com',
			},
		},
	];
}

/** An example workflow with its Azure endpoint pointed at the simulator. */
export function pointAtSimulators(workflow, az) {
	const wf = JSON.parse(JSON.stringify(workflow));
	for (const node of wf.nodes) {
		if (node.type === 'n8n-nodes-threatlocker.azureLogIngestion') node.parameters.endpoint = az.ingestionUrl;
	}
	return wf;
}
