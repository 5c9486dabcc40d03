/**
 * Retry timing shared by both services: bounded exponential backoff with full jitter, and the
 * server's own `Retry-After` / `retry-after-ms` hints when it sends them.
 */
export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	/** Delay before the first retry when the server gives no hint. */
	baseDelayMs: number;
	/** No single wait is longer than this, whatever the server asks. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 60_000,
};

export type HeaderBag = Record<string, string | string[] | number | undefined>;

/** Case-insensitive header lookup (axios lowercases, other clients may not). */
export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value.join(', ') : String(value);
	}
	return undefined;
}

/**
 * The wait the server asked for, in milliseconds: `retry-after-ms` / `x-ms-retry-after-ms` first
 * (Azure), then `Retry-After` as seconds or as an HTTP date. Undefined when there is no usable hint.
 */
export function retryAfterMs(headers: HeaderBag | undefined, now: number = Date.now()): number | undefined {
	for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
		const raw = headerValue(headers, name);
		if (raw !== undefined && /^\d+(\.\d+)?$/.test(raw.trim())) return Math.ceil(Number(raw));
	}
	const raw = headerValue(headers, 'retry-after')?.trim();
	if (!raw) return undefined;
	if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
	const date = Date.parse(raw);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff with full jitter for retry number `retry` (1 = first retry). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
	// Half fixed, half random: never zero, still spreads concurrent clients apart.
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long to wait before retry number `retry`: the server's hint if any, else backoff; capped. */
export function retryDelayMs(
	retry: number,
	policy: RetryPolicy,
	headers?: HeaderBag,
	random: () => number = Math.random,
): number {
	const hinted = retryAfterMs(headers);
	const delay = hinted !== undefined ? hinted : backoffMs(retry, policy, random);
	return Math.min(policy.maxDelayMs, delay);
}

const NETWORK_ERROR_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * n8n's request helpers wrap transport errors in a NodeApiError that keeps only a descriptive
 * message (from n8n-workflow's table of common errors), so those texts are recognised too.
 */
const NETWORK_ERROR_TEXT =
	/socket hang up|closed unexpectedly|connection timed out|timeout of \d+ms|was aborted|refused the connection|host is unreachable|DNS server returned an error|server closed the connection|ECONNRESET|ETIMEDOUT|ECONNREFUSED/i;

/** True for transport failures that are worth another attempt (no HTTP answer was received). */
export function isTransientNetworkError(error: unknown, depth = 0): boolean {
	if (typeof error !== 'object' || error === null || depth > 4) return false;
	const candidate = error as {
		code?: unknown;
		cause?: unknown;
		errorResponse?: unknown;
		message?: unknown;
		httpCode?: unknown;
	};
	if (typeof candidate.code === 'string' && NETWORK_ERROR_CODES.has(candidate.code)) return true;
	// An error that carries an HTTP status was answered: not a transport failure.
	const answered = typeof candidate.httpCode === 'string' && /^\d{3}$/.test(candidate.httpCode);
	if (!answered && typeof candidate.message === 'string' && NETWORK_ERROR_TEXT.test(candidate.message)) {
		return true;
	}
	return [candidate.cause, candidate.errorResponse].some(
		(inner) => inner !== undefined && inner !== error && isTransientNetworkError(inner, depth + 1),
	);
}

/** A transport error's message, with its code (ECONNRESET…) appended when the message lacks it. */
export function describeNetworkError(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = (error as { code?: unknown }).code;
	const suffix = typeof code === 'string' && !error.message.includes(code) ? ` (${code})` : '';
	return `${error.message}${suffix}`;
}
