"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.THREATLOCKER_RETRY_POLICY = exports.ThreatLockerCredentialProblem = exports.ThreatLockerApiFailure = exports.HEALTH_CENTER_PATH = exports.SYSTEM_AUDIT_PATH = void 0;
exports.resolveBaseUrl = resolveBaseUrl;
exports.connectionFor = connectionFor;
exports.serviceMessage = serviceMessage;
exports.postToThreatLocker = postToThreatLocker;
const n8n_workflow_1 = require("n8n-workflow");
const retry_1 = require("../../shared/retry");
const redact_1 = require("../../shared/redact");
const url_1 = require("../../shared/url");
const validation_1 = require("../helpers/validation");
exports.SYSTEM_AUDIT_PATH = '/portalapi/SystemAudit/SystemAuditGetByParameters';
exports.HEALTH_CENTER_PATH = '/portalapi/SystemAudit/SystemAuditGetForHealthCenter';
class ThreatLockerApiFailure extends Error {
    status;
    hint;
    networkCode;
    constructor(message, status, hint, networkCode) {
        super(message);
        this.status = status;
        this.hint = hint;
        this.networkCode = networkCode;
        this.name = 'ThreatLockerApiFailure';
    }
    get isAuthFailure() {
        return this.status === 401 || this.status === 403 || this.status === 440;
    }
}
exports.ThreatLockerApiFailure = ThreatLockerApiFailure;
class ThreatLockerCredentialProblem extends Error {
    field;
    constructor(message, field) {
        super(message);
        this.field = field;
        this.name = 'ThreatLockerCredentialProblem';
    }
}
exports.ThreatLockerCredentialProblem = ThreatLockerCredentialProblem;
function resolveBaseUrl(credentials) {
    const override = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
    if (override) {
        const url = (0, url_1.parseHttpUrl)(override);
        if (!url) {
            throw new ThreatLockerCredentialProblem(`Base URL Override "${override}" is not an http(s) URL`, 'baseUrl');
        }
        if (url.protocol === 'http:' && !(0, url_1.isLoopbackHost)(url.hostname)) {
            throw new ThreatLockerCredentialProblem('Base URL Override must use https (plain http is allowed only for loopback hosts such as 127.0.0.1)', 'baseUrl');
        }
        return override.replace(/\/+$/, '').replace(/\/portalapi$/i, '');
    }
    const instance = typeof credentials.instance === 'string' ? credentials.instance.trim() : '';
    if (!(0, validation_1.isValidInstance)(instance)) {
        throw new ThreatLockerCredentialProblem(`Instance "${instance}" is not valid: use the letter shown in the portal's Help menu next to "ThreatLocker Access", e.g. g`, 'instance');
    }
    return `https://portalapi.${instance.toLowerCase()}.threatlocker.com`;
}
async function connectionFor(context) {
    const credentials = await context.getCredentials('threatLockerApi');
    const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
    const secrets = apiKey ? [apiKey] : [];
    if (!apiKey)
        throw new ThreatLockerCredentialProblem('The credential has no API Key', 'apiKey');
    if (/^bearer\s/i.test(apiKey)) {
        throw new ThreatLockerCredentialProblem('The API Key starts with "Bearer": ThreatLocker expects the raw token. Remove the prefix in the credential.', 'apiKey');
    }
    const organization = typeof credentials.managedOrganizationId === 'string'
        ? credentials.managedOrganizationId.trim()
        : '';
    if (organization && !(0, validation_1.isGuid)(organization)) {
        throw new ThreatLockerCredentialProblem(`Managed Organization ID "${organization}" in the credential is not a GUID`, 'managedOrganizationId');
    }
    return {
        baseUrl: resolveBaseUrl(credentials),
        defaultOrganizationId: organization || undefined,
        secrets,
    };
}
function hintFor(status) {
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
function serviceMessage(body) {
    let value = body;
    if (typeof value === 'string') {
        const text = value.trim();
        if (!text)
            return undefined;
        try {
            value = JSON.parse(text);
        }
        catch {
            return text.slice(0, 500);
        }
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
        const fields = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
        const message = fields.get('message');
        const error = fields.get('error');
        const parts = [message, error].filter((part) => typeof part === 'string' && part !== '');
        if (parts.length > 0)
            return parts.join(' — ');
    }
    return undefined;
}
function isRetryableStatus(status) {
    return status === 429 || status >= 500;
}
async function postToThreatLocker(context, connection, path, body) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (connection.organizationId)
        headers.managedOrganizationId = connection.organizationId;
    const request = {
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
    for (let attempt = 1;; attempt++) {
        const outcome = await context.helpers.httpRequestWithAuthentication
            .call(context, 'threatLockerApi', { ...request, headers: { ...headers } })
            .then((response) => ({ response: response, error: undefined }), (error) => ({ response: undefined, error }));
        if (!outcome.response) {
            if ((0, retry_1.isTransientNetworkError)(outcome.error) && attempt < policy.maxAttempts) {
                await (0, n8n_workflow_1.sleep)((0, retry_1.retryDelayMs)(attempt, policy));
                continue;
            }
            throw networkFailure(outcome.error, connection);
        }
        const response = outcome.response;
        const status = response.statusCode;
        if (status >= 200 && status < 300) {
            const body = parseBody(response.body);
            if (body === NOT_JSON) {
                throw new ThreatLockerApiFailure(`ThreatLocker answered HTTP ${status} with a body that is not JSON`, status, 'Check the instance or Base URL Override: the answer did not come from the portal API.');
            }
            return { body, headers: response.headers };
        }
        if (isRetryableStatus(status) && attempt < policy.maxAttempts) {
            await (0, n8n_workflow_1.sleep)((0, retry_1.retryDelayMs)(attempt, policy, response.headers));
            continue;
        }
        const message = serviceMessage(response.body) ?? `HTTP ${status}`;
        throw new ThreatLockerApiFailure((0, redact_1.redactSecrets)(message, connection.secrets), status, hintFor(status));
    }
}
const NOT_JSON = Symbol('not JSON');
function parseBody(body) {
    if (typeof body !== 'string')
        return body ?? null;
    const text = body.trim();
    if (text === '')
        return null;
    try {
        return JSON.parse(text);
    }
    catch {
        return NOT_JSON;
    }
}
function networkFailure(error, connection) {
    const code = error?.code;
    const reason = error instanceof Error ? error.message : String(error);
    return new ThreatLockerApiFailure((0, redact_1.redactSecrets)(`Could not reach ThreatLocker at ${connection.baseUrl}: ${reason}`, connection.secrets), undefined, hintFor(undefined), typeof code === 'string' ? code : undefined);
}
exports.THREATLOCKER_RETRY_POLICY = { ...retry_1.DEFAULT_RETRY_POLICY };
