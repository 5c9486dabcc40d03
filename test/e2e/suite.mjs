// The end-to-end suite, run in a real n8n: every example workflow against the bundled simulators
// with exact table contents, the package loading without warnings, and the credential tests run
// by n8n itself. The *.test.mjs files beside this one pick the n8n (and Node) to run it in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEFAULT_N8N_VERSION } from '../../scripts/n8n-install.mjs';
import { createN8n, newWarningLines, nodeOutputs } from '../../scripts/n8n-runner.mjs';
import {
	DEMO,
	PACKAGE_CREDENTIALS,
	PACKAGE_NODES,
	asTableRows,
	packageWarnings,
	pointAtSimulators,
	readExample,
	recordsForRequest,
	setup,
	sortRows,
} from './harness.mjs';

const HOURLY = 'hourly-system-audit-to-sentinel.json';
const FAN_OUT = 'per-organization-fan-out.json';
const TRIGGER = 'denied-logins-trigger-to-sentinel.json';

/** The whole suite against one n8n: version, node24 (run it on Node 24 from the npm registry). */
export function realN8nSuite({ version = DEFAULT_N8N_VERSION, node24 = false } = {}) {
describe(`real n8n ${version}${node24 ? ' on Node 24' : ''}`, { timeout: 15 * 60_000 }, () => {
	let ctx;
	let server;

	before(async () => {
		ctx = await setup({ version, node24 });
	});

	after(async () => {
		await server?.stop();
		await ctx?.close();
	});

	function auditRows() {
		return ctx.az.records(DEMO.azure.dcrImmutableId, DEMO.azure.streamName);
	}

	async function run(file) {
		ctx.az.reset();
		ctx.tl.resetRequests();
		const res = await ctx.n8n.execute(ctx.ids[file]);
		assert.ok(res.ok, `execution of ${file} failed: ${res.error?.message ?? ''}\n${res.stdout.slice(-2000)}\n${res.stderr.slice(-2000)}`);
		return res;
	}

	test('example 1: hourly System Audit (all child organizations) lands exactly in ThreatLockerAudit_CL', async () => {
		const res = await run(HOURLY);
		const requests = ctx.tl.requests.filter((r) => r.endpoint === 'audit');
		assert.equal(requests.length, 1, 'one page is enough for the sample data');
		const [request] = requests;
		assert.equal(request.status, 200);
		assert.equal(request.body.viewChildOrganizations, true);
		// The last full clock hour, to the second.
		const start = Date.parse(request.body.startDate);
		const end = Date.parse(request.body.endDate);
		assert.equal(start % 3_600_000, 0, `startDate ${request.body.startDate} is on the hour`);
		assert.equal(end - start, 3_600_000 - 1000, 'the window is HH:00:00–HH:59:59');
		assert.ok(Date.now() - start < 2 * 3_600_000 + 60_000, 'the window is the last full hour');

		const expected = recordsForRequest(ctx.tl, request);
		const orgs = new Set(expected.map((r) => r.organizationName));
		assert.equal(orgs.size, ctx.tl.organizations.length, 'every organization has entries in the window');
		assert.deepEqual(sortRows(auditRows()), asTableRows(expected));
		assert.equal(nodeOutputs(res.run)['System Audit of the last hour'].length, expected.length);
		const ingestion = ctx.az.ingestionLog;
		assert.ok(ingestion.length >= 1 && ingestion.every((e) => e.status === 204), JSON.stringify(ingestion));
		assert.ok(ingestion.every((e) => e.stream === DEMO.azure.streamName && e.dcr === DEMO.azure.dcrImmutableId));
	});

	test('example 3: per-organization fan-out lands exactly each organization’s denied entries', async () => {
		await run(FAN_OUT);
		const requests = ctx.tl.requests.filter((r) => r.endpoint === 'audit');
		const orgsAsked = requests.map((r) => String(r.headers.managedorganizationid).toLowerCase()).sort();
		const listed = ctx.tl.organizations.filter((o) => o.parentId !== null).map((o) => o.id.toLowerCase()).sort();
		assert.deepEqual(orgsAsked, listed, 'one request per listed organization, with its managedOrganizationId');
		for (const r of requests) {
			assert.equal(r.status, 200);
			assert.equal(r.body.viewChildOrganizations, false);
			assert.equal(r.body.effectiveAction, 'Denied');
		}
		const expected = requests.flatMap((r) => recordsForRequest(ctx.tl, r));
		assert.ok(expected.length > 0, 'the sample data has denied entries');
		assert.ok(expected.every((r) => r.effectiveAction === 'Denied'));
		assert.deepEqual(sortRows(auditRows()), asTableRows(expected));
	});

	test('n8n loads every node and credential of the package without a warning', async () => {
		server = await ctx.n8n.start();
		const { nodes, credentials } = await server.types();
		const nodeNames = new Set(nodes.map((n) => n.name));
		for (const name of PACKAGE_NODES) assert.ok(nodeNames.has(name), `n8n did not load ${name}`);
		const credNames = new Set(credentials.map((c) => c.name));
		for (const name of PACKAGE_CREDENTIALS) assert.ok(credNames.has(name), `n8n did not load credential ${name}`);
		const ours = nodes.filter((n) => n.name.startsWith('n8n-nodes-threatlocker.'));
		for (const n of ours) {
			assert.ok(n.properties.length > 0, `${n.name} has no parameters (placeholder?)`);
			assert.ok(n.icon || n.iconUrl, `${n.name} has no icon`);
		}
		const warnings = packageWarnings(ctx.n8n.output(), [...PACKAGE_NODES.map((n) => n.split('.')[1]), ...PACKAGE_CREDENTIALS]);
		assert.deepEqual(warnings, [], 'n8n printed warnings about the package');
		// n8n reports a node file that fails to load with the bare error message: compare the start-up
		// output with that of the same n8n without the package.
		const bare = await createN8n({ version, node24 });
		let baseline = '';
		try {
			const bareServer = await bare.start({ setupOwner: false });
			await bareServer.stop();
			baseline = bareServer.output();
		} finally {
			bare.cleanup();
		}
		assert.deepEqual(newWarningLines(server.output(), baseline), [], 'n8n printed warnings or errors only with the package');
	});

	test('credential tests run by n8n: ThreatLocker API', async (t) => {
		server ??= await ctx.n8n.start();
		const base = { id: 'tlSimulatorCred1', name: 'ThreatLocker (simulator)', type: 'threatLockerApi' };
		const data = { apiKey: ctx.tl.apiKey, instance: 'g', baseUrl: ctx.tl.baseUrl, managedOrganizationId: '' };
		const ok = await server.testCredential({ ...base, data });
		assert.equal(ok.status, 'OK', JSON.stringify(ok));
		const bad = await server.testCredential({ ...base, data: { ...data, apiKey: 'f'.repeat(64) } });
		assert.equal(bad.status, 'Error', JSON.stringify(bad));
		// n8n 1.123 answers its own 'Authorization failed - please check your credentials' for a 401
		// (the credential's responseCode rules only apply when n8n keeps the HTTP response).
		assert.match(bad.message, /rejected|refused|revoked|401|403|440|Authorization failed/i);
		t.diagnostic(`wrong key: ${bad.message}`);
		const bearer = await server.testCredential({ ...base, data: { ...data, apiKey: `Bearer ${ctx.tl.apiKey}` } });
		assert.equal(bearer.status, 'Error', 'a Bearer-prefixed key is rejected as ThreatLocker does');
	});

	test('credential tests run by n8n: Azure Log Ingestion API', async (t) => {
		server ??= await ctx.n8n.start();
		const base = { id: 'azSimulatorCred1', name: 'Azure Log Ingestion (simulator)', type: 'azureLogIngestionApi' };
		const data = {
			cloud: 'custom',
			tenantId: DEMO.azure.tenantId,
			clientId: DEMO.azure.clientId,
			clientSecret: DEMO.azure.clientSecret,
			authorityHost: ctx.az.authorityUrl,
			audience: 'https://monitor.azure.com',
		};
		const ok = await server.testCredential({ ...base, data });
		assert.equal(ok.status, 'OK', JSON.stringify(ok));
		const bad = await server.testCredential({ ...base, data: { ...data, clientSecret: 'wrong-secret' } });
		assert.equal(bad.status, 'Error', JSON.stringify(bad));
		assert.match(bad.message, /secret|7000215|AADSTS/i);
		t.diagnostic(`wrong secret: ${bad.message}`);
	});

	test('example 2: ThreatLocker Trigger on denied logins → Azure, each exactly once (active workflow in n8n start)', async (t) => {
		assert.ok(ctx.ids[TRIGGER], `examples/${TRIGGER} was imported`);
		const example = readExample(TRIGGER);
		const trigger = example.nodes.find((n) => n.type === 'n8n-nodes-threatlocker.threatLockerTrigger');
		assert.deepEqual(
			{ event: trigger.parameters.event, loginResult: trigger.parameters.loginResult, lookBackHours: trigger.parameters.options.lookBackHours },
			{ event: 'loginAttempt', loginResult: 'denied', lookBackHours: 24 },
		);
		server ??= await ctx.n8n.start();
		ctx.az.reset();
		ctx.tl.resetRequests();
		const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
		const logins = (n, action, fromMs, toMs) =>
			Array.from({ length: n }, (_, i) => ({ effectiveAction: action, dateTime: iso(fromMs + ((toMs - fromMs) * (i + 0.5)) / n) }));
		const HOUR = 3_600_000;
		const now = Date.now();
		// Before activation: the last 24 hours (Look Back) are forwarded, older attempts are not. The
		// newest are a few minutes old, inside the overlap that the next poll reads again.
		const history = ctx.tl.addLogins([
			...logins(6, 'Denied', now - 23 * HOUR, now - 2 * 60_000),
			...logins(5, 'Permitted', now - 23 * HOUR, now - 60_000),
			...logins(3, 'Denied', now - 30 * HOUR, now - 25 * HOUR),
			...logins(2, 'Permitted', now - 30 * HOUR, now - 25 * HOUR),
		]);
		const rows = () => ctx.az.records(DEMO.azure.dcrImmutableId, DEMO.azure.loginStreamName);
		const healthPolls = () => ctx.tl.requests.filter((r) => r.endpoint === 'health');
		const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
		/** Waits (bounded) until `done()`, then a little longer: nothing more may arrive. */
		async function waitFor(what, done, ms) {
			const deadline = Date.now() + ms;
			while (!done() && Date.now() < deadline) await sleep(500);
			assert.ok(done(), `timed out after ${ms / 1000} s waiting for ${what}`);
			await sleep(3000);
		}

		// Created through the REST API (an imported workflow has no history version to activate in 1.123).
		const created = await server.createWorkflow(pointAtSimulators(example, ctx.az));
		const activated = await server.activate(created.id);
		assert.equal(activated.active, true, 'the trigger workflow is active');
		const activatedAt = Date.now();

		// 1. The activation poll: every denied login of the last 24 hours, once; no successful ones.
		const firstBatch = history.filter((l) => l.effectiveAction === 'Denied' && Date.parse(l.dateTime) > now - 24 * HOUR);
		assert.equal(firstBatch.length, 6);
		await waitFor('the activation poll to land', () => rows().length >= firstBatch.length, 60_000);
		assert.deepEqual(sortRows(rows()), asTableRows(firstBatch), 'after the first poll');
		t.diagnostic(`activation poll: ${firstBatch.length} denied login(s) landed ${((Date.now() - activatedAt) / 1000).toFixed(1)} s after activation`);

		// 2. New attempts after the first poll: the next poll (on the minute) sends only the new denied
		// ones, although it reads the overlap again.
		const pollsBefore = healthPolls().length;
		const later = ctx.tl.addLogins([
			...logins(4, 'Denied', Date.now() - 1000, Date.now()),
			...logins(3, 'Permitted', Date.now() - 1000, Date.now()),
		]);
		const secondBatch = later.filter((l) => l.effectiveAction === 'Denied');
		const expected = [...firstBatch, ...secondBatch];
		const secondAt = Date.now();
		await waitFor('the next poll to land the new denied logins', () => rows().length >= expected.length, 90_000);
		assert.ok(healthPolls().length > pollsBefore, 'a scheduled poll ran');
		assert.deepEqual(sortRows(rows()), asTableRows(expected), 'after the second poll');
		t.diagnostic(`next poll: ${secondBatch.length} new denied login(s) landed ${((Date.now() - secondAt) / 1000).toFixed(1)} s after they were added`);

		// 3. One more poll with nothing new: nothing is sent again.
		const pollsAfterSecond = healthPolls().length;
		const ingestionsAfterSecond = ctx.az.ingestionLog.length;
		await waitFor('one more scheduled poll', () => healthPolls().length > pollsAfterSecond, 75_000);
		assert.equal(ctx.az.ingestionLog.length, ingestionsAfterSecond, 'a poll with nothing new sends nothing');
		assert.deepEqual(sortRows(rows()), asTableRows(expected), 'after a poll with nothing new');

		const health = healthPolls();
		assert.ok(health.every((r) => r.status === 200), 'every Health Center request succeeded');
		assert.ok(health.every((r) => r.body.isLoggedIn === false), 'only denied attempts were asked for');
		const ingestion = ctx.az.ingestionLog;
		assert.ok(ingestion.length >= 2 && ingestion.every((e) => e.status === 204), JSON.stringify(ingestion));
		assert.ok(ingestion.every((e) => e.stream === DEMO.azure.loginStreamName && e.dcr === DEMO.azure.dcrImmutableId));
	});
});
}
