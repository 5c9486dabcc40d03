/**
 * The node through n8n-core's execution engine (test/harness) against the Azure simulator over
 * real HTTP(S) on 127.0.0.1: exact stored records, exact error items, faults included.
 */
import { randomBytes } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { AzureLogIngestion } from '../../nodes/AzureLogIngestion/AzureLogIngestion.node';
import { clearTokenCache } from '../../nodes/AzureLogIngestion/transport/token';
import type { AzureSimulator } from '../simulators/azure';
import { SIM_BODY_LIMIT, type SimFault } from '../simulators/azure';
import {
	auditRecords,
	credentialsFor,
	DCR,
	expectNoSecrets,
	NO_ROLE_CLIENT,
	NO_ROLE_SECRET,
	OTHER_STREAM,
	SECRET,
	startSimulator,
	STREAM,
	upload,
} from './fixtures';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let sim: AzureSimulator;

beforeAll(async () => {
	sim = await startSimulator({ https: true });
});

afterAll(async () => {
	await sim.stop();
});

beforeEach(() => {
	sim.reset();
	sim.tokenLifetimeSeconds = 3599;
	clearTokenCache();
});

const bySeq = (a: unknown, b: unknown) => Number((a as IDataObject).seq) - Number((b as IDataObject).seq);

function stored(stream = STREAM): IDataObject[] {
	return (sim.records(DCR, stream) as IDataObject[]).slice().sort(bySeq);
}

/** Records as the node sends them in "keep" mode: exactly the input. */
function withTime(records: IDataObject[]): IDataObject[] {
	return records.map((record) => ({ ...record, TimeGenerated: '2024-05-01T00:00:00.000Z' }));
}

function summaryOf(outputs: INodeExecutionData[][]): IDataObject {
	return outputs[0][0].json;
}

function errorItems(items: INodeExecutionData[]): INodeExecutionData[] {
	return items.filter((item) => item.json.error !== undefined);
}

/** The details of an error item (n8n's shape: `{ message, error: {...} }`). */
function details(item: INodeExecutionData): IDataObject {
	expect(Object.keys(item.json).sort()).toEqual(['error', 'message']);
	return item.json.error as IDataObject;
}

/** What n8n keeps and shows: outputs, the node's error, the whole run data. */
function visible(result: { outputs: unknown; error?: unknown; run: { run: unknown } }): unknown {
	return { outputs: result.outputs, error: result.error, run: result.run.run };
}

function everything(): string[] {
	return [SECRET, NO_ROLE_SECRET, ...sim.issuedTokens()];
}

describe('description', () => {
	test('public contract', () => {
		const { description } = new AzureLogIngestion();
		expect(description.name).toBe('azureLogIngestion');
		expect(description.displayName).toBe('Azure Log Ingestion');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'azureLogIngestionApi', required: true }]);
		const names = description.properties.map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['endpoint', 'dcrImmutableId', 'streamName', 'options']));
		const options = description.properties.find((p) => p.name === 'options')?.options ?? [];
		const defaults = Object.fromEntries(options.map((o) => ['name' in o ? o.name : '', 'default' in o ? o.default : undefined]));
		expect(defaults).toMatchObject({ apiVersion: '2023-01-01', gzip: true, output: 'summary', allowUnauthorizedCerts: false });
	});
});

