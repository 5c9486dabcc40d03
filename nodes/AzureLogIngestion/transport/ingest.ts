/**
 * Sending one body to the Logs Ingestion API: bearer token from the cache, bounded retries, one
 * token renewal on 401, a fresh x-ms-client-request-id per HTTP request.
 */
import { randomUUID } from 'crypto';
import { sleepWithAbort, type IHttpRequestHelper, type IHttpRequestOptions } from 'n8n-workflow';

import { redactSecrets } from '../../shared/redact';
import {
	describeNetworkError,
	headerValue,
	isTransientNetworkError,
	retryDelayMs,
	type HeaderBag,
	type RetryPolicy,
} from '../../shared/retry';
import { extractAzureError, isRetriableStatus } from '../helpers/azureError';
import type { AzureAuthSettings } from '../helpers/cloud';
import { CANCELLED_MESSAGE, type SendFailure, type SendResult } from '../helpers/pipeline';
import { getAccessToken, TokenRequestError } from './token';

export interface IngestContext {
	auth: AzureAuthSettings;
	url: string;
	policy: RetryPolicy;
	skipSslCertificateValidation: boolean;
	abortSignal?: AbortSignal;
	timeoutMs: number;
	random?: () => number;
}

interface FullResponse {
	statusCode: number;
	headers?: HeaderBag;
	body: unknown;
}

/** Statuses that every other body of the run would get too. */
function stopsRun(status: number): boolean {
	return status === 401 || status === 403 || status === 404;
}

/** What to do about an Azure refusal, in words. */
export function hintFor(status: number | undefined, code: string | undefined): string | undefined {
	const lower = (code ?? '').toLowerCase();
	if (status === 403) {
		return 'Assign the app registration the "Monitoring Metrics Publisher" role on the Data Collection Rule (Access control (IAM) of the DCR); a new role assignment can take up to 30 minutes to apply';
	}
	if (status === 404) {
		return 'Check the DCR Immutable ID and that the endpoint belongs to the same region as the DCR (use the DCR\'s own logs ingestion URL for DCRs of kind "Direct")';
	}
	if (status === 401) {
		return "Check that the credential's cloud / audience matches the endpoint's cloud";
	}
	if (status === 413 || lower === 'contentlengthlimitexceeded') {
		return 'Lower the size of each record; requests are limited to 1,048,576 bytes';
	}
	if (lower.includes('stream') || (status === 400 && lower === 'invalidstream')) {
		return 'Check the stream name against "streamDeclarations" / "dataFlows" in the DCR\'s JSON View';
	}
	if (lower === 'recordstimerangeismorethan30minutes') {
		return 'For tables on the Auxiliary plan, the TimeGenerated values of one request must lie within 30 minutes of each other';
	}
	if (status === 429) {
		return 'The DCR is throttled (requests or bytes per minute): lower the number of concurrent requests or spread the runs out';
	}
	return undefined;
}

/** Sends one body, retrying as the service allows. Never throws: every outcome is a SendResult. */
export async function sendBody(
	this: IHttpRequestHelper,
	context: IngestContext,
	body: Buffer,
	gzip: boolean,
): Promise<SendResult> {
	const { policy } = context;
	const secrets = [context.auth.clientSecret];
	let attempts = 0;
	let bytesOnWire = 0;
	let renewedAfter401 = false;
	let rejectedToken: string | undefined;
	let last: SendFailure | undefined;

	for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
		if (context.abortSignal?.aborted) {
			return { ok: false, message: CANCELLED_MESSAGE, attempts, bytesOnWire };
		}
		let token: string;
		try {
			token = (
				await getAccessToken.call(this, context.auth, {
					rejected: rejectedToken,
					skipSslCertificateValidation: context.skipSslCertificateValidation,
					abortSignal: context.abortSignal,
				})
			).token;
		} catch (error) {
			const tokenError = error instanceof TokenRequestError ? error : undefined;
			const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
			last = {
				ok: false,
				code: tokenError?.aadstsCode,
				message: `No access token: ${message}`,
				attempts,
				bytesOnWire,
				stopsRun: !tokenError?.transient,
			};
			if (!tokenError?.transient || attempt === policy.maxAttempts) return last;
			await wait(context, retryDelayMs(attempt, policy, undefined, context.random));
			continue;
		}
		secrets.push(token);
		const clientRequestId = randomUUID();
		const headers: Record<string, string> = {
			Authorization: `Bearer ${token}`,
			'Content-Type': 'application/json',
			'x-ms-client-request-id': clientRequestId,
		};
		if (gzip) headers['Content-Encoding'] = 'gzip';
		const request: IHttpRequestOptions = {
			method: 'POST',
			url: context.url,
			headers,
			body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Redirects would carry the bearer token to another host.
			disableFollowRedirect: true,
			skipSslCertificateValidation: context.skipSslCertificateValidation,
			timeout: context.timeoutMs,
			abortSignal: context.abortSignal,
		};
		attempts++;
		bytesOnWire += body.length;
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequest(request)) as FullResponse;
		} catch (error) {
			const reason = describeNetworkError(error);
			last = {
				ok: false,
				message: redactSecrets(`No answer from ${new URL(context.url).host}: ${reason}`, secrets),
				clientRequestId,
				attempts,
				bytesOnWire,
			};
			if (context.abortSignal?.aborted) {
				return { ...last, message: CANCELLED_MESSAGE };
			}
			if (!isTransientNetworkError(error) || attempt === policy.maxAttempts) return last;
			await wait(context, retryDelayMs(attempt, policy, undefined, context.random));
			continue;
		}

		const status = response.statusCode;
		const requestId = headerValue(response.headers, 'x-ms-request-id');
		if (status >= 200 && status < 300) {
			return { ok: true, status, requestId, clientRequestId, attempts, bytesOnWire };
		}
		const details = extractAzureError(response.headers, response.body);
		last = {
			ok: false,
			status,
			code: details.code,
			message: redactSecrets(details.message ?? `HTTP ${status}`, secrets),
			hint: hintFor(status, details.code),
			requestId,
			clientRequestId,
			attempts,
			bytesOnWire,
			stopsRun: stopsRun(status),
		};
		if (status === 401 && !renewedAfter401) {
			// The token may have been revoked or expired early: renew once, retry at once.
			renewedAfter401 = true;
			rejectedToken = token;
			attempt--;
			continue;
		}
		if (!isRetriableStatus(status) || attempt === policy.maxAttempts) return last;
		await wait(context, retryDelayMs(attempt, policy, response.headers, context.random));
	}
	return (
		last ?? { ok: false, message: 'No attempt was made', attempts, bytesOnWire, stopsRun: true }
	);
}

async function wait(context: IngestContext, ms: number): Promise<void> {
	if (ms <= 0) return;
	try {
		await sleepWithAbort(ms, context.abortSignal);
	} catch {
		// Cancelled while waiting: the loop sees the aborted signal and stops.
		return;
	}
}
