import { sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IPollFunctions,
} from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	isTransientNetworkError,
	retryDelayMs,
	type HeaderBag,
	type RetryPolicy,
} from '../../shared/retry';
import { redactSecrets } from '../../shared/redact';
import { isSecureOrLoopback, parseHttpUrl } from '../../shared/url';
import { isGuid, isValidInstance } from '../helpers/validation';

export type ThreatLockerContext = IExecuteFunctions | IPollFunctions;

export const SYSTEM_AUDIT_PATH = '/portalapi/SystemAudit/SystemAuditGetByParameters';
export const HEALTH_CENTER_PATH = '/portalapi/SystemAudit/SystemAuditGetForHealthCenter';

/** Where and as whom requests go; built once per run from the credential. */
export interface ThreatLockerConnection {
	baseUrl: string;
	/** The organization header to send, if any (per item, credential default otherwise). */
	organizationId?: string;
	/** Kept only to scrub it from anything we report. */
	secrets: string[];
	retry: RetryPolicy;
}

/** The credential-derived part of a connection, shared by all items of a run. */
export interface OperationConnection {
	baseUrl: string;
	defaultOrganizationId?: string;
	secrets: string[];
	retry: RetryPolicy;
}

/** A failed call, already reduced to what is safe and useful to show. */
export class ThreatLockerApiFailure extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
		readonly hint: string,
		readonly networkCode?: string,
	) {
		super(message);
		this.name = 'ThreatLockerApiFailure';
	}

	get isAuthFailure(): boolean {
		return this.status === 401 || this.status === 403 || this.status === 440;
	}
}

/** A problem with the credential's own fields, found before any request. */
export class ThreatLockerCredentialProblem extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'ThreatLockerCredentialProblem';
	}
}

/** The portal API base URL of a credential: the override if set, else the instance's host. */
export function resolveBaseUrl(credentials: IDataObject): string {
	const override = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (override) {
		const url = parseHttpUrl(override);
		if (!url) {
			throw new ThreatLockerCredentialProblem(
				`Base URL Override "${override}" is not an http(s) URL`,
				'baseUrl',
			);
		}
		if (!isSecureOrLoopback(url)) {
			throw new ThreatLockerCredentialProblem(
				'Base URL Override must use https (plain http is allowed only for loopback hosts such as 127.0.0.1)',
				'baseUrl',
			);
		}
		// Accept the base with or without the trailing /portalapi segment.
		return override.replace(/\/+$/, '').replace(/\/portalapi$/i, '');
	}
	const instance = typeof credentials.instance === 'string' ? credentials.instance.trim() : '';
	if (!isValidInstance(instance)) {
		throw new ThreatLockerCredentialProblem(
			`Instance "${instance}" is not valid: use the letter shown in the portal's Help menu next to "ThreatLocker Access", e.g. g`,
			'instance',
		);
	}
	return `https://portalapi.${instance.toLowerCase()}.threatlocker.com`;
}

export async function connectionFor(context: ThreatLockerContext): Promise<OperationConnection> {
	const credentials = await context.getCredentials('threatLockerApi');
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (!apiKey) throw new ThreatLockerCredentialProblem('The credential has no API Key', 'apiKey');
	if (/^bearer\s/i.test(apiKey)) {
		throw new ThreatLockerCredentialProblem(
			'The API Key starts with "Bearer": ThreatLocker expects the raw token. Remove the prefix in the credential.',
			'apiKey',
		);
	}
	const organization =
		typeof credentials.managedOrganizationId === 'string'
			? credentials.managedOrganizationId.trim()
			: '';
	if (organization && !isGuid(organization)) {
		throw new ThreatLockerCredentialProblem(
			`Managed Organization ID "${organization}" in the credential is not a GUID`,
			'managedOrganizationId',
		);
	}
	return {
		baseUrl: resolveBaseUrl(credentials),
		defaultOrganizationId: organization || undefined,
		secrets: [apiKey],
		// The shared policy object itself (tests shorten its delays in place).
		retry: THREATLOCKER_RETRY_POLICY,
	};
}