describe('upload', () => {
	test('all items in one gzip request over https; summary; exact records', async () => {
		const input = withTime(auditRecords(200));
		const result = await upload(sim, input, { timeGenerated: 'keep' });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(input);
		expect(sim.ingestionLog).toHaveLength(1);
		const [request] = sim.ingestionLog;
		expect(request).toMatchObject({ status: 204, contentEncoding: 'gzip', apiVersion: '2023-01-01', records: 200 });
		expect(request.decodedBytes).toBe(Buffer.byteLength(JSON.stringify(input)));
		expect(result.outputs).toHaveLength(1);
		expect(result.outputs[0]).toHaveLength(1);
		const summary = summaryOf(result.outputs);
		expect(summary).toMatchObject({
			recordsAccepted: 200,
			recordsNotAccepted: 0,
			itemsFailed: 0,
			requests: 1,
			failedRequests: 0,
			attempts: 1,
			gzip: true,
			bytesBeforeGzip: request.decodedBytes,
			bytesAfterGzip: request.bodyBytes,
			bytesOnWire: request.bodyBytes,
			requestIds: [request.requestId],
			clientRequestIds: [request.clientRequestId],
			endpoint: sim.ingestionUrl,
			dcrImmutableId: DCR,
			streamName: STREAM,
		});
		expect(typeof summary.durationMs).toBe('number');
		expect(result.outputs[0][0].pairedItem).toEqual(input.map((_, item) => ({ item })));
		expect(sim.tokenLog).toHaveLength(1);
		expect(request.authorization).toBe(`Bearer ${sim.tokenLog[0].token}`);
		expectNoSecrets(visible(result), everything());
	});

	test('batching at the limit: several requests, each ≤ 1,048,576 bytes as received, well filled', async () => {
		const input = withTime(auditRecords(14000, 7));
		const result = await upload(sim, input, { timeGenerated: 'keep', concurrency: 3 });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(input);
		const sizes = sim.ingestionLog.map((entry) => entry.bodyBytes);
		expect(sizes.length).toBeGreaterThanOrEqual(2);
		for (const size of sizes) expect(size).toBeLessThanOrEqual(SIM_BODY_LIMIT);
		const total = sizes.reduce((a, b) => a + b, 0);
		expect(sizes.length).toBeLessThanOrEqual(Math.ceil(total / (SIM_BODY_LIMIT * 0.9)) + 1);
		const ids = sim.ingestionLog.map((entry) => entry.clientRequestId);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 14000, requests: sizes.length, bytesAfterGzip: total });
	});

	test('gzip off: plain JSON bodies within the limit', async () => {
		const input = withTime(auditRecords(3000, 3));
		const result = await upload(sim, input, { timeGenerated: 'keep', gzip: false });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(input);
		expect(sim.ingestionLog.length).toBeGreaterThanOrEqual(3);
		for (const entry of sim.ingestionLog) {
			expect(entry.contentEncoding).toBeUndefined();
			expect(entry.bodyBytes).toBeLessThanOrEqual(SIM_BODY_LIMIT);
			expect(entry.decodedBytes).toBe(entry.bodyBytes);
		}
		expect(summaryOf(result.outputs)).toMatchObject({ gzip: false });
		const summary = summaryOf(result.outputs);
		expect(summary.bytesBeforeGzip).toBe(summary.bytesAfterGzip);
	});

	test('a record too large on its own: error item for that item only, the rest stored', async () => {
		const input = withTime(auditRecords(20));
		input[7] = { ...input[7], blob: randomBytes(1_600_000).toString('base64') };
		const result = await upload(sim, input, { timeGenerated: 'keep' }, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(input.filter((_, i) => i !== 7));
		for (const entry of sim.ingestionLog) expect(entry.bodyBytes).toBeLessThanOrEqual(SIM_BODY_LIMIT);
		const errors = errorItems(result.outputs[0]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 7 });
		expect(details(errors[0])).toMatchObject({
			itemIndex: 7,
			httpStatus: null,
			azureErrorCode: null,
			recordsAccepted: 0,
			recordsNotAccepted: 1,
		});
		expect(String(errors[0].json.message)).toMatch(
			/^The record of item 7 is [\d,]+ bytes after gzip on its own, over the 1,047,552-byte limit of one request: it was not sent\./,
		);
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 19, recordsNotAccepted: 1, itemsFailed: 1 });
	});

	test('without continueOnFail the node fails with the exact counts (after sending the rest)', async () => {
		const input = withTime(auditRecords(10));
		input[4] = { ...input[4], blob: randomBytes(1_600_000).toString('base64') };
		const result = await upload(sim, input, { timeGenerated: 'keep' });
		expect(result.error?.message).toBe(
			'Azure accepted 9 of 10 records; 1 record was not accepted (1 item, first: item 4)',
		);
		expect(result.error?.description).toMatch(/^The record of item 4 is [\d,]+ bytes after gzip/);
		expect(stored()).toHaveLength(9);
	});
});

