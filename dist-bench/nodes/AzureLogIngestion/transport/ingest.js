"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isRetriableStatus = isRetriableStatus;
exports.hintFor = hintFor;
exports.sendBody = sendBody;
const crypto_1 = require("crypto");
const n8n_workflow_1 = require("n8n-workflow");
const redact_1 = require("../../shared/redact");
const retry_1 = require("../../shared/retry");
const azureError_1 = require("../helpers/azureError");
const token_1 = require("./token");
function isRetriableStatus(status) {
    return status === 408 || status === 429 || status >= 500;
}
function stopsRun(status) {
    return status === 401 || status === 403 || status === 404;
}
function hintFor(status, code) {
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
async function sendBody(context, body, gzip) {
    const { policy } = context;
    const secrets = [context.auth.clientSecret];
    let attempts = 0;
    let bytesOnWire = 0;
    let renewedAfter401 = false;
    let rejectedToken;
    let last;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
        if (context.abortSignal?.aborted) {
            return { ok: false, message: 'Not sent: the execution was cancelled', attempts, bytesOnWire };
        }
        let token;
        try {
            token = (await token_1.getAccessToken.call(this, context.auth, {
                rejected: rejectedToken,
                skipSslCertificateValidation: context.skipSslCertificateValidation,
                abortSignal: context.abortSignal,
            })).token;
        }
        catch (error) {
            const tokenError = error instanceof token_1.TokenRequestError ? error : undefined;
            const message = (0, redact_1.redactSecrets)(error instanceof Error ? error.message : String(error), secrets);
            last = {
                ok: false,
                code: tokenError?.aadstsCode,
                message: `No access token: ${message}`,
                attempts,
                bytesOnWire,
                stopsRun: !tokenError?.transient,
            };
            if (!tokenError?.transient || attempt === policy.maxAttempts)
                return last;
            await wait(context, (0, retry_1.retryDelayMs)(attempt, policy, undefined, context.random));
            continue;
        }
        secrets.push(token);
        const clientRequestId = (0, crypto_1.randomUUID)();
        const headers = {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'x-ms-client-request-id': clientRequestId,
        };
        if (gzip)
            headers['Content-Encoding'] = 'gzip';
        const request = {
            method: 'POST',
            url: context.url,
            headers,
            body,
            returnFullResponse: true,
            ignoreHttpStatusErrors: true,
            disableFollowRedirect: true,
            skipSslCertificateValidation: context.skipSslCertificateValidation,
            timeout: context.timeoutMs,
            abortSignal: context.abortSignal,
        };
        attempts++;
        bytesOnWire += body.length;
        let response;
        try {
            response = (await this.helpers.httpRequest(request));
        }
        catch (error) {
            const reason = describeNetworkError(error);
            last = {
                ok: false,
                message: (0, redact_1.redactSecrets)(`No answer from ${new URL(context.url).host}: ${reason}`, secrets),
                clientRequestId,
                attempts,
                bytesOnWire,
            };
            if (context.abortSignal?.aborted) {
                return { ...last, message: 'Not sent: the execution was cancelled' };
            }
            if (!(0, retry_1.isTransientNetworkError)(error) || attempt === policy.maxAttempts)
                return last;
            await wait(context, (0, retry_1.retryDelayMs)(attempt, policy, undefined, context.random));
            continue;
        }
        const status = response.statusCode;
        const requestId = (0, retry_1.headerValue)(response.headers, 'x-ms-request-id');
        if (status >= 200 && status < 300) {
            return { ok: true, status, requestId, clientRequestId, attempts, bytesOnWire };
        }
        const details = (0, azureError_1.extractAzureError)(response.headers, response.body);
        last = {
            ok: false,
            status,
            code: details.code,
            message: (0, redact_1.redactSecrets)(details.message ?? `HTTP ${status}`, secrets),
            hint: hintFor(status, details.code),
            requestId,
            clientRequestId,
            attempts,
            bytesOnWire,
            stopsRun: stopsRun(status),
        };
        if (status === 401 && !renewedAfter401) {
            renewedAfter401 = true;
            rejectedToken = token;
            attempt--;
            continue;
        }
        if (!isRetriableStatus(status) || attempt === policy.maxAttempts)
            return last;
        await wait(context, (0, retry_1.retryDelayMs)(attempt, policy, response.headers, context.random));
    }
    return (last ?? { ok: false, message: 'No attempt was made', attempts, bytesOnWire, stopsRun: true });
}
async function wait(context, ms) {
    if (ms <= 0)
        return;
    try {
        await (0, n8n_workflow_1.sleepWithAbort)(ms, context.abortSignal);
    }
    catch {
        return;
    }
}
function describeNetworkError(error) {
    if (!(error instanceof Error))
        return String(error);
    const code = error.code;
    const suffix = typeof code === 'string' && !error.message.includes(code) ? ` (${code})` : '';
    return `${error.message}${suffix}`;
}
