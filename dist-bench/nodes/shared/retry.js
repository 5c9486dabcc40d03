"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_RETRY_POLICY = void 0;
exports.headerValue = headerValue;
exports.retryAfterMs = retryAfterMs;
exports.backoffMs = backoffMs;
exports.retryDelayMs = retryDelayMs;
exports.isTransientNetworkError = isTransientNetworkError;
exports.DEFAULT_RETRY_POLICY = {
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 60_000,
};
function headerValue(headers, name) {
    if (!headers)
        return undefined;
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(headers)) {
        if (key.toLowerCase() !== wanted || value === undefined)
            continue;
        return Array.isArray(value) ? value.join(', ') : String(value);
    }
    return undefined;
}
function retryAfterMs(headers, now = Date.now()) {
    for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
        const raw = headerValue(headers, name);
        if (raw !== undefined && /^\d+(\.\d+)?$/.test(raw.trim()))
            return Math.ceil(Number(raw));
    }
    const raw = headerValue(headers, 'retry-after')?.trim();
    if (!raw)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(raw))
        return Math.ceil(Number(raw) * 1000);
    const date = Date.parse(raw);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}
function backoffMs(retry, policy, random = Math.random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
function retryDelayMs(retry, policy, headers, random = Math.random) {
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
const NETWORK_ERROR_TEXT = /socket hang up|closed unexpectedly|connection timed out|timeout of \d+ms|was aborted|refused the connection|host is unreachable|DNS server returned an error|server closed the connection|ECONNRESET|ETIMEDOUT|ECONNREFUSED/i;
function isTransientNetworkError(error, depth = 0) {
    if (typeof error !== 'object' || error === null || depth > 4)
        return false;
    const candidate = error;
    if (typeof candidate.code === 'string' && NETWORK_ERROR_CODES.has(candidate.code))
        return true;
    const answered = typeof candidate.httpCode === 'string' && /^\d{3}$/.test(candidate.httpCode);
    if (!answered && typeof candidate.message === 'string' && NETWORK_ERROR_TEXT.test(candidate.message)) {
        return true;
    }
    return [candidate.cause, candidate.errorResponse].some((inner) => inner !== undefined && inner !== error && isTransientNetworkError(inner, depth + 1));
}
