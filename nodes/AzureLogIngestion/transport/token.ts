/**
 * OAuth 2.0 client credentials against Microsoft Entra ID (or a custom authority), shared by the
 * credential's preAuthentication (Test button) and the node's own token cache.
 */
import { createHash } from 'crypto';
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { redactSecrets } from '../../shared/redact';
import {
	describeNetworkError,
	headerValue,
	isTransientNetworkError,
	type HeaderBag,
} from '../../shared/retry';
import { isRetriableStatus, parseBody } from '../helpers/azureError';
import type { AzureAuthSettings } from '../helpers/cloud';

export interface AccessToken {
	token: string;
	/** Epoch milliseconds at which the token stops being valid. */
	expiresAt: number;
	lifetimeMs: number;
}

export interface TokenRequestOptions {
	skipSslCertificateValidation?: boolean;
	abortSignal?: AbortSignal;
	timeoutMs?: number;
}

/**
 * The token endpoint refused or could not be reached. A plain Error without status-like
 * properties on purpose: n8n's NodeApiError would otherwise replace the explanation with a
 * generic "Bad request" text when the credential test wraps it.
 */
export class TokenRequestError extends Error {
	constructor(
		message: string,
		/** AADSTS code such as "AADSTS7000215", when Entra ID gave one. */
		readonly aadstsCode: string | undefined,
		/** False when another attempt cannot help (wrong secret, unknown tenant...). */
		readonly transient: boolean,
	) {
		super(message);
		this.name = 'TokenRequestError';
	}
}

type TokenBody = Record<string, unknown>;

const TRACE_TAIL = /\s*(Trace ID|Correlation ID|Timestamp):[\s\S]*$/i;

/** Entra's error description without trace/correlation ids and timestamps (noise for users). */
export function cleanEntraDescription(description: string): string {
	return description.replace(TRACE_TAIL, '').replace(/\s+/g, ' ').trim();
}

/** The AADSTS code in an Entra answer (from error_codes or from the description). */
export function aadstsCodeOf(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const bag = body as TokenBody;
	const codes = bag.error_codes;
	if (Array.isArray(codes) && codes.length > 0 && /^\d+$/.test(String(codes[0]))) {
		return `AADSTS${String(codes[0])}`;
	}
	const description = typeof bag.error_description === 'string' ? bag.error_description : '';
	return /AADSTS\d+/.exec(description)?.[0];
}

export interface TokenErrorContext {
	tenantId: string;
	clientId: string;
	authority: string;
}

/** Explains an Entra ID refusal in words, ending with the AADSTS code. */
export function explainTokenError(
	status: number,
	body: unknown,
	context: TokenErrorContext,
): { message: string; code: string | undefined } {
	const bag = typeof body === 'object' && body !== null ? (body as TokenBody) : {};
	const code = aadstsCodeOf(bag);
	const rawDescription =
		typeof bag.error_description === 'string'
			? bag.error_description
			: typeof body === 'string'
				? body.slice(0, 300)
				: '';
	const description = cleanEntraDescription(rawDescription);
	const suffix = code ? ` (${code})` : '';
	switch (code) {
		case 'AADSTS90002':
		case 'AADSTS900023':
		case 'AADSTS90013':
			return {
				code,
				message: `Unknown tenant: Entra ID at ${context.authority} has no tenant "${context.tenantId}". Copy the Directory (tenant) ID from the app registration's Overview page, and check that the credential's cloud matches the tenant's cloud${suffix}`,
			};
		case 'AADSTS700016':
			return {
				code,
				message: `Unknown application: no app with client ID "${context.clientId}" is registered in tenant "${context.tenantId}". Copy the Application (client) ID from the app registration's Overview page, and check that the app belongs to this tenant${suffix}`,
			};
		case 'AADSTS7000215':
			return {
				code,
				message: `Wrong client secret for app "${context.clientId}": use the secret's Value (shown once, when it is created), not its Secret ID; create a new secret under Certificates & secrets if the value is lost${suffix}`,
			};
		case 'AADSTS7000222':
			return {
				code,
				message: `Expired client secret for app "${context.clientId}": create a new client secret under the app registration's Certificates & secrets and update the credential${suffix}`,
			};
		default: {
			const what = description || `HTTP ${status}`;
			const prefix = code && !what.startsWith(code) ? `${code}: ` : '';
			return {
				code,
				message: `Entra ID refused the token request: ${prefix}${what}`,
			};
		}
	}
}

function expiresInMs(body: TokenBody, now: number): number | undefined {
	const expiresIn = Number(body.expires_in);
	if (Number.isFinite(expiresIn) && expiresIn > 0) return expiresIn * 1000;
	// Some authorities (ADFS, older endpoints) give an absolute time instead.
	const expiresOn = Number(body.expires_on);
	if (Number.isFinite(expiresOn) && expiresOn > 0) return expiresOn * 1000 - now;
	return undefined;
}

