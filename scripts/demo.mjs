#!/usr/bin/env node
// `npm run demo`: the package doing its main job inside a real n8n, offline.
//
// 1. builds the package (npm run build) and the bundled simulators;
// 2. installs a pinned n8n into a cache outside the repo (first run only, a few minutes);
// 3. starts the ThreatLocker and Azure simulators with realistic sample data;
// 4. gives a fresh n8n user folder the package, credentials pointing at the simulators and
//    examples/hourly-system-audit-to-sentinel.json, and runs it with `n8n execute`;
// 5. prints what happened: records read from ThreatLocker, requests made, rows that landed in the
//    simulated ThreatLockerAudit_CL table.
//
// Options: --n8n-version <v> (default 1.123.5), --node24 (Node 24 from npm; use with 2.x),
//          --no-build (use the existing dist/), --keep (keep the n8n user folder).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { DEFAULT_N8N_VERSION, ensureN8n } from './n8n-install.mjs';
import { createN8n, nodeOutputs, packageWarnings } from './n8n-runner.mjs';
import {
	DEMO,
	REPO,
	auditInWindow,
	pointAtSimulators,
	seedAudit,
	simulatorCredentials,
	startAzure,
	startThreatLocker,
} from './simulators.mjs';

const EXAMPLE = path.join(REPO, 'examples', 'hourly-system-audit-to-sentinel.json');

function parseArgs(argv) {
	const o = { version: DEFAULT_N8N_VERSION, node24: false, build: true, keep: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--n8n-version') o.version = argv[++i];
		else if (a === '--node24') o.node24 = true;
		else if (a === '--no-build') o.build = false;
		else if (a === '--keep') o.keep = true;
		else throw new Error(`unknown argument ${a}`);
	}
	return o;
}

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (s) => console.log(`\n${bold(`▶ ${s}`)}`);
const pad = (s, n) => String(s ?? '').slice(0, n).padEnd(n);

