// Shared set-up of the real-n8n end-to-end tests: simulators with sample data, a fresh n8n user
// folder with the built package, the simulator credentials and every example workflow imported.
import fs from 'node:fs';
import path from 'node:path';

import { createN8n, packageWarnings } from '../../scripts/n8n-runner.mjs';
import {
	DEMO,
	REPO,
	pointAtSimulators,
	seedAudit,
	simulatorCredentials,
	startAzure,
	startThreatLocker,
} from '../../scripts/simulators.mjs';

export { DEMO, REPO, packageWarnings, pointAtSimulators };
export const EXAMPLES_DIR = path.join(REPO, 'examples');

export const PACKAGE_NODES = [
	'n8n-nodes-threatlocker.threatLocker',
	'n8n-nodes-threatlocker.threatLockerTrigger',
	'n8n-nodes-threatlocker.azureLogIngestion',
];
export const PACKAGE_CREDENTIALS = ['threatLockerApi', 'azureLogIngestionApi'];

export function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

export function exampleFiles() {
	return fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
}

/** The built package must exist: `npm run test:e2e` builds it first. */
export function assertBuilt() {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((f) => !fs.existsSync(path.join(REPO, f)));
	if (missing.length) throw new Error(`not built (run \`npm run build\`): ${missing.join(', ')}`);
}

/**
 * Starts the simulators and an n8n with the package, credentials and the given examples imported.
 * Returns { n8n, tl, az, ids: { file: workflowId }, close }.
 */
export async function setup({ version, node24 = false, examples = exampleFiles(), log } = {}) {
	assertBuilt();
	const tl = await startThreatLocker();
	const az = await startAzure();
	seedAudit(tl);
	const n8n = await createN8n({ version, node24, log, keep: process.env.N8N_E2E_KEEP === '1' });
	try {
		n8n.installPackage(REPO);
		await n8n.importCredentials(simulatorCredentials(tl, az));
		const ids = {};
		for (const file of examples) ids[file] = await n8n.importWorkflow(pointAtSimulators(readExample(file), az));
		return {
			n8n,
			tl,
			az,
			ids,
			async close() {
				n8n.cleanup();
				await tl.stop();
				await az.stop();
			},
		};
	} catch (err) {
		n8n.cleanup();
		await tl.stop();
		await az.stop();
		throw err;
	}
}

/** What the table must hold for audit records sent with TimeGenerated taken from dateTime. */
export function asTableRows(records) {
	return sortRows(records.map((r) => ({ ...r, TimeGenerated: r.dateTime })));
}

export function sortRows(rows) {
	const key = (r) => `${r.dateTime}|${r.systemAuditId}|${r.organizationId}`;
	return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Audit records of the simulator a System Audit request asked for (window, scope, filters used here). */
export function recordsForRequest(tl, request) {
	const body = request.body ?? {};
	const start = Date.parse(body.startDate);
	const end = Date.parse(body.endDate);
	const headerOrg = request.headers.managedorganizationid ?? request.headers.overridemanagedorganizationid;
	const home = (headerOrg ? String(headerOrg) : tl.homeOrganization.id).toLowerCase();
	const scope = new Set([home]);
	if (body.viewChildOrganizations) {
		let grew = true;
		while (grew) {
			grew = false;
			for (const o of tl.organizations) {
				if (o.parentId && scope.has(o.parentId.toLowerCase()) && !scope.has(o.id.toLowerCase())) {
					scope.add(o.id.toLowerCase());
					grew = true;
				}
			}
		}
	}
	return tl.auditRecords().filter((r) => {
		const t = Date.parse(r.dateTime);
		if (!(t >= start && t <= end)) return false;
		if (!scope.has(r.organizationId.toLowerCase())) return false;
		if (body.effectiveAction && r.effectiveAction !== body.effectiveAction) return false;
		return true;
	});
}
