/**
 * Azure clouds, the credential's settings and the rules that decide where a bearer token may go.
 * Pure functions: no n8n context, no I/O.
 */

import { isLoopbackHost, isSecureOrLoopback } from '../../shared/url';

export type AzureCloud = 'azurePublic' | 'azureChina' | 'azureUsGovernment' | 'custom';

export interface CloudDefinition {
	authority: string;
	audience: string;
	/** Logs Ingestion hosts of this cloud end with this suffix (DCEs and DCR endpoints alike). */
	ingestionHostSuffix: string;
}

export const AZURE_CLOUDS: Record<Exclude<AzureCloud, 'custom'>, CloudDefinition> = {
	azurePublic: {
		authority: 'https://login.microsoftonline.com',
		audience: 'https://monitor.azure.com',
		ingestionHostSuffix: '.ingest.monitor.azure.com',
	},
	azureChina: {
		authority: 'https://login.chinacloudapi.cn',
		audience: 'https://monitor.azure.cn',
		ingestionHostSuffix: '.ingest.monitor.azure.cn',
	},
	azureUsGovernment: {
		authority: 'https://login.microsoftonline.us',
		audience: 'https://monitor.azure.us',
		ingestionHostSuffix: '.ingest.monitor.azure.us',
	},
};

/** A setting that cannot work; `field` names the credential field or node parameter at fault. */
export class AzureConfigurationError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'AzureConfigurationError';
	}
}

/** Everything needed to obtain a token, resolved from the credential. */
export interface AzureAuthSettings {
	cloud: AzureCloud;
	/** Authority without a trailing slash, e.g. https://login.microsoftonline.com */
	authority: string;
	tenantId: string;
	clientId: string;
	clientSecret: string;
	audience: string;
	scope: string;
	tokenUrl: string;
}

const CLOUD_NAMES: AzureCloud[] = ['azurePublic', 'azureChina', 'azureUsGovernment', 'custom'];

/** Tenant ids are GUIDs or domain names: nothing that could change the token URL's path. */
const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/**
 * Parses a URL that will receive a secret (client secret or bearer token): https is required,
 * plain http is accepted only on loopback hosts (local simulators, proxies on the same machine).
 */
export function parseSecureUrl(raw: string, field: string, label: string): URL {
	if (!URL.canParse(raw.trim())) {
		throw new AzureConfigurationError(`${label} "${raw}" is not a valid URL`, field);
	}
	const url = new URL(raw.trim());
	if (isSecureOrLoopback(url)) return url;
	if (url.protocol === 'http:') {
		throw new AzureConfigurationError(
			`${label} ${url.origin} uses plain http: credentials and tokens are only sent over https (plain http is allowed for loopback hosts only)`,
			field,
		);
	}
	throw new AzureConfigurationError(`${label} must be an https:// URL, not ${url.protocol}`, field);
}

function trimSlashes(value: string): string {
	return value.trim().replace(/\/+$/, '');
}

function requiredString(data: Record<string, unknown>, field: string, label: string): string {
	const value = data[field];
	if (typeof value !== 'string' || value.trim() === '') {
		throw new AzureConfigurationError(`The credential's ${label} is empty`, field);
	}
	return value.trim();
}

/** The credential's cloud (unset means Azure public), or undefined for an unknown value. */
export function cloudOf(value: unknown): AzureCloud | undefined {
	const name = value === undefined || value === '' ? 'azurePublic' : value;
	return typeof name === 'string' && CLOUD_NAMES.includes(name as AzureCloud) ? (name as AzureCloud) : undefined;
}

/** Resolves and validates the credential (before any request is made). */
export function resolveAuthSettings(data: Record<string, unknown>): AzureAuthSettings {
	const cloud = cloudOf(data.cloud);
	if (!cloud) throw new AzureConfigurationError(`Unknown Azure cloud "${String(data.cloud)}"`, 'cloud');
	const tenantId = requiredString(data, 'tenantId', 'Directory (Tenant) ID');
	if (!TENANT_PATTERN.test(tenantId)) {
		throw new AzureConfigurationError(
			`The Directory (Tenant) ID "${tenantId}" is not a GUID or a domain name`,
			'tenantId',
		);
	}
	const clientId = requiredString(data, 'clientId', 'Application (Client) ID');
	// Secrets are used exactly as entered: spaces could be part of them.
	const secret = data.clientSecret;
	if (typeof secret !== 'string' || secret === '') {
		throw new AzureConfigurationError("The credential's Client Secret is empty", 'clientSecret');
	}

	let authority: string;
	let audience: string;
	if (cloud === 'custom') {
		const rawAuthority = requiredString(data, 'authorityHost', 'Authority Host');
		authority = trimSlashes(parseSecureUrl(rawAuthority, 'authorityHost', 'The authority host').href);
		audience = trimSlashes(requiredString(data, 'audience', 'Audience'));
	} else {
		authority = AZURE_CLOUDS[cloud].authority;
		audience = AZURE_CLOUDS[cloud].audience;
	}
	return {
		cloud,
		authority,
		tenantId,
		clientId,
		clientSecret: secret,
		audience,
		scope: `${audience}/.default`,
		tokenUrl: `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
	};
}

/**
 * True when a bearer token of `cloud` may be sent to `url`: an ingestion host of that cloud or a
 * loopback host. The custom cloud has no known host names, so it lifts the check.
 */
export function isTokenAllowedForHost(cloud: AzureCloud, url: URL): boolean {
	if (cloud === 'custom' || isLoopbackHost(url.hostname)) return true;
	const suffix = AZURE_CLOUDS[cloud].ingestionHostSuffix;
	const host = url.hostname.toLowerCase();
	return host.endsWith(suffix) && host.length > suffix.length;
}

/** Throws unless the endpoint is safe to receive this cloud's bearer token (https + host). */
export function checkIngestionEndpoint(cloud: AzureCloud, url: URL): void {
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new AzureConfigurationError(
			`The endpoint ${url.origin} uses plain http: the bearer token is only sent over https (plain http is allowed for loopback hosts only)`,
			'endpoint',
		);
	}
	if (!isTokenAllowedForHost(cloud, url)) {
		const suffix = cloud === 'custom' ? '' : AZURE_CLOUDS[cloud].ingestionHostSuffix;
		throw new AzureConfigurationError(
			`The endpoint host ${url.hostname} is not a Logs Ingestion host of the credential's cloud (*${suffix}); the bearer token is not sent there. Use the Data Collection Endpoint's or the DCR's logs ingestion URL, or choose the matching cloud in the credential`,
			'endpoint',
		);
	}
}