function hintFor(status: number | undefined): string {
	switch (status) {
		case 401:
		case 440:
			return 'Check the API key (no "Bearer" prefix, not expired or revoked) and that Instance matches your portal: a key sent to the wrong instance is rejected as revoked.';
		case 403:
			return "Check Instance, that the API user's role has View System Audit (and View Health Center for login attempts), and that it can access the managed organization.";
		case 400:
		case 417:
			return 'ThreatLocker rejected the request parameters; check dates, filters and the organization ID.';
		case 429:
			return 'ThreatLocker is rate limiting this key; retries were exhausted. Run less often or narrow the query.';
		default:
			return status !== undefined && status >= 500
				? 'ThreatLocker had a server error and retries were exhausted; try again later or narrow the date range.'
				: 'Check the instance or base URL and the network path to ThreatLocker.';
	}
}

/** ThreatLocker's own error text: `Message` (any case) or `message`/`error`, else the raw body. */
export function serviceMessage(body: unknown): string | undefined {
	let value = body;
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return undefined;
		try {
			value = JSON.parse(text);
		} catch {
			return text.slice(0, 500);
		}
	}
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const fields = new Map(
			Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
		);
		const message = fields.get('message');
		const error = fields.get('error');
		const parts = [message, error].filter(
			(part): part is string => typeof part === 'string' && part !== '',
		);
		if (parts.length > 0) return parts.join(' — ');
	}
	return undefined;
}

function isRetryableStatus(status: number): boolean {
	return status === 429 || status >= 500;
}

export interface ThreatLockerResponse {
	body: unknown;
	headers: HeaderBag;
}

/**
 * POSTs to the portal API with the credential's key and retries what is worth retrying
 * (429, 5xx, network failures), honouring `Retry-After`. Authentication failures are never
 * retried: a revoked key stays revoked. Bodies come back parsed; an empty body or `null` means
 * "no rows", as the API sometimes answers.
 */
export async function postToThreatLocker(
	context: ThreatLockerContext,
	connection: ThreatLockerConnection,
	path: string,
	body: IDataObject,
): Promise<ThreatLockerResponse> {
	const headers: IDataObject = { 'Content-Type': 'application/json', Accept: 'application/json' };
	if (connection.organizationId) headers.managedOrganizationId = connection.organizationId;
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${connection.baseUrl}${path}`,
		headers,
		body: JSON.stringify(body),
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 300_000,
	};
	const policy = connection.retry;
	for (let attempt = 1; ; attempt++) {
		const outcome = await context.helpers.httpRequestWithAuthentication
			.call(context, 'threatLockerApi', { ...request, headers: { ...headers } })
			.then(
				(response) => ({ response: response as RawResponse, error: undefined }),
				(error: unknown) => ({ response: undefined, error }),
			);
		if (!outcome.response) {
			if (isTransientNetworkError(outcome.error) && attempt < policy.maxAttempts) {
				await sleep(retryDelayMs(attempt, policy));
				continue;
			}
			throw networkFailure(outcome.error, connection);
		}
		const response = outcome.response;
		const status = response.statusCode;
		if (status >= 200 && status < 300) {
			const body = parseBody(response.body);
			if (body === NOT_JSON) {
				throw new ThreatLockerApiFailure(
					`ThreatLocker answered HTTP ${status} with a body that is not JSON`,
					status,
					'Check the instance or Base URL Override: the answer did not come from the portal API.',
				);
			}
			return { body, headers: response.headers };
		}
		if (isRetryableStatus(status) && attempt < policy.maxAttempts) {
			await sleep(retryDelayMs(attempt, policy, response.headers));
			continue;
		}
		const message = serviceMessage(response.body) ?? `HTTP ${status}`;
		throw new ThreatLockerApiFailure(
			redactSecrets(message, connection.secrets),
			status,
			hintFor(status),
		);
	}
}

type RawResponse = { body: unknown; headers: HeaderBag; statusCode: number };

const NOT_JSON = Symbol('not JSON');

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body ?? null;
	const text = body.trim();
	if (text === '') return null;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return NOT_JSON;
	}
}

/** A transport error without an HTTP answer, reduced to its reason (never the request config). */
function networkFailure(error: unknown, connection: ThreatLockerConnection): ThreatLockerApiFailure {
	const code = (error as { code?: unknown } | undefined)?.code;
	const reason = error instanceof Error ? error.message : String(error);
	return new ThreatLockerApiFailure(
		redactSecrets(`Could not reach ThreatLocker at ${connection.baseUrl}: ${reason}`, connection.secrets),
		undefined,
		hintFor(undefined),
		typeof code === 'string' ? code : undefined,
	);
}

export const THREATLOCKER_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
