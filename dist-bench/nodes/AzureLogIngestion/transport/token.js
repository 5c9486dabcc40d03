"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TokenRequestError = void 0;
exports.cleanEntraDescription = cleanEntraDescription;
exports.aadstsCodeOf = aadstsCodeOf;
exports.explainTokenError = explainTokenError;
exports.jwtExpiry = jwtExpiry;
exports.requestAccessToken = requestAccessToken;
exports.refreshMarginMs = refreshMarginMs;
exports.tokenCacheKey = tokenCacheKey;
exports.isTokenFresh = isTokenFresh;
exports.getAccessToken = getAccessToken;
exports.clearTokenCache = clearTokenCache;
const crypto_1 = require("crypto");
const redact_1 = require("../../shared/redact");
const retry_1 = require("../../shared/retry");
const azureError_1 = require("../helpers/azureError");
class TokenRequestError extends Error {
    aadstsCode;
    transient;
    constructor(message, aadstsCode, transient) {
        super(message);
        this.aadstsCode = aadstsCode;
        this.transient = transient;
        this.name = 'TokenRequestError';
    }
}
exports.TokenRequestError = TokenRequestError;
const TRACE_TAIL = /\s*(Trace ID|Correlation ID|Timestamp):[\s\S]*$/i;
function cleanEntraDescription(description) {
    return description.replace(TRACE_TAIL, '').replace(/\s+/g, ' ').trim();
}
function aadstsCodeOf(body) {
    if (typeof body !== 'object' || body === null)
        return undefined;
    const bag = body;
    const codes = bag.error_codes;
    if (Array.isArray(codes) && codes.length > 0 && /^\d+$/.test(String(codes[0]))) {
        return `AADSTS${String(codes[0])}`;
    }
    const description = typeof bag.error_description === 'string' ? bag.error_description : '';
    return /AADSTS\d+/.exec(description)?.[0];
}
function explainTokenError(status, body, context) {
    const bag = typeof body === 'object' && body !== null ? body : {};
    const code = aadstsCodeOf(bag);
    const rawDescription = typeof bag.error_description === 'string'
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
function expiresInMs(body, now) {
    const expiresIn = Number(body.expires_in);
    if (Number.isFinite(expiresIn) && expiresIn > 0)
        return expiresIn * 1000;
    const expiresOn = Number(body.expires_on);
    if (Number.isFinite(expiresOn) && expiresOn > 0)
        return expiresOn * 1000 - now;
    return undefined;
}
function jwtExpiry(token) {
    const parts = token.split('.');
    if (parts.length !== 3)
        return undefined;
    try {
        const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
        const exp = typeof payload === 'object' && payload !== null ? payload.exp : undefined;
        return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
    }
    catch {
        return undefined;
    }
}
const UNKNOWN_LIFETIME_MS = 60_000;
async function requestAccessToken(settings, options = {}) {
    const secrets = [settings.clientSecret];
    const form = new URLSearchParams({
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        grant_type: 'client_credentials',
        scope: settings.scope,
    }).toString();
    const request = {
        method: 'POST',
        url: settings.tokenUrl,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form,
        returnFullResponse: true,
        ignoreHttpStatusErrors: true,
        disableFollowRedirect: true,
        skipSslCertificateValidation: options.skipSslCertificateValidation === true,
        timeout: options.timeoutMs ?? 30_000,
        abortSignal: options.abortSignal,
    };
    const started = Date.now();
    let response;
    let failure;
    try {
        response = (await this.helpers.httpRequest(request));
    }
    catch (error) {
        failure = error;
    }
    if (response === undefined) {
        const reason = failure instanceof Error ? failure.message : String(failure);
        const code = failure?.code;
        throw new TokenRequestError((0, redact_1.redactSecrets)(`Could not reach the token endpoint ${new URL(settings.tokenUrl).origin}: ${reason}${typeof code === 'string' && !reason.includes(code) ? ` (${code})` : ''}`, secrets), undefined, (0, retry_1.isTransientNetworkError)(failure));
    }
    const body = (0, azureError_1.parseBody)(response.body);
    const bag = typeof body === 'object' && body !== null ? body : {};
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
        throw new TokenRequestError(`The token endpoint ${new URL(settings.tokenUrl).origin} answered ${response.statusCode} without an access_token: check the authority host`, undefined, false);
    }
    const explained = explainTokenError(response.statusCode, body, settings);
    const transient = response.statusCode === 429 || response.statusCode === 408 || response.statusCode >= 500;
    const retryHint = (0, retry_1.headerValue)(response.headers, 'retry-after');
    throw new TokenRequestError((0, redact_1.redactSecrets)(`${explained.message}${transient && retryHint ? ` (retry after ${retryHint} s)` : ''}`, secrets), explained.code, transient);
}
function refreshMarginMs(lifetimeMs) {
    return Math.min(5 * 60_000, Math.max(0, lifetimeMs) * 0.1);
}
const tokenCache = new Map();
function tokenCacheKey(settings) {
    return (0, crypto_1.createHash)('sha256')
        .update(JSON.stringify([
        settings.authority,
        settings.tenantId,
        settings.clientId,
        settings.clientSecret,
        settings.scope,
    ]))
        .digest('hex');
}
function isTokenFresh(token, now) {
    return now < token.expiresAt - refreshMarginMs(token.lifetimeMs);
}
async function getAccessToken(settings, options = {}) {
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
    if (entry.token && isTokenFresh(entry.token, now()))
        return entry.token;
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
function clearTokenCache() {
    tokenCache.clear();
}
