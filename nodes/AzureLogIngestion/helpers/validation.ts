import { AzureConfigurationError, parseSecureUrl } from './cloud';

/** The public contract: `dcr-` followed by 32 hexadecimal characters. */
const DCR_IMMUTABLE_ID = /^dcr-[0-9a-f]{32}$/i;
/** Stream names are `Custom-<table or stream>` or `Microsoft-<table>`. */
const STREAM_NAME = /^(Custom|Microsoft)-[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

export function validateDcrImmutableId(value: string): string {
	const id = value.trim();
	if (!DCR_IMMUTABLE_ID.test(id)) {
		throw new AzureConfigurationError(
			`The DCR Immutable ID "${value}" is not valid: it is "dcr-" followed by 32 hexadecimal characters, shown on the Data Collection Rule's Overview page (JSON View: "immutableId")`,
			'dcrImmutableId',
		);
	}
	return id;
}

export function validateStreamName(value: string): string {
	const name = value.trim();
	if (!STREAM_NAME.test(name)) {
		throw new AzureConfigurationError(
			`The stream name "${value}" is not valid: it starts with "Custom-" (e.g. Custom-ThreatLockerAudit_CL) or "Microsoft-" and is listed under "streamDeclarations" / "dataFlows" in the DCR's JSON View`,
			'streamName',
		);
	}
	return name;
}

export function validateApiVersion(value: string): string {
	const version = value.trim();
	if (!API_VERSION.test(version)) {
		throw new AzureConfigurationError(
			`The API version "${value}" is not valid: use a date such as 2023-01-01`,
			'apiVersion',
		);
	}
	return version;
}

/**
 * The ingestion base URL from a DCE or DCR logs-ingestion endpoint. A full request URL pasted by
 * mistake (…/dataCollectionRules/…) is cut back to its base; query strings are dropped.
 */
export function parseEndpoint(value: string): URL {
	if (value.trim() === '') {
		throw new AzureConfigurationError(
			'The endpoint is empty: use the logs ingestion URL of the Data Collection Endpoint or of the DCR',
			'endpoint',
		);
	}
	const url = parseSecureUrl(value, 'endpoint', 'The endpoint');
	const cut = url.pathname.search(/\/dataCollectionRules(\/|$)/i);
	const path = (cut >= 0 ? url.pathname.slice(0, cut) : url.pathname).replace(/\/+$/, '');
	return new URL(`${url.protocol}//${url.host}${path}`);
}

export function ingestionUrl(
	endpoint: URL,
	dcrImmutableId: string,
	streamName: string,
	apiVersion: string,
): string {
	const base = endpoint.href.replace(/\/+$/, '');
	return `${base}/dataCollectionRules/${encodeURIComponent(dcrImmutableId)}/streams/${encodeURIComponent(streamName)}?api-version=${encodeURIComponent(apiVersion)}`;
}