describe('faults', () => {
	const input = withTime(auditRecords(30));

	test.each<[string, SimFault]>([
		['429 with Retry-After: 1', { status: 429, retryAfter: '1' }],
		['429 with retry-after-ms', { status: 429, retryAfterMs: 20 }],
		['503 with retry-after-ms', { status: 503, retryAfterMs: 10 }],
		['500 (backoff)', { status: 500 }],
		['connection reset', { reset: true }],
		['slow answer', { delayMs: 300 }],
	])('%s, then success: every record stored exactly once', async (_name, fault) => {
		sim.queueFaults(fault);
		const result = await upload(sim, input, { timeGenerated: 'keep' });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(input);
		const expectedLog = fault.delayMs ? [204] : [fault.reset ? 'reset' : fault.status, 204];
		expect(sim.ingestionLog.map((e) => e.status)).toEqual(expectedLog);
		expect(new Set(sim.ingestionLog.map((e) => e.clientRequestId)).size).toBe(expectedLog.length);
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 30, requests: 1, attempts: expectedLog.length });
	});

	test('500, 500, then success', async () => {
		sim.queueFaults({ status: 500 }, { status: 502 });
		const result = await upload(sim, input, { timeGenerated: 'keep' });
		expect(result.error).toBeUndefined();
		expect(sim.ingestionLog.map((e) => e.status)).toEqual([500, 502, 204]);
		expect(stored()).toEqual(input);
	});

	test('retries are bounded: five 503s fail the records with the status, code and request id', async () => {
		sim.queueFaults(...Array.from({ length: 6 }, () => ({ status: 503, retryAfterMs: 1, code: 'ServerBusy', message: 'Busy.' })));
		const result = await upload(sim, input.slice(0, 2), { timeGenerated: 'keep' }, { continueOnFail: true });
		expect(sim.ingestionLog).toHaveLength(5);
		const errors = errorItems(result.outputs[0]);
		expect(errors.map((e) => details(e))).toEqual([0, 1].map((itemIndex) => ({
			message: `Azure did not accept it: HTTP 503 ServerBusy: Busy. (0 of 1 record of item ${itemIndex} accepted)`,
			itemIndex,
			httpStatus: 503,
			azureErrorCode: 'ServerBusy',
			azureErrorMessage: 'Busy.',
			requestId: sim.ingestionLog[4].requestId,
			clientRequestId: sim.ingestionLog[4].clientRequestId,
			recordsAccepted: 0,
			recordsNotAccepted: 1,
			field: null,
		})));
		expect(errors.map((e) => e.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('token expiry mid-run: 401, one renewal, the request retried, nothing lost', async () => {
		const many = withTime(auditRecords(3000, 5));
		sim.queueFaults({}, { expireTokens: true });
		const result = await upload(sim, many, { timeGenerated: 'keep', gzip: false, concurrency: 1 });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(many);
		const statuses = sim.ingestionLog.map((e) => e.status);
		expect(statuses.slice(0, 3)).toEqual([204, 401, 204]);
		expect(statuses.filter((s) => s === 401)).toHaveLength(1);
		expect(sim.tokenLog.map((t) => t.status)).toEqual([200, 200]);
		expect(sim.ingestionLog[2].authorization).toBe(`Bearer ${sim.tokenLog[1].token}`);
		expectNoSecrets(visible(result), everything());
	});

	test('short token lifetime: renewed before it expires during a long run (no 401)', async () => {
		sim.tokenLifetimeSeconds = 2;
		const many = withTime(auditRecords(2500, 9));
		sim.queueFaults({ delayMs: 1100 }, { delayMs: 1100 }, { delayMs: 1100 });
		const result = await upload(sim, many, { timeGenerated: 'keep', gzip: false, concurrency: 1 });
		expect(result.error).toBeUndefined();
		expect(stored()).toEqual(many);
		expect(sim.ingestionLog.every((e) => e.status === 204)).toBe(true);
		expect(sim.tokenLog.length).toBeGreaterThanOrEqual(2);
	});

	test('a token is reused across runs while it is valid', async () => {
		await upload(sim, input.slice(0, 1), { timeGenerated: 'keep' });
		await upload(sim, input.slice(1, 2), { timeGenerated: 'keep' });
		expect(sim.tokenLog).toHaveLength(1);
		expect(sim.ingestionLog).toHaveLength(2);
	});
});

describe('Azure refusals: error items, not retried', () => {
	const input = withTime(auditRecords(3));

	test('403 without the role: one request, error items with status, code, message and request id', async () => {
		const many = withTime(auditRecords(3000, 11));
		const result = await upload(sim, many, { timeGenerated: 'keep', gzip: false, concurrency: 1 }, {
			continueOnFail: true,
			credentials: credentialsFor(sim, { clientId: NO_ROLE_CLIENT, clientSecret: NO_ROLE_SECRET }),
		});
		expect(sim.ingestionLog).toHaveLength(1);
		expect(sim.records(DCR, STREAM)).toHaveLength(0);
		const errors = errorItems(result.outputs[0]);
		expect(errors).toHaveLength(3000);
		expect(errors.map((e) => e.pairedItem)).toEqual(many.map((_, item) => ({ item })));
		const [first] = errors;
		expect(details(first)).toMatchObject({
			httpStatus: 403,
			azureErrorCode: 'OperationFailed',
			azureErrorMessage: `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${DCR}'.`,
			requestId: sim.ingestionLog[0].requestId,
		});
		expect(String(first.json.message)).toMatch(/Monitoring Metrics Publisher.*30 minutes/);
		const last = details(errors[2999]);
		expect(last).toMatchObject({ httpStatus: 403, azureErrorCode: 'OperationFailed', requestId: null });
		expect(String(last.message)).toMatch(/^Azure did not accept it: HTTP 403 OperationFailed: Not sent: an earlier request of this run failed/);
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 0, recordsNotAccepted: 3000, requests: 0, failedRequests: 1 });
		expectNoSecrets(visible(result), everything());
	});

	test('403 without continueOnFail: the node fails with counts and what to do', async () => {
		const result = await upload(sim, input, { timeGenerated: 'keep' }, {
			credentials: credentialsFor(sim, { clientId: NO_ROLE_CLIENT, clientSecret: NO_ROLE_SECRET }),
		});
		expect(result.error?.message).toBe('Azure accepted 0 of 3 records; 3 records were not accepted (3 items, first: item 0)');
		expect(result.error?.description).toMatch(
			/^HTTP 403 OperationFailed: The authentication token provided does not have access .*'\. Assign the app registration the "Monitoring Metrics Publisher" role/,
		);
		expect(result.error?.description).toContain(sim.ingestionLog[0].requestId);
		expect(result.error?.httpCode).toBe('403');
		expectNoSecrets(visible(result), everything());
	});

	test('unknown DCR: 404', async () => {
		const result = await upload(sim, input, { timeGenerated: 'keep' }, {
			continueOnFail: true,
			parameters: { dcrImmutableId: 'dcr-ffffffffffffffffffffffffffffffff' },
		});
		expect(sim.ingestionLog).toHaveLength(1);
		expect(details(errorItems(result.outputs[0])[0])).toMatchObject({ httpStatus: 404, azureErrorCode: 'NotFound' });
	});

	test('unknown stream: 400 InvalidStream', async () => {
		const result = await upload(sim, input, { timeGenerated: 'keep' }, {
			continueOnFail: true,
			parameters: { streamName: 'Custom-Unknown_CL' },
		});
		expect(sim.ingestionLog).toHaveLength(1);
		expect(errorItems(result.outputs[0]).map((e) => details(e).azureErrorCode)).toEqual(['InvalidStream', 'InvalidStream', 'InvalidStream']);
	});

	test.each<[string, SimFault]>([
		['413 ContentLengthLimitExceeded', { status: 413, code: 'ContentLengthLimitExceeded', message: 'Too big.' }],
		['400 with capitalised keys and no x-ms-error-code header', { status: 400, code: 'InvalidPayload', message: 'Bad.', capitalizedKeys: true, noErrorCodeHeader: true }],
	])('%s', async (_name, fault) => {
		sim.queueFaults(fault);
		const result = await upload(sim, input, { timeGenerated: 'keep' }, { continueOnFail: true });
		expect(sim.ingestionLog).toHaveLength(1);
		expect(details(errorItems(result.outputs[0])[0])).toMatchObject({
			httpStatus: fault.status,
			azureErrorCode: fault.code,
			azureErrorMessage: fault.message,
			requestId: sim.ingestionLog[0].requestId,
		});
	});

	test('"On Error: Continue (using error output)": summary on output 0, error items on output 1', async () => {
		const result = await upload(sim, input, { timeGenerated: 'keep' }, {
			onError: 'continueErrorOutput',
			credentials: credentialsFor(sim, { clientId: NO_ROLE_CLIENT, clientSecret: NO_ROLE_SECRET }),
		});
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(2);
		expect(result.outputs[0]).toHaveLength(1);
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 0, recordsNotAccepted: 3 });
		expect(result.outputs[1].map((item) => details(item).httpStatus)).toEqual([403, 403, 403]);
		expect(result.outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('wrong secret: the node fails before sending, explaining the AADSTS code', async () => {
		const result = await upload(sim, input, {}, { credentials: credentialsFor(sim, { clientSecret: 'wrong-secret-value-000' }) });
		expect(result.error?.message).toBe('Could not get an access token: nothing was sent (0 of 3 records accepted)');
		expect(result.error?.description).toMatch(/^Wrong client secret .*\(AADSTS7000215\)$/);
		expect(sim.ingestionLog).toHaveLength(0);
		expectNoSecrets(visible(result), [...everything(), 'wrong-secret-value-000']);
	});

	test('wrong secret with continueOnFail: an error item per item', async () => {
		const result = await upload(sim, input, {}, {
			continueOnFail: true,
			credentials: credentialsFor(sim, { clientSecret: 'wrong-secret-value-000' }),
		});
		const errors = errorItems(result.outputs[0]);
		expect(errors).toHaveLength(3);
		expect(details(errors[0])).toMatchObject({ azureErrorCode: 'AADSTS7000215', httpStatus: null });
		expect(String(errors[0].json.message)).toMatch(/No access token: Wrong client secret/);
	});
});

describe('security checks happen before any token request', () => {
	const input = auditRecords(2);

	test.each([
		['plain http endpoint off loopback', { endpoint: 'http://dce.eastus-1.ingest.monitor.azure.com' }, {}, /plain http/],
		['endpoint host outside the cloud', { endpoint: 'https://collector.example.com' }, { cloud: 'azurePublic' }, /not a Logs Ingestion host of the credential's cloud/],
		['China endpoint with a public-cloud credential', { endpoint: 'https://dce.chinanorth3-1.ingest.monitor.azure.cn' }, { cloud: 'azurePublic' }, /\*\.ingest\.monitor\.azure\.com/],
		['plain http custom authority off loopback', {}, { authorityHost: 'http://login.example.test' }, /authority host http:\/\/login\.example\.test uses plain http/],
		['invalid DCR id', { dcrImmutableId: 'dcr-123' }, {}, /DCR Immutable ID "dcr-123" is not valid/],
		['invalid stream name', { streamName: 'ThreatLocker_CL' }, {}, /stream name "ThreatLocker_CL" is not valid/],
	])('%s', async (_name, parameters, credentials, message) => {
		const result = await upload(sim, input, {}, { parameters, credentials: credentialsFor(sim, credentials) });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(sim.tokenLog).toHaveLength(0);
		expect(sim.ingestionLog).toHaveLength(0);
	});

	test('with continueOnFail: an error item per input item, still nothing requested', async () => {
		const result = await upload(sim, input, {}, {
			continueOnFail: true,
			parameters: { dcrImmutableId: 'dcr-123' },
		});
		expect(sim.tokenLog).toHaveLength(0);
		const errors = errorItems(result.outputs[0]);
		expect(errors.map((e) => e.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(errors[0].json.message).toMatch(/^Nothing was sent: The DCR Immutable ID "dcr-123" is not valid/);
		expect(details(errors[0])).toMatchObject({ field: 'dcrImmutableId', httpStatus: null, recordsNotAccepted: 0 });
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 0, requests: 0, itemsFailed: 2 });
	});

	test('custom cloud lifts the host check (not the https rule)', async () => {
		const result = await upload(sim, input.slice(0, 1), {}, { credentials: credentialsFor(sim) });
		expect(result.error).toBeUndefined();
	});

	test('self-signed certificate refused unless "Ignore SSL Issues" is on', async () => {
		const result = await upload(sim, input, { allowUnauthorizedCerts: false });
		expect(result.error?.message).toMatch(/Could not get an access token/);
		expect(result.error?.description).toMatch(/certificate/i);
		expect(sim.ingestionLog).toHaveLength(0);
	});
});

describe('TimeGenerated, record sources, output', () => {
	test('set to now when missing (default): one ISO 8601 time for the run; present values kept', async () => {
		const input = auditRecords(5);
		input[2] = { ...input[2], TimeGenerated: '2024-04-30T10:00:00Z' };
		const result = await upload(sim, input);
		expect(result.error).toBeUndefined();
		const records = stored();
		const now = records[0].TimeGenerated;
		expect(now).toMatch(ISO);
		expect(records).toEqual(input.map((r, i) => (i === 2 ? r : { ...r, TimeGenerated: now })));
	});

	test('taken from a field, always ISO 8601', async () => {
		const input = auditRecords(3).map((r, i) => ({ ...r, dateTime: ['2024-05-01 10:00:00', 1714557600, '2024-05-01T12:00:00+02:00'][i] }));
		await upload(sim, input, { timeGenerated: 'fromField', timeGeneratedField: 'dateTime' });
		expect(stored().map((r) => r.TimeGenerated)).toEqual([
			'2024-05-01T10:00:00.000Z',
			'2024-05-01T10:00:00.000Z',
			'2024-05-01T12:00:00+02:00',
		]);
	});

	test('keep: rewritten as ISO 8601 when needed, missing stays missing', async () => {
		const input = [
			{ seq: 0, TimeGenerated: '2023-11-14 15:10:02' },
			{ seq: 1 },
			{ seq: 2, TimeGenerated: '2023-11-14T15:10:02Z' },
		];
		await upload(sim, input, { timeGenerated: 'keep' });
		expect(stored()).toEqual([
			{ seq: 0, TimeGenerated: '2023-11-14T15:10:02.000Z' },
			{ seq: 1 },
			{ seq: 2, TimeGenerated: '2023-11-14T15:10:02Z' },
		]);
	});

	test('bad time without continueOnFail: fails before anything is sent, naming item and field', async () => {
		const input = auditRecords(4);
		input[2] = { ...input[2], dateTime: 'yesterday' };
		const result = await upload(sim, input, { timeGenerated: 'fromField' });
		expect(result.error?.message).toBe('Item 2 has "dateTime" = string "yesterday", which is not a date and time (ISO 8601 or Unix time)');
		expect(result.error?.description).toMatch(/Nothing was sent/);
		expect(sim.tokenLog).toHaveLength(0);
		expect(sim.ingestionLog).toHaveLength(0);
	});

	test('bad time with continueOnFail: error item for that item, the others sent', async () => {
		const input = auditRecords(4);
		input[2] = { ...input[2], dateTime: 'yesterday' };
		const result = await upload(sim, input, { timeGenerated: 'fromField' }, { continueOnFail: true });
		expect(stored().map((r) => r.seq)).toEqual([0, 1, 3]);
		const errors = errorItems(result.outputs[0]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 2 });
		expect(errors[0].json.message).toBe('Item 2 has "dateTime" = string "yesterday", which is not a date and time (ISO 8601 or Unix time)');
		expect(details(errors[0])).toMatchObject({ itemIndex: 2, field: 'dateTime', httpStatus: null });
	});

	test('records from an array field of each item', async () => {
		const input = [
			{ batch: 'a', records: [{ seq: 0 }, { seq: 1 }] },
			{ batch: 'b', records: [] },
			{ batch: 'c', records: 'oops' },
			{ batch: 'd', records: [{ seq: 2 }, { seq: 3 }, { seq: 4 }] },
		];
		const result = await upload(sim, input, { recordSource: 'field', recordsField: 'records', timeGenerated: 'keep' }, { continueOnFail: true });
		expect(stored()).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }]);
		const errors = errorItems(result.outputs[0]);
		expect(errors.map((e) => [e.pairedItem, e.json.message])).toEqual([
			[{ item: 2 }, 'Item 2 has "records" = string "oops", not an array of records'],
		]);
		expect(summaryOf(result.outputs)).toMatchObject({ recordsAccepted: 5, itemsFailed: 1 });
	});

	test('array field: a partly accepted item reports its counts', async () => {
		const input = [
			{ records: [{ seq: 0 }, { seq: 1, blob: randomBytes(1_600_000).toString('base64') }, { seq: 2 }] },
			{ records: [{ seq: 3 }] },
		];
		const result = await upload(sim, input, { recordSource: 'field', timeGenerated: 'keep' }, { continueOnFail: true });
		expect(stored()).toEqual([{ seq: 0 }, { seq: 2 }, { seq: 3 }]);
		const [error] = errorItems(result.outputs[0]);
		expect(error.pairedItem).toEqual({ item: 0 });
		expect(details(error)).toMatchObject({ recordsAccepted: 2, recordsNotAccepted: 1 });
		expect(String(error.json.message)).toMatch(/^Record 1 of item 0 \("records\[1\]"\) is [\d,]+ bytes after gzip on its own.*\(2 of 3 records of item 0 accepted\)$/);
	});

	test('pass-through output: accepted items unchanged, paired; failures as error items', async () => {
		const input = auditRecords(4);
		input[1] = { ...input[1], blob: randomBytes(1_600_000).toString('base64') };
		const result = await upload(sim, input, { output: 'passThrough' }, { continueOnFail: true });
		const items = result.outputs[0];
		const passed = items.filter((item) => item.json.error === undefined);
		expect(passed.map((item) => item.json)).toEqual([input[0], input[2], input[3]]);
		expect(passed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 3 }]);
		expect(errorItems(items).map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
	});

	test('records go to the configured stream', async () => {
		await upload(sim, [{ seq: 0 }], { timeGenerated: 'keep' }, { parameters: { streamName: OTHER_STREAM } });
		expect(sim.records(DCR, OTHER_STREAM)).toEqual([{ seq: 0 }]);
		expect(sim.records(DCR, STREAM)).toEqual([]);
	});

	test('plain http on loopback is allowed (endpoint and authority)', async () => {
		const httpSim = await startSimulator();
		try {
			const result = await upload(httpSim, [{ seq: 0 }], { timeGenerated: 'keep' }, { credentials: credentialsFor(httpSim) });
			expect(result.error).toBeUndefined();
			expect(httpSim.records(DCR, STREAM)).toEqual([{ seq: 0 }]);
		} finally {
			await httpSim.stop();
		}
	});
});
