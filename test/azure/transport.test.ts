import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { resolveAuthSettings } from '../../nodes/AzureLogIngestion/helpers/cloud';
import { sendBody, type IngestContext } from '../../nodes/AzureLogIngestion/transport/ingest';
import {
	cleanEntraDescription,
	clearTokenCache,
	explainTokenError,
	getAccessToken,
	jwtExpiry,
	refreshMarginMs,
	requestAccessToken,
	TokenRequestError,
} from '../../nodes/AzureLogIngestion/transport/token';

const SECRET = 'super-secret-value-1234567890';
const auth = resolveAuthSettings({
	cloud: 'custom',
	tenantId: 'contoso.onmicrosoft.com',
	clientId: 'client-1',
	clientSecret: SECRET,
	authorityHost: 'https://login.example.test',
	audience: 'https://monitor.azure.com',
});
const INGEST_URL = 'https://dce.example.test/dataCollectionRules/dcr-1/streams/Custom-X?api-version=2023-01-01';

type Answer = { statusCode: number; headers?: Record<string, string>; body?: unknown } | Error;

/** An n8n-like request helper answering token requests and scripted ingestion answers. */
function fakeHelpers(ingestAnswers: Answer[] = [], tokenAnswers: Answer[] = []) {
	const requests: IHttpRequestOptions[] = [];
	let tokens = 0;
	const helper = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				requests.push(options);
				const answer = options.url.includes('/oauth2/')
					? (tokenAnswers.shift() ?? {
							statusCode: 200,
							body: { access_token: `token-${++tokens}-abcdefghijkl`, expires_in: 3600 },
						})
					: (ingestAnswers.shift() ?? { statusCode: 204, headers: { 'x-ms-request-id': 'rid' }, body: '' });
				if (answer instanceof Error) throw answer;
				return { headers: {}, body: '', ...answer };
			},
		},
	} as unknown as IHttpRequestHelper;
	return {
		helper,
		requests,
		tokenRequests: () => requests.filter((r) => r.url.includes('/oauth2/')),
		ingestRequests: () => requests.filter((r) => !r.url.includes('/oauth2/')),
	};
}

const context = (): IngestContext => ({
	auth,
	url: INGEST_URL,
	policy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 20 },
	skipSslCertificateValidation: false,
	timeoutMs: 1000,
});

function networkError(code: string, message = 'socket hang up'): Error {
	return Object.assign(new Error(message), { code });
}

beforeEach(() => clearTokenCache());