/** The `exp` claim of a JWT access token, in epoch ms, when the token is a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
		const exp = typeof payload === 'object' && payload !== null ? (payload as TokenBody).exp : undefined;
		return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
	} catch {
		// Not a JWT: the lifetime has to come from the response instead.
		return undefined;
	}
}

/** A token whose lifetime is unknown is used only briefly: never an assumed hour. */
const UNKNOWN_LIFETIME_MS = 60_000;

/** Requests a token (client credentials). Throws TokenRequestError with an explained message. */
export async function requestAccessToken(
	this: IHttpRequestHelper,
	settings: AzureAuthSettings,
	options: TokenRequestOptions = {},
): Promise<AccessToken> {
	const secrets = [settings.clientSecret];
	const form = new URLSearchParams({
		client_id: settings.clientId,
		client_secret: settings.clientSecret,
		grant_type: 'client_credentials',
		scope: settings.scope,
	}).toString();
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: settings.tokenUrl,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: form,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the secret elsewhere.
		disableFollowRedirect: true,
		skipSslCertificateValidation: options.skipSslCertificateValidation === true,
		timeout: options.timeoutMs ?? 30_000,
		abortSignal: options.abortSignal,
	};
	const started = Date.now();
	let response: { statusCode: number; headers?: HeaderBag; body: unknown } | undefined;
	let failure: unknown;
	try {
		response = (await this.helpers.httpRequest(request)) as typeof response;
	} catch (error) {
		failure = error;
	}
	if (response === undefined) {
		throw new TokenRequestError(
			redactSecrets(
				`Could not reach the token endpoint ${new URL(settings.tokenUrl).origin}: ${describeNetworkError(failure)}`,
				secrets,
			),
			undefined,
			isTransientNetworkError(failure),
		);
	}
	const body = parseBody(response.body);
	const bag = typeof body === 'object' && body !== null ? (body as TokenBody) : {};
	if (response.statusCode >= 200 && response.statusCode < 300 && typeof bag.access_token === 'string') {
		const token = bag.access_token;
		let lifetime = expiresInMs(bag, started);
		if (lifetime === undefined) {
			const exp = jwtExpiry(token);
			lifetime = exp !== undefined ? exp - started : UNKNOWN_LIFETIME_MS;
		}
		return { token, expiresAt: started + lifetime, lifetimeMs: lifetime };
	}
	if (response.statusCode >= 200 && response.statusCode < 300) {
		throw new TokenRequestError(
			`The token endpoint ${new URL(settings.tokenUrl).origin} answered ${response.statusCode} without an access_token: check the authority host`,
			undefined,
			false,
		);
	}
	const explained = explainTokenError(response.statusCode, body, settings);
	const transient = isRetriableStatus(response.statusCode);
	const retryHint = headerValue(response.headers, 'retry-after');
	throw new TokenRequestError(
		redactSecrets(
			`${explained.message}${transient && retryHint ? ` (retry after ${retryHint} s)` : ''}`,
			secrets,
		),
		explained.code,
		transient,
	);
}

/** Renew this long before expiry: 5 minutes or 10 % of the lifetime, whichever is smaller. */
export function refreshMarginMs(lifetimeMs: number): number {
	return Math.min(5 * 60_000, Math.max(0, lifetimeMs) * 0.1);
}

interface CacheEntry {
	token?: AccessToken;
	pending?: Promise<AccessToken>;
}

/** Process-wide: tokens are reused across executions until shortly before they expire. */
const tokenCache = new Map<string, CacheEntry>();

/** Keyed by a hash, so the secret is never kept as a map key in clear. */
export function tokenCacheKey(settings: AzureAuthSettings): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				settings.authority,
				settings.tenantId,
				settings.clientId,
				settings.clientSecret,
				settings.scope,
			]),
		)
		.digest('hex');
}

export function isTokenFresh(token: AccessToken, now: number): boolean {
	return now < token.expiresAt - refreshMarginMs(token.lifetimeMs);
}

/**
 * A valid token from the cache, or a new one (one request at a time per key, however many
 * requests are waiting). `rejected` is a token the service just refused (401): it is dropped and
 * replaced, unless another request already replaced it.
 */
export async function getAccessToken(
	this: IHttpRequestHelper,
	settings: AzureAuthSettings,
	options: TokenRequestOptions & { rejected?: string; now?: () => number } = {},
): Promise<AccessToken> {
	const now = options.now ?? Date.now;
	const key = tokenCacheKey(settings);
	let entry = tokenCache.get(key);
	if (!entry) {
		entry = {};
		tokenCache.set(key, entry);
	}
	if (entry.token && options.rejected !== undefined && entry.token.token === options.rejected) {
		entry.token = undefined;
	}
	if (entry.token && isTokenFresh(entry.token, now())) return entry.token;
	const current = entry;
	current.pending ??= requestAccessToken
		.call(this, settings, options)
		.then((token) => {
			current.token = token;
			return token;
		})
		.finally(() => {
			current.pending = undefined;
		});
	return await current.pending;
}

/** Forgets every cached token (tests; a credential change needs nothing: the key changes). */
export function clearTokenCache(): void {
	tokenCache.clear();
}
