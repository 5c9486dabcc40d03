import {
	AzureConfigurationError,
	checkIngestionEndpoint,
	isTokenAllowedForHost,
	parseSecureUrl,
	resolveAuthSettings,
} from '../../nodes/AzureLogIngestion/helpers/cloud';
import { isLoopbackHost } from '../../nodes/shared/url';
import {
	ingestionUrl,
	parseEndpoint,
	validateApiVersion,
	validateDcrImmutableId,
	validateStreamName,
} from '../../nodes/AzureLogIngestion/helpers/validation';

const base = { tenantId: 'contoso.onmicrosoft.com', clientId: 'app', clientSecret: 's3cr3t-value' };

function configError(fn: () => unknown): AzureConfigurationError {
	try {
		fn();
	} catch (error) {
		if (error instanceof AzureConfigurationError) return error;
		throw error;
	}
	throw new Error('expected an AzureConfigurationError');
}

describe('isLoopbackHost', () => {
	test.each(['127.0.0.1', '127.1.2.3', 'localhost', 'api.localhost', '::1', '[::1]', 'LOCALHOST'])(
		'%s is loopback',
		(host) => expect(isLoopbackHost(host)).toBe(true),
	);
	test.each(['example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '::2', '0.0.0.0'])(
		'%s is not loopback',
		(host) => expect(isLoopbackHost(host)).toBe(false),
	);
});

describe('resolveAuthSettings', () => {
	test('public cloud (default) uses the documented authority and audience', () => {
		const settings = resolveAuthSettings(base);
		expect(settings).toMatchObject({
			cloud: 'azurePublic',
			authority: 'https://login.microsoftonline.com',
			audience: 'https://monitor.azure.com',
			scope: 'https://monitor.azure.com/.default',
			tokenUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
		});
	});

	test.each([
		['azureChina', 'https://login.chinacloudapi.cn', 'https://monitor.azure.cn/.default'],
		['azureUsGovernment', 'https://login.microsoftonline.us', 'https://monitor.azure.us/.default'],
	])('%s', (cloud, authority, scope) => {
		const settings = resolveAuthSettings({ ...base, cloud });
		expect(settings.authority).toBe(authority);
		expect(settings.scope).toBe(scope);
	});

	test('custom cloud: authority and audience from the credential, trailing slashes removed', () => {
		const settings = resolveAuthSettings({
			...base,
			cloud: 'custom',
			authorityHost: 'https://login.example.test/adfs/',
			audience: 'https://monitor.example.test/',
		});
		expect(settings.tokenUrl).toBe('https://login.example.test/adfs/contoso.onmicrosoft.com/oauth2/v2.0/token');
		expect(settings.scope).toBe('https://monitor.example.test/.default');
	});

	test('custom authority over plain http is refused unless on a loopback host', () => {
		const error = configError(() =>
			resolveAuthSettings({ ...base, cloud: 'custom', authorityHost: 'http://login.example.test', audience: 'x' }),
		);
		expect(error.field).toBe('authorityHost');
		expect(error.message).toMatch(/plain http/);
		expect(
			resolveAuthSettings({ ...base, cloud: 'custom', authorityHost: 'http://127.0.0.1:8080', audience: 'a' }).tokenUrl,
		).toBe('http://127.0.0.1:8080/contoso.onmicrosoft.com/oauth2/v2.0/token');
	});

	test.each([
		[{ ...base, tenantId: '' }, 'tenantId'],
		[{ ...base, tenantId: '../evil' }, 'tenantId'],
		[{ ...base, clientId: ' ' }, 'clientId'],
		[{ ...base, clientSecret: '' }, 'clientSecret'],
		[{ ...base, cloud: 'mars' }, 'cloud'],
		[{ ...base, cloud: 'custom', audience: 'x' }, 'authorityHost'],
		[{ ...base, cloud: 'custom', authorityHost: 'https://a.test' }, 'audience'],
		[{ ...base, cloud: 'custom', authorityHost: 'ftp://a.test', audience: 'x' }, 'authorityHost'],
		[{ ...base, cloud: 'custom', authorityHost: 'not a url', audience: 'x' }, 'authorityHost'],
	])('invalid credential %#: names %s', (data, field) => {
		expect(configError(() => resolveAuthSettings(data)).field).toBe(field);
	});

	test('never puts the secret into an error', () => {
		const error = configError(() => resolveAuthSettings({ ...base, tenantId: 'bad tenant' }));
		expect(error.message).not.toContain(base.clientSecret);
	});
});

describe('where the bearer token may go', () => {
	const url = (value: string) => new URL(value);

	test.each([
		['azurePublic', 'https://dce-abcd.eastus-1.ingest.monitor.azure.com', true],
		['azurePublic', 'https://x.ingest.monitor.azure.cn', false],
		['azurePublic', 'https://ingest.monitor.azure.com', false],
		['azurePublic', 'https://evil.com/?.ingest.monitor.azure.com', false],
		['azurePublic', 'https://ingest.monitor.azure.com.evil.com', false],
		['azureChina', 'https://dce.chinanorth3-1.ingest.monitor.azure.cn', true],
		['azureChina', 'https://dce.eastus-1.ingest.monitor.azure.com', false],
		['azureUsGovernment', 'https://dce.usgovvirginia-1.ingest.monitor.azure.us', true],
		['azureUsGovernment', 'https://127.0.0.1:9999', true],
		['custom', 'https://anything.example.test', true],
	] as const)('%s → %s: %s', (cloud, target, allowed) => {
		expect(isTokenAllowedForHost(cloud, url(target))).toBe(allowed);
	});

	test('checkIngestionEndpoint refuses plain http off loopback, even for the custom cloud', () => {
		expect(() => checkIngestionEndpoint('custom', url('http://dce.example.test'))).toThrow(/plain http/);
		expect(() => checkIngestionEndpoint('azurePublic', url('http://x.ingest.monitor.azure.com'))).toThrow(
			/plain http/,
		);
		expect(() => checkIngestionEndpoint('azurePublic', url('http://127.0.0.1:1234'))).not.toThrow();
		expect(() => checkIngestionEndpoint('azurePublic', url('https://example.com'))).toThrow(
			/not a Logs Ingestion host of the credential's cloud \(\*\.ingest\.monitor\.azure\.com\)/,
		);
	});

	test('parseSecureUrl accepts https and loopback http only', () => {
		expect(parseSecureUrl('https://a.test', 'f', 'The URL').host).toBe('a.test');
		expect(parseSecureUrl('http://localhost:3000', 'f', 'The URL').port).toBe('3000');
		expect(() => parseSecureUrl('http://a.test', 'f', 'The URL')).toThrow(/plain http/);
	});
});

describe('parameters', () => {
	test('DCR immutable id: dcr- + 32 hex', () => {
		expect(validateDcrImmutableId(' dcr-00112233445566778899AABBCCDDEEFF ')).toBe(
			'dcr-00112233445566778899AABBCCDDEEFF',
		);
		for (const bad of ['', 'dcr-123', '00112233445566778899aabbccddeeff', 'dcr-00112233445566778899aabbccddeefg', 'dcr-00112233-4455-6677-8899-aabbccddeeff']) {
			expect(configError(() => validateDcrImmutableId(bad)).field).toBe('dcrImmutableId');
		}
	});

	test('stream names: Custom-… or Microsoft-…', () => {
		expect(validateStreamName('Custom-ThreatLocker_CL')).toBe('Custom-ThreatLocker_CL');
		expect(validateStreamName('Microsoft-Syslog')).toBe('Microsoft-Syslog');
		for (const bad of ['', 'ThreatLocker_CL', 'custom-x', 'Custom-', 'Custom-a/b', 'Custom-a b']) {
			expect(configError(() => validateStreamName(bad)).field).toBe('streamName');
		}
	});

	test('API version', () => {
		expect(validateApiVersion('2023-01-01')).toBe('2023-01-01');
		expect(validateApiVersion('2021-11-01-preview')).toBe('2021-11-01-preview');
		expect(configError(() => validateApiVersion('v1')).field).toBe('apiVersion');
	});

	test('endpoint: trailing slashes, pasted request URLs and query strings are tidied', () => {
		expect(parseEndpoint('https://dce.eastus-1.ingest.monitor.azure.com/').href).toBe(
			'https://dce.eastus-1.ingest.monitor.azure.com/',
		);
		expect(
			parseEndpoint(
				'https://dce.eastus-1.ingest.monitor.azure.com/dataCollectionRules/dcr-1/streams/Custom-X?api-version=2023-01-01',
			).href,
		).toBe('https://dce.eastus-1.ingest.monitor.azure.com/');
		expect(parseEndpoint('https://proxy.test/azure/').href).toBe('https://proxy.test/azure');
		expect(configError(() => parseEndpoint('')).field).toBe('endpoint');
		expect(configError(() => parseEndpoint('http://dce.example.test')).message).toMatch(/plain http/);
	});

	test('ingestion URL', () => {
		expect(
			ingestionUrl(new URL('https://dce.test'), 'dcr-00112233445566778899aabbccddeeff', 'Custom-X_CL', '2023-01-01'),
		).toBe(
			'https://dce.test/dataCollectionRules/dcr-00112233445566778899aabbccddeeff/streams/Custom-X_CL?api-version=2023-01-01',
		);
		expect(ingestionUrl(new URL('https://proxy.test/azure'), 'dcr-1', 'Custom-X', '2023-01-01')).toBe(
			'https://proxy.test/azure/dataCollectionRules/dcr-1/streams/Custom-X?api-version=2023-01-01',
		);
	});
});
