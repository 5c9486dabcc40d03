/** The Azure simulator itself: what it accepts and refuses, over plain HTTP requests. */
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { gzipSync } from 'zlib';

import { AzureSimulator, scanKeys, SIM_BODY_LIMIT } from '../simulators/azure';
import { CLIENT, DCR, NO_ROLE_CLIENT, NO_ROLE_SECRET, SECRET, simOptions, STREAM, TENANT } from './fixtures';

let sim: AzureSimulator;

async function call(
	target: AzureSimulator,
	method: string,
	path: string,
	body?: Buffer | string,
	headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
	const url = new URL(path, target.baseUrl);
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return await new Promise((resolve, reject) => {
		const req = send(url, { method, headers, rejectUnauthorized: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

async function token(target: AzureSimulator, clientId = CLIENT, secret = SECRET, scope = 'https://monitor.azure.com/.default') {
	const response = await call(target, 'POST', `/${TENANT}/oauth2/v2.0/token`, new URLSearchParams({
		client_id: clientId,
		client_secret: secret,
		grant_type: 'client_credentials',
		scope,
	}).toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });
	return JSON.parse(response.body) as { access_token: string; expires_in: number };
}

const ingest = (target: AzureSimulator, bearer: string, body: Buffer | string, headers: Record<string, string> = {}, dcr = DCR, stream = STREAM) =>
	call(target, 'POST', `/dataCollectionRules/${dcr}/streams/${stream}?api-version=2023-01-01`, body, {
		Authorization: `Bearer ${bearer}`,
		'Content-Type': 'application/json',
		...headers,
	});

beforeAll(async () => {
	sim = await AzureSimulator.start(simOptions({ tokenLifetimeSeconds: 120 }));
});

afterAll(async () => {
	await sim.stop();
});

beforeEach(() => sim.reset());

describe('token endpoint', () => {
	test('client credentials: a token with the configured lifetime', async () => {
		const answer = await token(sim);
		expect(answer.expires_in).toBe(120);
		expect(sim.issuedTokens()).toContain(answer.access_token);
	});

	test('unknown app and wrong secret: AADSTS errors', async () => {
		const unknown = await call(sim, 'POST', `/${TENANT}/oauth2/v2.0/token`, 'client_id=nobody&client_secret=x&grant_type=client_credentials&scope=https://monitor.azure.com/.default');
		expect(unknown.status).toBe(400);
		expect(JSON.parse(unknown.body).error_codes).toEqual([700016]);
		const wrong = await call(sim, 'POST', `/${TENANT}/oauth2/v2.0/token`, `client_id=${CLIENT}&client_secret=nope&grant_type=client_credentials&scope=https://monitor.azure.com/.default`);
		expect(wrong.status).toBe(401);
		expect(JSON.parse(wrong.body).error_description).toMatch(/^AADSTS7000215: .* Trace ID: /);
	});
});

describe('logs ingestion endpoint', () => {
	test('stores a JSON array, gzip or not, and answers 204 with a request id', async () => {
		const { access_token: bearer } = await token(sim);
		const plain = await ingest(sim, bearer, '[{"a":1}]', { 'x-ms-client-request-id': 'c-1' });
		expect(plain.status).toBe(204);
		expect(plain.headers['x-ms-request-id']).toBeDefined();
		const zipped = await ingest(sim, bearer, gzipSync('[{"b":2},{"c":3}]'), { 'Content-Encoding': 'gzip' });
		expect(zipped.status).toBe(204);
		expect(sim.records(DCR, STREAM)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
		expect(sim.ingestionLog.map((e) => [e.clientRequestId, e.records, e.contentEncoding])).toEqual([
			['c-1', 1, undefined],
			[undefined, 2, 'gzip'],
		]);
	});

	test.each([
		['no token', '', 401, 'InvalidToken'],
		['unknown token', 'sim.nope', 401, 'InvalidToken'],
	])('%s (bearer %p) → %i %s', async (_name, bearer, status, code) => {
		const answer = await ingest(sim, bearer, '[]');
		expect(answer.status).toBe(status);
		expect(answer.headers['x-ms-error-code']).toBe(code);
	});

	test('expired tokens and wrong audiences are refused', async () => {
		const { access_token: other } = await token(sim, CLIENT, SECRET, 'https://monitor.azure.us/.default');
		expect((await ingest(sim, other, '[]')).headers['x-ms-error-code']).toBe('InvalidAudience');
		const { access_token: bearer } = await token(sim);
		sim.expireAllTokens();
		expect((await ingest(sim, bearer, '[]')).status).toBe(401);
	});

	test('unknown DCR 404, no role 403, unknown stream 400, not an array 400, bad gzip 400', async () => {
		const { access_token: bearer } = await token(sim);
		expect((await ingest(sim, bearer, '[]', {}, 'dcr-ffffffffffffffffffffffffffffffff')).status).toBe(404);
		const { access_token: noRole } = await token(sim, NO_ROLE_CLIENT, NO_ROLE_SECRET);
		const forbidden = await ingest(sim, noRole, '[]');
		expect([forbidden.status, JSON.parse(forbidden.body).error.code]).toEqual([403, 'OperationFailed']);
		expect((await ingest(sim, bearer, '[]', {}, DCR, 'Custom-Nope_CL')).headers['x-ms-error-code']).toBe('InvalidStream');
		expect((await ingest(sim, bearer, '{"a":1}')).headers['x-ms-error-code']).toBe('InvalidPayload');
		expect((await ingest(sim, bearer, 'not json')).headers['x-ms-error-code']).toBe('InvalidJson');
		expect((await ingest(sim, bearer, 'xx', { 'Content-Encoding': 'gzip' })).headers['x-ms-error-code']).toBe('InvalidContentEncoding');
		expect(sim.records(DCR, STREAM)).toEqual([]);
	});

	test('413 ContentLengthLimitExceeded over 1,048,576 body bytes as received', async () => {
		const { access_token: bearer } = await token(sim);
		const exact = `[${'"'.padEnd(SIM_BODY_LIMIT - 3, 'x')}"]`;
		expect(Buffer.byteLength(exact)).toBe(SIM_BODY_LIMIT);
		expect((await ingest(sim, bearer, exact)).status).toBe(204);
		const over = await ingest(sim, bearer, `${exact} `);
		expect(over.status).toBe(413);
		expect(JSON.parse(over.body).error.code).toBe('ContentLengthLimitExceeded');
	});

	test('faults: status with Retry-After / retry-after-ms, capitalised keys, reset, then normal', async () => {
		const { access_token: bearer } = await token(sim);
		sim.queueFaults(
			{ status: 429, retryAfter: '3' },
			{ status: 503, retryAfterMs: 250, capitalizedKeys: true, noErrorCodeHeader: true, code: 'Busy' },
			{ reset: true },
		);
		const throttled = await ingest(sim, bearer, '[]');
		expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '3']);
		const busy = await ingest(sim, bearer, '[]');
		expect([busy.status, busy.headers['retry-after-ms'], busy.headers['x-ms-error-code']]).toEqual([503, '250', undefined]);
		expect(JSON.parse(busy.body)).toEqual({ Error: { Code: 'Busy', Message: 'Simulated failure 503' } });
		await expect(ingest(sim, bearer, '[]')).rejects.toThrow();
		expect((await ingest(sim, bearer, '[{"ok":true}]')).status).toBe(204);
		expect(sim.ingestionLog.map((e) => e.status)).toEqual([429, 503, 'reset', 204]);
		expect(sim.pendingFaults).toBe(0);
	});
});

test('over https with a certificate made at start-up', async () => {
	const secure = await AzureSimulator.start(simOptions({ https: true }));
	try {
		expect(secure.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		const { access_token: bearer } = await token(secure);
		expect((await ingest(secure, bearer, '[{"x":1}]')).status).toBe(204);
		expect(secure.records(DCR, STREAM)).toEqual([{ x: 1 }]);
	} finally {
		await secure.stop();
	}
});

test('benchmark mode: records found by their key without parsing', async () => {
	expect(scanKeys(Buffer.from(' [{"id":"a","x":{"id":"nested-but-not-a-string-key"}},{"id":"b"}] '), 'id')).toEqual([
		'a',
		'nested-but-not-a-string-key',
		'b',
	]);
	expect(scanKeys(Buffer.from('{"id":"a"}'), 'id')).toBeUndefined();
	const counting = await AzureSimulator.start(simOptions({ storeRecords: false, keyField: 'id', verify: 'scan' }));
	try {
		const { access_token: bearer } = await token(counting);
		expect((await ingest(counting, bearer, '[{"id":"1"},{"id":"2"},{"id":"2"}]')).status).toBe(204);
		expect(counting.recordCount(DCR, STREAM)).toBe(3);
		expect(counting.distinctKeys(DCR, STREAM)).toBe(2);
		expect(counting.records(DCR, STREAM)).toEqual([]);
	} finally {
		await counting.stop();
	}
});