describe('Entra ID errors in words', () => {
	const ctx = { tenantId: 'tenant-x', clientId: 'app-y', authority: 'https://login.microsoftonline.com' };
	const body = (code: number, text: string) => ({
		error: 'x',
		error_description: `AADSTS${code}: ${text} Trace ID: 1 Correlation ID: 2 Timestamp: 2024-01-01 00:00:00Z`,
		error_codes: [code],
	});

	test.each([
		[90002, /^Unknown tenant: .*"tenant-x".*\(AADSTS90002\)$/],
		[900023, /^Unknown tenant: .*\(AADSTS900023\)$/],
		[700016, /^Unknown application: no app with client ID "app-y" is registered in tenant "tenant-x".*\(AADSTS700016\)$/],
		[7000215, /^Wrong client secret for app "app-y": use the secret's Value .*not its Secret ID.*\(AADSTS7000215\)$/],
		[7000222, /^Expired client secret for app "app-y": create a new client secret.*\(AADSTS7000222\)$/],
	])('AADSTS%s', (code, message) => {
		const explained = explainTokenError(400, body(code, 'whatever.'), ctx);
		expect(explained.code).toBe(`AADSTS${code}`);
		expect(explained.message).toMatch(message);
	});

	test('other codes: the code and Entra description, without trace/correlation ids', () => {
		const explained = explainTokenError(400, body(500011, 'The resource principal named x was not found.'), ctx);
		expect(explained.message).toBe(
			'Entra ID refused the token request: AADSTS500011: The resource principal named x was not found.',
		);
		expect(explained.message).not.toMatch(/Trace ID|Correlation ID|Timestamp/);
	});

	test('code taken from the description when error_codes is missing; no code at all', () => {
		expect(explainTokenError(401, { error_description: 'AADSTS7000215: Invalid client secret.' }, ctx).code).toBe(
			'AADSTS7000215',
		);
		expect(explainTokenError(500, 'Service Unavailable', ctx).message).toBe(
			'Entra ID refused the token request: Service Unavailable',
		);
		expect(explainTokenError(502, undefined, ctx).message).toBe('Entra ID refused the token request: HTTP 502');
	});

	test('cleanEntraDescription', () => {
		expect(cleanEntraDescription('AADSTS1: Text.\r\nTrace ID: a\r\nCorrelation ID: b\r\nTimestamp: c')).toBe(
			'AADSTS1: Text.',
		);
	});
});

describe('requestAccessToken', () => {
	test('posts the client-credentials form to {authority}/{tenant}/oauth2/v2.0/token, no redirects', async () => {
		const fake = fakeHelpers();
		const token = await requestAccessToken.call(fake.helper, auth);
		expect(token.token).toBe('token-1-abcdefghijkl');
		expect(token.lifetimeMs).toBe(3_600_000);
		const [request] = fake.requests;
		expect(request.url).toBe('https://login.example.test/contoso.onmicrosoft.com/oauth2/v2.0/token');
		expect(request.method).toBe('POST');
		expect(request.disableFollowRedirect).toBe(true);
		expect(Object.fromEntries(new URLSearchParams(String(request.body)))).toEqual({
			client_id: 'client-1',
			client_secret: SECRET,
			grant_type: 'client_credentials',
			scope: 'https://monitor.azure.com/.default',
		});
	});

	test.each([
		[{ access_token: 'a', expires_in: '120' }, 120_000],
		[{ access_token: 'a', expires_in: 4999 }, 4_999_000],
	])('lifetime from expires_in %p', async (body, lifetime) => {
		const fake = fakeHelpers([], [{ statusCode: 200, body }]);
		expect((await requestAccessToken.call(fake.helper, auth)).lifetimeMs).toBe(lifetime);
	});

	test('lifetime from expires_on, then from the JWT, else short: never an assumed hour', async () => {
		const now = Math.floor(Date.now() / 1000);
		const onFake = fakeHelpers([], [{ statusCode: 200, body: { access_token: 'a', expires_on: String(now + 600) } }]);
		const fromExpiresOn = await requestAccessToken.call(onFake.helper, auth);
		expect(fromExpiresOn.lifetimeMs).toBeGreaterThan(590_000);
		expect(fromExpiresOn.lifetimeMs).toBeLessThanOrEqual(600_000);
		const jwt = `h.${Buffer.from(JSON.stringify({ exp: now + 900 })).toString('base64url')}.s`;
		expect(jwtExpiry(jwt)).toBe((now + 900) * 1000);
		const jwtFake = fakeHelpers([], [{ statusCode: 200, body: { access_token: jwt } }]);
		expect((await requestAccessToken.call(jwtFake.helper, auth)).lifetimeMs).toBeGreaterThan(890_000);
		const opaque = fakeHelpers([], [{ statusCode: 200, body: { access_token: 'opaque' } }]);
		expect((await requestAccessToken.call(opaque.helper, auth)).lifetimeMs).toBe(60_000);
		expect(jwtExpiry('a.b')).toBeUndefined();
		expect(jwtExpiry('a.!!!.c')).toBeUndefined();
	});

	test('refusals become TokenRequestError with the explanation; the secret never shows', async () => {
		const fake = fakeHelpers([], [
			{
				statusCode: 401,
				body: {
					error: 'invalid_client',
					error_description: `AADSTS7000215: Invalid client secret provided: ${SECRET}. Trace ID: x`,
					error_codes: [7000215],
				},
			},
		]);
		const error = await requestAccessToken.call(fake.helper, auth).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TokenRequestError);
		expect((error as TokenRequestError).aadstsCode).toBe('AADSTS7000215');
		expect((error as TokenRequestError).transient).toBe(false);
		expect((error as Error).message).toMatch(/^Wrong client secret/);
		// No status-like keys, so n8n's NodeApiError keeps the explanation as the message.
		expect(Object.keys(error as object)).not.toEqual(expect.arrayContaining(['statusCode']));
		expect(JSON.stringify(error)).not.toContain(SECRET);
	});

	test('unreachable endpoint: transient, secret redacted', async () => {
		const fake = fakeHelpers([], [networkError('ECONNREFUSED', `connect ECONNREFUSED ${SECRET}`)]);
		const error = (await requestAccessToken.call(fake.helper, auth).catch((e: unknown) => e)) as TokenRequestError;
		expect(error.transient).toBe(true);
		expect(error.message).toMatch(/^Could not reach the token endpoint https:\/\/login\.example\.test/);
		expect(error.message).not.toContain(SECRET);
	});

	test('5xx from the token endpoint is transient', async () => {
		const fake = fakeHelpers([], [{ statusCode: 503, headers: { 'retry-after': '2' }, body: 'busy' }]);
		const error = (await requestAccessToken.call(fake.helper, auth).catch((e: unknown) => e)) as TokenRequestError;
		expect(error.transient).toBe(true);
		expect(error.message).toBe('Entra ID refused the token request: busy (retry after 2 s)');
	});

	test('200 without a token', async () => {
		const fake = fakeHelpers([], [{ statusCode: 200, body: '<html></html>' }]);
		await expect(requestAccessToken.call(fake.helper, auth)).rejects.toThrow(/without an access_token/);
	});
});

