"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.AzureSimulator = exports.DEFAULT_AUDIENCE = exports.SIM_BODY_LIMIT = void 0;
exports.simulatorCertificate = simulatorCertificate;
exports.scanKeys = scanKeys;
const crypto_1 = require("crypto");
const http_1 = require("http");
const https_1 = require("https");
const zlib_1 = require("zlib");
exports.SIM_BODY_LIMIT = 1_048_576;
exports.DEFAULT_AUDIENCE = 'https://monitor.azure.com';
let certificateCache;
async function simulatorCertificate() {
    certificateCache ??= (async () => {
        const selfsigned = await Promise.resolve().then(() => __importStar(require('selfsigned')));
        const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
            keySize: 2048,
            algorithm: 'sha256',
            extensions: [
                { name: 'basicConstraints', cA: false },
                {
                    name: 'subjectAltName',
                    altNames: [
                        { type: 2, value: 'localhost' },
                        { type: 7, ip: '127.0.0.1' },
                    ],
                },
            ],
        });
        return { key: pems.private, cert: pems.cert };
    })();
    return await certificateCache;
}
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
function traceTail() {
    return ` Trace ID: ${(0, crypto_1.randomUUID)()} Correlation ID: ${(0, crypto_1.randomUUID)()} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`;
}
async function readBody(req) {
    const chunks = [];
    for await (const chunk of req)
        chunks.push(chunk);
    return Buffer.concat(chunks);
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
function scanKeys(body, field) {
    let first = 0;
    while (first < body.length && body[first] <= 0x20)
        first++;
    let last = body.length - 1;
    while (last >= 0 && body[last] <= 0x20)
        last--;
    if (body[first] !== 0x5b || body[last] !== 0x5d)
        return undefined;
    const needle = Buffer.from(`"${field}":"`);
    const ids = [];
    for (let at = body.indexOf(needle, first); at !== -1; at = body.indexOf(needle, at + needle.length)) {
        const start = at + needle.length;
        const end = body.indexOf(0x22, start);
        ids.push(body.toString('latin1', start, end));
    }
    return ids;
}
class AzureSimulator {
    server;
    baseUrl;
    options;
    apps;
    dcrs;
    tokenLifetimeSeconds;
    audience;
    tokenLog = [];
    ingestionLog = [];
    faults = [];
    tokens = new Map();
    stored = new Map();
    counts = new Map();
    keys = new Map();
    sockets = new Set();
    constructor(server, baseUrl, options) {
        this.server = server;
        this.baseUrl = baseUrl;
        this.options = options;
        this.apps = options.apps ?? [];
        this.dcrs = options.dcrs ?? [];
        this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
        this.audience = options.audience ?? exports.DEFAULT_AUDIENCE;
    }
    static async start(options = {}) {
        const handlerRef = {};
        const handler = (req, res) => {
            void handlerRef.sim?.handle(req, res).catch((error) => {
                if (!res.headersSent) {
                    res.writeHead(500, { 'Content-Type': 'application/json' });
                    res.end(JSON.stringify({ error: { code: 'SimulatorError', message: String(error) } }));
                }
            });
        };
        const server = options.https
            ? (0, https_1.createServer)(await simulatorCertificate(), handler)
            : (0, http_1.createServer)(handler);
        server.requestTimeout = 0;
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address();
        const sim = new AzureSimulator(server, `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`, options);
        server.on('connection', (socket) => {
            sim.sockets.add(socket);
            socket.on('close', () => sim.sockets.delete(socket));
        });
        handlerRef.sim = sim;
        return sim;
    }
    get authorityUrl() {
        return this.baseUrl;
    }
    get ingestionUrl() {
        return this.baseUrl;
    }
    async stop() {
        for (const socket of this.sockets)
            socket.destroy();
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
    queueFaults(...faults) {
        this.faults.push(...faults);
    }
    get pendingFaults() {
        return this.faults.length;
    }
    expireAllTokens() {
        for (const token of this.tokens.values())
            token.expiresAt = 0;
    }
    records(dcr, stream) {
        return this.stored.get(`${dcr}/${stream}`) ?? [];
    }
    recordCount(dcr, stream) {
        return this.counts.get(`${dcr}/${stream}`) ?? 0;
    }
    distinctKeys(dcr, stream) {
        return this.keys.get(`${dcr}/${stream}`)?.size ?? 0;
    }
    issuedTokens() {
        return [...this.tokens.keys()];
    }
    reset() {
        this.faults.length = 0;
        this.tokenLog.length = 0;
        this.ingestionLog.length = 0;
        this.stored.clear();
        this.counts.clear();
        this.keys.clear();
    }
    async handle(req, res) {
        const url = new URL(req.url ?? '/', this.baseUrl);
        const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        if (req.method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[3] === 'token') {
            return await this.handleToken(parts[0], req, res);
        }
        if (req.method === 'GET' &&
            parts.length === 4 &&
            parts[1] === 'v2.0' &&
            parts[2] === '.well-known' &&
            parts[3] === 'openid-configuration') {
            return this.handleOpenIdConfiguration(parts[0], res);
        }
        if (req.method === 'POST' &&
            parts.length === 4 &&
            parts[0] === 'dataCollectionRules' &&
            parts[2] === 'streams') {
            return await this.handleIngestion(parts[1], parts[3], url, req, res);
        }
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotFound', message: `No route for ${req.method} ${url.pathname}` } }));
    }
    tenantError(tenantId) {
        if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
            return {
                status: 400,
                code: 'AADSTS900023',
                body: {
                    error: 'invalid_request',
                    error_description: `AADSTS900023: Specified tenant identifier '${tenantId}' is neither a valid DNS name, nor a valid external domain.${traceTail()}`,
                    error_codes: [900023],
                },
            };
        }
        if (!this.apps.some((app) => app.tenantId === tenantId)) {
            return {
                status: 400,
                code: 'AADSTS90002',
                body: {
                    error: 'invalid_request',
                    error_description: `AADSTS90002: Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.${traceTail()}`,
                    error_codes: [90002],
                },
            };
        }
        return undefined;
    }
    handleOpenIdConfiguration(tenantId, res) {
        const problem = this.tenantError(tenantId);
        if (problem) {
            res.writeHead(problem.status, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(problem.body));
            return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({
            issuer: `${this.baseUrl}/${tenantId}/v2.0`,
            token_endpoint: `${this.baseUrl}/${tenantId}/oauth2/v2.0/token`,
        }));
    }
    async handleToken(tenantId, req, res) {
        const form = new URLSearchParams((await readBody(req)).toString('utf8'));
        const clientId = form.get('client_id') ?? '';
        const scope = form.get('scope') ?? '';
        const answer = (status, body, aadsts, token) => {
            this.tokenLog.push({ tenantId, clientId, scope, status, aadsts, token });
            res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify(body));
        };
        const tenantProblem = this.tenantError(tenantId);
        if (tenantProblem)
            return answer(tenantProblem.status, tenantProblem.body, tenantProblem.code);
        const app = this.apps.find((a) => a.tenantId === tenantId && a.clientId === clientId);
        if (!app) {
            return answer(400, {
                error: 'unauthorized_client',
                error_description: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.${traceTail()}`,
                error_codes: [700016],
            }, 'AADSTS700016');
        }
        if (form.get('client_secret') !== app.secret) {
            return answer(401, {
                error: 'invalid_client',
                error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.${traceTail()}`,
                error_codes: [7000215],
            }, 'AADSTS7000215');
        }
        if (app.secretExpired) {
            return answer(401, {
                error: 'invalid_client',
                error_description: `AADSTS7000222: The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.${traceTail()}`,
                error_codes: [7000222],
            }, 'AADSTS7000222');
        }
        const resource = scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : scope;
        const known = this.options.knownAudiences ?? [
            exports.DEFAULT_AUDIENCE,
            'https://monitor.azure.cn',
            'https://monitor.azure.us',
            this.audience,
        ];
        if (scope.endsWith('/.default') && !known.includes(resource)) {
            return answer(400, {
                error: 'invalid_resource',
                error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.${traceTail()}`,
                error_codes: [500011],
            }, 'AADSTS500011');
        }
        if (form.get('grant_type') !== 'client_credentials' || !scope.endsWith('/.default')) {
            return answer(400, {
                error: 'invalid_scope',
                error_description: `AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.${traceTail()}`,
                error_codes: [70011],
            }, 'AADSTS70011');
        }
        const token = `sim.${(0, crypto_1.randomBytes)(24).toString('base64url')}`;
        this.tokens.set(token, {
            tenantId,
            clientId,
            audience: scope.slice(0, -'/.default'.length),
            expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
        });
        return answer(200, {
            token_type: 'Bearer',
            expires_in: this.tokenLifetimeSeconds,
            ext_expires_in: this.tokenLifetimeSeconds,
            access_token: token,
        }, undefined, token);
    }
    async handleIngestion(dcrId, stream, url, req, res) {
        const fault = this.faults.shift();
        if (fault?.expireTokens)
            this.expireAllTokens();
        const body = await readBody(req);
        const answerLater = async () => {
            const delay = (fault?.delayMs ?? 0) + (this.options.latencyMs ?? 0);
            if (delay > 0)
                await sleep(delay);
        };
        const requestId = (0, crypto_1.randomUUID)();
        const header = (name) => {
            const value = req.headers[name];
            return Array.isArray(value) ? value.join(', ') : value;
        };
        const entry = {
            dcr: dcrId,
            stream,
            apiVersion: url.searchParams.get('api-version'),
            clientRequestId: header('x-ms-client-request-id'),
            requestId,
            contentEncoding: header('content-encoding'),
            bodyBytes: body.length,
            status: 204,
            authorization: header('authorization'),
            fault,
        };
        this.ingestionLog.push(entry);
        const fail = async (status, code, message, extra = {}) => {
            await answerLater();
            entry.status = status;
            entry.code = code;
            const headers = {
                'Content-Type': 'application/json; charset=utf-8',
                'x-ms-request-id': requestId,
            };
            if (!extra.noErrorCodeHeader)
                headers['x-ms-error-code'] = code;
            if (extra.retryAfter !== undefined)
                headers['Retry-After'] = extra.retryAfter;
            if (extra.retryAfterMs !== undefined)
                headers['retry-after-ms'] = String(extra.retryAfterMs);
            const payload = extra.capitalizedKeys
                ? { Error: { Code: code, Message: message } }
                : { error: { code, message } };
            res.writeHead(status, headers);
            res.end(JSON.stringify(payload));
        };
        if (fault?.reset) {
            await answerLater();
            entry.status = 'reset';
            req.socket.destroy();
            return;
        }
        if (fault?.status !== undefined) {
            return await fail(fault.status, fault.code ?? (fault.status === 429 ? 'TooManyRequests' : 'ServiceError'), fault.message ?? `Simulated failure ${fault.status}`, fault);
        }
        const auth = header('authorization') ?? '';
        const bearer = /^Bearer (\S+)$/.exec(auth)?.[1];
        const token = bearer ? this.tokens.get(bearer) : undefined;
        if (!token)
            return await fail(401, 'InvalidToken', 'The provided authentication token is not valid.');
        if (token.expiresAt <= Date.now()) {
            return await fail(401, 'InvalidToken', 'The provided authentication token has expired.');
        }
        if (token.audience !== this.audience) {
            return await fail(401, 'InvalidAudience', `The token audience ${token.audience} is not accepted here.`);
        }
        const dcr = this.dcrs.find((d) => d.immutableId === dcrId);
        if (!dcr) {
            return await fail(404, 'NotFound', `Data collection rule with immutable Id '${dcrId}' not found.`);
        }
        if (!dcr.allowedClientIds.includes(token.clientId)) {
            return await fail(403, 'OperationFailed', `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${dcrId}'.`);
        }
        if (!dcr.streams.includes(stream)) {
            return await fail(400, 'InvalidStream', `Stream ${stream} is not defined in data collection rule '${dcrId}'.`);
        }
        if (body.length > exports.SIM_BODY_LIMIT) {
            return await fail(413, 'ContentLengthLimitExceeded', `Maximum allowed content length: ${exports.SIM_BODY_LIMIT} bytes (1 MB). Provided content length: ${body.length} bytes.`);
        }
        let decoded = body;
        if ((entry.contentEncoding ?? '').toLowerCase() === 'gzip') {
            try {
                decoded = (0, zlib_1.gunzipSync)(body);
            }
            catch {
                return await fail(400, 'InvalidContentEncoding', 'The request body is not valid gzip.');
            }
        }
        entry.decodedBytes = decoded.length;
        const key = `${dcrId}/${stream}`;
        if (this.options.verify === 'scan' && this.options.keyField) {
            const ids = scanKeys(decoded, this.options.keyField);
            if (ids === undefined) {
                return await fail(400, 'InvalidPayload', 'The request body must be a JSON array of records.');
            }
            entry.records = ids.length;
            this.counts.set(key, (this.counts.get(key) ?? 0) + ids.length);
            let set = this.keys.get(key);
            if (!set)
                this.keys.set(key, (set = new Set()));
            for (const id of ids)
                set.add(id);
            await answerLater();
            res.writeHead(204, { 'x-ms-request-id': requestId });
            res.end();
            return;
        }
        let parsed;
        try {
            parsed = JSON.parse(decoded.toString('utf8'));
        }
        catch {
            return await fail(400, 'InvalidJson', 'The request body is not valid JSON.');
        }
        if (!Array.isArray(parsed)) {
            return await fail(400, 'InvalidPayload', 'The request body must be a JSON array of records.');
        }
        entry.records = parsed.length;
        this.counts.set(key, (this.counts.get(key) ?? 0) + parsed.length);
        if (this.options.storeRecords === false) {
            if (this.options.keyField) {
                const field = this.options.keyField;
                let set = this.keys.get(key);
                if (!set)
                    this.keys.set(key, (set = new Set()));
                for (const record of parsed)
                    set.add(record[field]);
            }
        }
        else {
            let list = this.stored.get(key);
            if (!list)
                this.stored.set(key, (list = []));
            for (const record of parsed)
                list.push(record);
        }
        await answerLater();
        res.writeHead(204, { 'x-ms-request-id': requestId });
        res.end();
    }
}
exports.AzureSimulator = AzureSimulator;