export function buildPackage() {
	const res = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
	if (res.status !== 0) throw new Error('npm run build failed');
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const t0 = Date.now();
	console.log(bold('n8n-nodes-threatlocker demo: real n8n, simulated ThreatLocker and Azure, nothing leaves 127.0.0.1'));

	if (opts.build) {
		step('Building the package (npm run build)');
		buildPackage();
	}

	step(`Real n8n ${opts.version}${opts.node24 ? ' on Node 24' : ''}`);
	const layout = await ensureN8n({ version: opts.version, node24: opts.node24 });
	console.log(
		layout.cached
			? `  cached in ${layout.dir}`
			: `  installed into ${layout.dir} in ${layout.seconds}s (first run only)`,
	);

	step('Starting the simulators');
	const tl = await startThreatLocker();
	const az = await startAzure();
	const nowMs = Date.now();
	const seeded = seedAudit(tl, { nowMs });
	console.log(`  ThreatLocker portal API  ${tl.baseUrl}   ${seeded} System Audit entries over the last 3 hours`);
	console.log(`    organizations: ${tl.organizations.map((o) => o.name).join(', ')}`);
	console.log(`  Entra ID + Logs Ingestion ${az.baseUrl}   DCR ${DEMO.azure.dcrImmutableId}, stream ${DEMO.azure.streamName}`);

	const n8n = await createN8n({ version: opts.version, node24: opts.node24, keep: opts.keep });
	let failed = false;
	try {
		step(`Loading the package into n8n (user folder ${n8n.userFolder})`);
		n8n.installPackage(REPO);
		await n8n.importCredentials(simulatorCredentials(tl, az));
		console.log('  imported credentials: "ThreatLocker (simulator)", "Azure Log Ingestion (simulator)"');
		const workflow = pointAtSimulators(JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')), az);
		const id = await n8n.importWorkflow(workflow);
		console.log(`  imported workflow "${workflow.name}" (${path.relative(REPO, EXAMPLE)})`);

		step('Running it headlessly: n8n execute --id=' + id);
		const res = await n8n.execute(id);
		console.log(`  n8n exited with ${res.code} after ${res.seconds.toFixed(1)}s; execution ${res.ok ? 'succeeded' : 'FAILED'}`);
		if (!res.ok) {
			failed = true;
			console.log(res.error ? `  error: ${res.error.message}\n  ${res.error.description ?? ''}` : '');
			console.log(res.stdout.slice(-3000), res.stderr.slice(-3000));
		}
		const out = res.run ? nodeOutputs(res.run) : {};

		step('What happened');
		const auditRequests = tl.requests.filter((r) => r.endpoint === 'audit');
		const fromNode = out['System Audit of the last hour'] ?? [];
		const window = auditRequests[0]?.body ?? {};
		console.log(`  ThreatLocker: ${auditRequests.length} request(s) to POST /portalapi/SystemAudit/SystemAuditGetByParameters`);
		for (const r of auditRequests) {
			const b = r.body ?? {};
			console.log(
				`    ${r.status}  startDate ${b.startDate}  endDate ${b.endDate}  viewChildOrganizations ${b.viewChildOrganizations}  page ${b.pageNumber} × ${b.pageSize}`,
			);
		}
		console.log(`  ThreatLocker node returned ${fromNode.length} record(s) (the simulator holds ${seeded}; the window is the last full hour)`);
		const byOrg = {};
		for (const r of fromNode) byOrg[r.organizationName] = (byOrg[r.organizationName] ?? 0) + 1;
		for (const [org, n] of Object.entries(byOrg)) console.log(`    ${pad(n, 4)} ${org}`);

		console.log(`  Entra ID: ${az.tokenLog.length} token request(s): ${az.tokenLog.map((t) => t.status).join(', ')}`);
		console.log(`  Logs Ingestion: ${az.ingestionLog.length} request(s)`);
		for (const e of az.ingestionLog) {
			console.log(
				`    ${e.status}  POST /dataCollectionRules/${e.dcr}/streams/${e.stream}  ${e.records ?? '?'} records, ${e.bodyBytes} bytes${e.contentEncoding ? ` (${e.contentEncoding})` : ''}`,
			);
		}
		const rows = az.records(DEMO.azure.dcrImmutableId, DEMO.azure.streamName);
		console.log(`  Table ${DEMO.azure.table}: ${bold(`${rows.length} row(s) landed`)}`);
		console.log(`    ${pad('TimeGenerated', 21)} ${pad('organizationName', 24)} ${pad('emailAddress', 30)} ${pad('action', 7)} effectiveAction`);
		for (const r of rows.slice(0, 8)) {
			console.log(`    ${pad(r.TimeGenerated, 21)} ${pad(r.organizationName, 24)} ${pad(r.emailAddress, 30)} ${pad(r.action, 7)} ${r.effectiveAction}`);
		}
		if (rows.length > 8) console.log(`    … and ${rows.length - 8} more`);

		// The check a user would make: exactly the entries of the window, all organizations, once each.
		const expected = auditInWindow(tl, Date.parse(window.startDate), Date.parse(window.endDate));
		const key = (r) => `${r.systemAuditId}|${r.dateTime}`;
		const got = new Set(rows.map(key));
		const missing = expected.filter((r) => !got.has(key(r)));
		const exact = rows.length === expected.length && missing.length === 0;
		console.log(
			`  Check: the simulator holds ${expected.length} entries between ${window.startDate} and ${window.endDate} (all organizations); ` +
				(exact ? 'every one landed exactly once.' : `MISMATCH (${missing.length} missing, ${rows.length} rows).`),
		);
		if (!exact) failed = true;
		const warnings = packageWarnings(n8n.output());
		if (warnings.length) {
			console.log('  n8n warnings about the package:\n    ' + warnings.join('\n    '));
			failed = true;
		}
	} finally {
		n8n.cleanup();
		await tl.stop();
		await az.stop();
	}
	console.log(`\n${failed ? 'Demo FAILED' : 'Demo finished'} in ${((Date.now() - t0) / 1000).toFixed(0)}s.`);
	if (!failed) {
		console.log('Next: import examples/*.json into your own n8n, or see the README section "Point it at real services".');
	}
	process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
	console.error(`demo failed: ${err.stack ?? err}`);
	process.exit(1);
});