describe('token cache', () => {
	test('refresh margin: 10 % of the lifetime or 5 minutes, whichever is smaller', () => {
		expect(refreshMarginMs(3_600_000)).toBe(300_000);
		expect(refreshMarginMs(600_000)).toBe(60_000);
		expect(refreshMarginMs(2_000)).toBe(200);
	});

	test('reused while fresh, renewed before expiry, one request for many waiters', async () => {
		const fake = fakeHelpers();
		let now = 1_000_000;
		const clock = { now: () => now };
		const tokens = await Promise.all(Array.from({ length: 5 }, async () => await getAccessToken.call(fake.helper, auth, clock)));
		expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
		expect(fake.tokenRequests()).toHaveLength(1);
		const first = tokens[0];
		now = first.expiresAt - 300_001;
		expect((await getAccessToken.call(fake.helper, auth, clock)).token).toBe(first.token);
		now = first.expiresAt - 299_999;
		const renewed = await getAccessToken.call(fake.helper, auth, clock);
		expect(renewed.token).not.toBe(first.token);
		expect(fake.tokenRequests()).toHaveLength(2);
	});

	test('a rejected token is replaced once, however many requests report it', async () => {
		const fake = fakeHelpers();
		const first = await getAccessToken.call(fake.helper, auth);
		const replaced = await Promise.all(
			Array.from({ length: 3 }, async () => await getAccessToken.call(fake.helper, auth, { rejected: first.token })),
		);
		expect(new Set(replaced.map((t) => t.token)).size).toBe(1);
		expect(replaced[0].token).not.toBe(first.token);
		expect(fake.tokenRequests()).toHaveLength(2);
	});

	test('different secrets never share a token', async () => {
		const fake = fakeHelpers();
		const a = await getAccessToken.call(fake.helper, auth);
		const b = await getAccessToken.call(fake.helper, { ...auth, clientSecret: 'other-secret-value' });
		expect(a.token).not.toBe(b.token);
	});
});

