/**
 * Reading Azure's error answers. Logs Ingestion answers `{"error":{"code","message"}}` plus an
 * `x-ms-error-code` header, but one endpoint capitalises the keys (`Error`/`Code`/`Message`), so
 * every key is matched case-insensitively. Pure functions.
 */
import { headerValue, type HeaderBag } from '../../shared/retry';

export interface AzureErrorDetails {
	code?: string;
	message?: string;
}

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(bag: Bag, name: string): unknown {
	const wanted = name.toLowerCase();
	for (const key of Object.keys(bag)) {
		if (key.toLowerCase() === wanted) return bag[key];
	}
	return undefined;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** The body as an object, whatever the HTTP client made of it (object, JSON text or bytes). */
export function parseBody(body: unknown): unknown {
	if (body instanceof Uint8Array) {
		return parseBody(new TextDecoder().decode(body));
	}
	if (body instanceof ArrayBuffer) return parseBody(new Uint8Array(body));
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (trimmed === '') return undefined;
	try {
		return JSON.parse(trimmed) as unknown;
	} catch {
		// Not JSON (an HTML error page from a proxy, for instance): keep the text.
		return trimmed;
	}
}

const MAX_TEXT_MESSAGE = 300;

/** Azure's error code and message from the headers and the body. */
export function extractAzureError(headers: HeaderBag | undefined, body: unknown): AzureErrorDetails {
	const parsed = parseBody(body);
	let code = text(headerValue(headers, 'x-ms-error-code'));
	let message: string | undefined;
	if (isBag(parsed)) {
		const inner = keyOf(parsed, 'error');
		const container = isBag(inner) ? inner : parsed;
		code = code ?? text(keyOf(container, 'code'));
		message = text(keyOf(container, 'message'));
		// OAuth-style bodies: {"error": "invalid_client", "error_description": "..."}
		if (!isBag(inner)) {
			code = code ?? text(inner);
			message = message ?? text(keyOf(parsed, 'error_description'));
		}
	} else if (typeof parsed === 'string') {
		message = parsed.length > MAX_TEXT_MESSAGE ? `${parsed.slice(0, MAX_TEXT_MESSAGE)}…` : parsed;
	}
	return { code, message };
}

/** Statuses worth another attempt: throttling, timeouts and server-side failures. */
export function isRetriableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}
