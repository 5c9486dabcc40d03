import type { IHttpRequestOptions } from 'n8n-workflow';

import { AzureLogIngestionApi } from '../../credentials/AzureLogIngestionApi.credentials';
import { clearTokenCache } from '../../nodes/AzureLogIngestion/transport/token';
import { runDeclarativeCredentialTest } from '../harness/declarative-credential-test';
import type { AzureSimulator } from '../simulators/azure';
import {
	CLIENT,
	credentialsFor,
	deepDump,
	EXPIRED_CLIENT,
	EXPIRED_SECRET,
	SECRET,
	startSimulator,
	TENANT,
} from './fixtures';

let sim: AzureSimulator;

beforeAll(async () => {
	sim = await startSimulator();
});

afterAll(async () => {
	await sim.stop();
});

beforeEach(() => {
	sim.reset();
	clearTokenCache();
});

async function test_(overrides: Record<string, string>) {
	return await runDeclarativeCredentialTest('azureLogIngestionApi', credentialsFor(sim, overrides));
}

describe('credential type', () => {
	const type = new AzureLogIngestionApi();

	test('public contract: name, display name, fields', () => {
		expect(type.name).toBe('azureLogIngestionApi');
		expect(type.displayName).toBe('Azure Log Ingestion API');
		expect(type.properties.map((p) => p.name)).toEqual([
			'cloud',
			'tenantId',
			'clientId',
			'clientSecret',
			'authorityHost',
			'audience',
			'accessToken',
		]);
		const cloud = type.properties.find((p) => p.name === 'cloud');
		expect(cloud?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([
			'azurePublic',
			'azureChina',
			'azureUsGovernment',
			'custom',
		]);
		expect(type.properties.find((p) => p.name === 'clientSecret')?.typeOptions?.password).toBe(true);
		const token = type.properties.find((p) => p.name === 'accessToken');
		expect(token?.type).toBe('hidden');
		expect(token?.typeOptions?.expirable).toBe(true);
	});

	test('authenticate: the bearer token only goes to hosts of the credential cloud, or loopback', async () => {
		const authenticate = type.authenticate as (
			credentials: Record<string, unknown>,
			options: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const withToken = async (cloud: string, url: string) =>
			(await authenticate({ cloud, accessToken: 'tok-123' }, { url })).headers?.Authorization;
		expect(await withToken('azurePublic', 'https://dce-1.eastus-1.ingest.monitor.azure.com/x')).toBe('Bearer tok-123');
		expect(await withToken('azurePublic', 'https://login.microsoftonline.com/t/v2.0')).toBeUndefined();
		expect(await withToken('azurePublic', 'https://example.com')).toBeUndefined();
		expect(await withToken('azurePublic', 'http://dce-1.eastus-1.ingest.monitor.azure.com')).toBeUndefined();
		expect(await withToken('azureChina', 'https://dce.ingest.monitor.azure.cn')).toBe('Bearer tok-123');
		expect(await withToken('azureChina', 'https://dce.ingest.monitor.azure.com')).toBeUndefined();
		expect(await withToken('azureUsGovernment', 'http://127.0.0.1:3000/x')).toBe('Bearer tok-123');
		expect(await withToken('custom', 'https://anything.example.test')).toBe('Bearer tok-123');
		expect(await withToken('custom', 'http://anything.example.test')).toBeUndefined();
		expect(await withToken('custom', 'not a url')).toBeUndefined();
		expect((await authenticate({ cloud: 'custom', accessToken: '' }, { url: 'https://a.test' })).headers).toBeUndefined();
	});

	test('authenticate: an unset cloud is Azure public; an unknown one gets no token, and no crash', async () => {
		const authenticate = type.authenticate as (
			credentials: Record<string, unknown>,
			options: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const dce = 'https://dce-1.eastus-1.ingest.monitor.azure.com/x';
		for (const cloud of ['', undefined]) {
			expect((await authenticate({ cloud, accessToken: 'tok-123' }, { url: dce })).headers?.Authorization).toBe('Bearer tok-123');
		}
		for (const url of [dce, 'http://127.0.0.1:3000/x']) {
			expect((await authenticate({ cloud: 'mars', accessToken: 'tok-123' }, { url })).headers).toBeUndefined();
		}
	});
});

describe('Test button (declarative test through n8n-core RoutingNode)', () => {
	test('valid credential: a token is obtained and kept, the OpenID configuration fetched', async () => {
		const result = await test_({});
		expect(result.status).toBe('OK');
		expect(result.message).toBe('Connection successful!');
		expect(sim.tokenLog).toHaveLength(1);
		expect(sim.tokenLog[0]).toMatchObject({ tenantId: TENANT, clientId: CLIENT, scope: 'https://monitor.azure.com/.default', status: 200 });
		expect(result.helper.updates).toHaveLength(1);
		expect(result.helper.updates[0].accessToken).toBe(sim.tokenLog[0].token);
	});

	test('runs preAuthentication even when a token is already stored', async () => {
		const result = await test_({ accessToken: 'stale-token-from-the-database' });
		expect(result.status).toBe('OK');
		expect(sim.tokenLog).toHaveLength(1);
	});

	test.each([
		[{ tenantId: '22222222-2222-2222-2222-222222222222' }, /^Unknown tenant: Entra ID at http:\/\/127\.0\.0\.1:\d+ has no tenant "22222222-2222-2222-2222-222222222222"\. .*\(AADSTS90002\)$/],
		[{ tenantId: 'contoso' }, /^Unknown tenant: .*"contoso".*\(AADSTS900023\)$/],
		[{ clientId: '12345678-1234-1234-1234-123456789012' }, /^Unknown application: no app with client ID "12345678-1234-1234-1234-123456789012" is registered in tenant .*\(AADSTS700016\)$/],
		[{ clientSecret: 'wrong-secret-value-000' }, /^Wrong client secret for app "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee": use the secret's Value .*\(AADSTS7000215\)$/],
		[{ clientId: EXPIRED_CLIENT, clientSecret: EXPIRED_SECRET }, /^Expired client secret for app "99999999-8888-7777-6666-555555555555".*\(AADSTS7000222\)$/],
		[{ audience: 'https://unknown.example.test' }, /^Entra ID refused the token request: AADSTS500011: The resource principal named https:\/\/unknown\.example\.test was not found in the tenant named .*\.$/],
	])('Entra refusal %p explained in words', async (overrides, message) => {
		const result = await test_(overrides);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toMatch(/Trace ID|Correlation ID|Timestamp/);
		for (const secret of [SECRET, EXPIRED_SECRET, 'wrong-secret-value-000']) {
			expect(deepDump(result.message)).not.toContain(secret);
		}
	});

	test('plain http authority off loopback: refused before any request', async () => {
		const result = await test_({ authorityHost: 'http://login.example.test' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The authority host http:\/\/login\.example\.test uses plain http/);
		expect(sim.tokenLog).toHaveLength(0);
	});

	test('missing fields are named', async () => {
		const result = await test_({ tenantId: '' });
		expect(result).toMatchObject({ status: 'Error', message: "The credential's Directory (Tenant) ID is empty" });
	});

	test('self-signed https authority: the certificate problem is reported', async () => {
		const httpsSim = await startSimulator({ https: true });
		try {
			const result = await runDeclarativeCredentialTest('azureLogIngestionApi', credentialsFor(httpsSim));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/certificate/i);
			expect(httpsSim.tokenLog).toHaveLength(0);
		} finally {
			await httpsSim.stop();
		}
	});
});