describe('sendBody', () => {
	const body = Buffer.from('[{"a":1}]');

	test('204: one request with bearer token, JSON, gzip and a GUID client request id', async () => {
		const fake = fakeHelpers();
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(result).toMatchObject({ ok: true, status: 204, requestId: 'rid', attempts: 1, bytesOnWire: body.length });
		const [request] = fake.ingestRequests();
		expect(request.headers).toMatchObject({
			Authorization: 'Bearer token-1-abcdefghijkl',
			'Content-Type': 'application/json',
			'Content-Encoding': 'gzip',
		});
		expect(String(request.headers?.['x-ms-client-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
		expect(request.disableFollowRedirect).toBe(true);
		expect(request.ignoreHttpStatusErrors).toBe(true);
		expect(request.body).toBe(body);
	});

	test('without gzip: no Content-Encoding', async () => {
		const fake = fakeHelpers();
		await sendBody.call(fake.helper, context(), body, false);
		expect(fake.ingestRequests()[0].headers?.['Content-Encoding']).toBeUndefined();
	});

	test.each([
		[{ statusCode: 429, headers: { 'retry-after-ms': '5' } }],
		[{ statusCode: 429, headers: { 'Retry-After': '0' } }],
		[{ statusCode: 503, headers: { 'retry-after-ms': '1' } }],
		[{ statusCode: 500 }],
		[{ statusCode: 502 }],
		[{ statusCode: 408 }],
		[networkError('ECONNRESET')],
		[networkError('ETIMEDOUT', 'timeout of 1000ms exceeded')],
	])('retried: %p then 204', async (first) => {
		const fake = fakeHelpers([first]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(result).toMatchObject({ ok: true, attempts: 2, bytesOnWire: body.length * 2 });
		const ids = fake.ingestRequests().map((r) => r.headers?.['x-ms-client-request-id']);
		expect(new Set(ids).size).toBe(2);
	});

	test.each([
		[400, 'InvalidStream', false, /stream name/],
		[403, 'OperationFailed', true, /Monitoring Metrics Publisher.*30 minutes/],
		[404, 'NotFound', true, /DCR Immutable ID/],
		[413, 'ContentLengthLimitExceeded', false, /1,048,576 bytes/],
	])('not retried: %s %s', async (status, code, stops, hint) => {
		const fake = fakeHelpers([
			{ statusCode: status, headers: { 'x-ms-error-code': code, 'x-ms-request-id': 'r-9' }, body: { error: { code, message: 'm' } } },
		]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(fake.ingestRequests()).toHaveLength(1);
		expect(result).toMatchObject({ ok: false, status, code, message: 'm', requestId: 'r-9', attempts: 1 });
		expect(result.ok === false && result.stopsRun === true).toBe(stops);
		expect(result.ok === false ? result.hint : '').toMatch(hint);
	});

	test('retries are bounded: the last answer is reported', async () => {
		const fake = fakeHelpers([{ statusCode: 500 }, { statusCode: 500 }, { statusCode: 500 }, { statusCode: 500 }, { statusCode: 204 }]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(result).toMatchObject({ ok: false, status: 500, attempts: 4 });
		expect(fake.ingestRequests()).toHaveLength(4);
	});

	test('401: the token is renewed once and the request retried once', async () => {
		const fake = fakeHelpers([{ statusCode: 401, body: { error: { code: 'InvalidToken', message: 'expired' } } }]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(result.ok).toBe(true);
		expect(fake.tokenRequests()).toHaveLength(2);
		const auths = fake.ingestRequests().map((r) => r.headers?.Authorization);
		expect(auths).toEqual(['Bearer token-1-abcdefghijkl', 'Bearer token-2-abcdefghijkl']);
	});

	test('401 twice: fails after one renewal', async () => {
		const fake = fakeHelpers([{ statusCode: 401 }, { statusCode: 401 }, { statusCode: 204 }]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(result).toMatchObject({ ok: false, status: 401, attempts: 2, stopsRun: true });
		expect(fake.tokenRequests()).toHaveLength(2);
	});

	test('a non-transient network error is not retried', async () => {
		const fake = fakeHelpers([networkError('CERT_HAS_EXPIRED', 'certificate has expired')]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(result).toMatchObject({ ok: false, attempts: 1 });
		expect(result.ok === false ? result.message : '').toBe(
			'No answer from dce.example.test: certificate has expired (CERT_HAS_EXPIRED)',
		);
	});

	test('token refused: no ingestion request, stops the run', async () => {
		const fake = fakeHelpers([], [{ statusCode: 401, body: { error_description: 'AADSTS7000215: bad', error_codes: [7000215] } }]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(fake.ingestRequests()).toHaveLength(0);
		expect(result).toMatchObject({ ok: false, code: 'AADSTS7000215', stopsRun: true });
		expect(result.ok === false ? result.message : '').toMatch(/^No access token: Wrong client secret/);
	});

	test('cancelled: nothing is sent', async () => {
		const fake = fakeHelpers();
		const controller = new AbortController();
		controller.abort();
		const result = await sendBody.call(fake.helper, { ...context(), abortSignal: controller.signal }, body, true);
		expect(result).toMatchObject({ ok: false, attempts: 0, message: 'Not sent: the execution was cancelled' });
		expect(fake.requests).toHaveLength(0);
	});

	test('tokens and secrets echoed by the service are redacted', async () => {
		const fake = fakeHelpers([
			{ statusCode: 400, body: { error: { code: 'Bad', message: `token token-1-abcdefghijkl and ${SECRET}` } } },
		]);
		const result = await sendBody.call(fake.helper, context(), body, true);
		expect(JSON.stringify(result)).not.toContain('token-1-abcdefghijkl');
		expect(JSON.stringify(result)).not.toContain(SECRET);
	});
});
