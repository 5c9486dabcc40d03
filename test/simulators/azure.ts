/**
 * A local stand-in for Microsoft Entra ID (client-credentials tokens) and the Azure Monitor Logs
 * Ingestion API, over http or https (self-signed certificate made at start-up), on 127.0.0.1.
 *
 * Behaviour modelled on the public documentation (see /work/shared/spec/API-NOTES.md):
 * - POST /{tenant}/oauth2/v2.0/token: client credentials; AADSTS errors for unknown tenants
 *   (90002, malformed: 900023), unknown apps (700016), wrong (7000215) and expired (7000222)
 *   secrets, unknown resources (500011), invalid scopes (70011); tokens last `tokenLifetimeSeconds`.
 * - GET /{tenant}/v2.0/.well-known/openid-configuration (what the credential test fetches).
 * - POST /dataCollectionRules/{id}/streams/{stream}?api-version=…: checks the bearer token and
 *   its audience (401), unknown DCR (404), the app's role on the DCR (403 OperationFailed),
 *   unknown stream (400 InvalidStream), body size over 1,048,576 bytes as received (413
 *   ContentLengthLimitExceeded), gzip, a JSON array; stores accepted records; answers 204.
 * - Faults queued for the next ingestion requests: a status (with Retry-After / retry-after-ms),
 *   a connection reset, a slow answer, expiring every token.
 */
import { randomBytes, randomUUID } from 'crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';
import type { Server } from 'http';
import { gunzipSync } from 'zlib';

export const SIM_BODY_LIMIT = 1_048_576;
export const DEFAULT_AUDIENCE = 'https://monitor.azure.com';

export interface SimApp {
	tenantId: string;
	clientId: string;
	secret: string;
	secretExpired?: boolean;
}

export interface SimDcr {
	immutableId: string;
	streams: string[];
	/** Apps holding "Monitoring Metrics Publisher" on this DCR. */
	allowedClientIds: string[];
}

export interface SimFault {
	/** Answer with this status instead of handling the request. */
	status?: number;
	code?: string;
	message?: string;
	/** Retry-After header value (seconds or HTTP date). */
	retryAfter?: string;
	/** retry-after-ms header value. */
	retryAfterMs?: number;
	/** Send the code only in the body (no x-ms-error-code header). */
	noErrorCodeHeader?: boolean;
	/** Use capitalised keys: {"Error":{"Code","Message"}}. */
	capitalizedKeys?: boolean;
	/** Read the request, then destroy the connection without an answer. */
	reset?: boolean;
	/** Wait this long before handling (or faulting) the request. */
	delayMs?: number;
	/** Expire every token issued so far, then handle the request normally (→ 401). */
	expireTokens?: boolean;
}

export interface TokenLogEntry {
	tenantId: string;
	clientId: string;
	scope: string;
	status: number;
	aadsts?: string;
	token?: string;
}

export interface IngestionLogEntry {
	dcr: string;
	stream: string;
	apiVersion: string | null;
	clientRequestId: string | undefined;
	requestId: string;
	contentEncoding: string | undefined;
	/** Body bytes as received (compressed when gzip). */
	bodyBytes: number;
	/** Bytes after gunzip (equal to bodyBytes without gzip); undefined if not decoded. */
	decodedBytes?: number;
	records?: number;
	status: number | 'reset';
	code?: string;
	authorization?: string;
	fault?: SimFault;
}

export interface SimOptions {
	https?: boolean;
	apps?: SimApp[];
	dcrs?: SimDcr[];
	tokenLifetimeSeconds?: number;
	/** Audience the ingestion endpoint accepts. */
	audience?: string;
	/** Resources the token endpoint knows (others: AADSTS500011). */
	knownAudiences?: string[];
	/** Keep records (default) or only count them and collect `keyField` values. */
	storeRecords?: boolean;
	keyField?: string;
	/**
	 * How bodies are checked: `parse` (default) parses the JSON array; `scan` (benchmark) checks
	 * the array brackets and finds every record by its `keyField` (a string field each record has
	 * once), so the simulator's own CPU use stays small next to the client's under test.
	 */
	verify?: 'parse' | 'scan';
	/** Added before every ingestion answer: models network round trip and service time. */
	latencyMs?: number;
}

interface IssuedToken {
	tenantId: string;
	clientId: string;
	audience: string;
	expiresAt: number;
}

let certificateCache: Promise<{ key: string; cert: string }> | undefined;

/** A self-signed certificate for 127.0.0.1 / localhost, made once per process. */
export async function simulatorCertificate(): Promise<{ key: string; cert: string }> {
	certificateCache ??= (async () => {
		const selfsigned = await import('selfsigned');
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

function traceTail(): string {
	return ` Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The string values of `"field":"…"` in a JSON array body; undefined when it is not an array. */
export function scanKeys(body: Buffer, field: string): string[] | undefined {
	let first = 0;
	while (first < body.length && body[first] <= 0x20) first++;
	let last = body.length - 1;
	while (last >= 0 && body[last] <= 0x20) last--;
	if (body[first] !== 0x5b || body[last] !== 0x5d) return undefined;
	const needle = Buffer.from(`"${field}":"`);
	const ids: string[] = [];
	for (let at = body.indexOf(needle, first); at !== -1; at = body.indexOf(needle, at + needle.length)) {
		const start = at + needle.length;
		const end = body.indexOf(0x22, start);
		ids.push(body.toString('latin1', start, end));
	}
	return ids;
}

export class AzureSimulator {
	readonly apps: SimApp[];

	readonly dcrs: SimDcr[];

	tokenLifetimeSeconds: number;

	audience: string;

	readonly tokenLog: TokenLogEntry[] = [];

	readonly ingestionLog: IngestionLogEntry[] = [];

	private readonly faults: SimFault[] = [];

	private readonly tokens = new Map<string, IssuedToken>();

	private readonly stored = new Map<string, unknown[]>();

	private readonly counts = new Map<string, number>();

	private readonly keys = new Map<string, Set<unknown>>();

	private readonly sockets = new Set<import('net').Socket>();

	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
		private readonly options: SimOptions,
	) {
		this.apps = options.apps ?? [];
		this.dcrs = options.dcrs ?? [];
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
		this.audience = options.audience ?? DEFAULT_AUDIENCE;
	}

	static async start(options: SimOptions = {}): Promise<AzureSimulator> {
		const handlerRef: { sim?: AzureSimulator } = {};
		const handler = (req: IncomingMessage, res: ServerResponse) => {
			void handlerRef.sim?.handle(req, res).catch((error: unknown) => {
				if (!res.headersSent) {
					res.writeHead(500, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ error: { code: 'SimulatorError', message: String(error) } }));
				}
			});
		};
		const server = options.https
			? createHttpsServer(await simulatorCertificate(), handler)
			: createHttpServer(handler);
		// Large bodies arrive quickly on loopback; no need for Node's default timeouts.
		server.requestTimeout = 0;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		const sim = new AzureSimulator(
			server,
			`${options.https ? 'https' : 'http'}://127.0.0.1:${port}`,
			options,
		);
		server.on('connection', (socket) => {
			sim.sockets.add(socket);
			socket.on('close', () => sim.sockets.delete(socket));
		});
		handlerRef.sim = sim;
		return sim;
	}

	get authorityUrl(): string {
		return this.baseUrl;
	}

	get ingestionUrl(): string {
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Faults for the next ingestion requests, one per request, in order. */
	queueFaults(...faults: SimFault[]): void {
		this.faults.push(...faults);
	}

	get pendingFaults(): number {
		return this.faults.length;
	}

	expireAllTokens(): void {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}

	/** Accepted records of a DCR stream, in arrival order. */
	records(dcr: string, stream: string): unknown[] {
		return this.stored.get(`${dcr}/${stream}`) ?? [];
	}

	recordCount(dcr: string, stream: string): number {
		return this.counts.get(`${dcr}/${stream}`) ?? 0;
	}

	/** Distinct `keyField` values received (when records are not stored). */
	distinctKeys(dcr: string, stream: string): number {
		return this.keys.get(`${dcr}/${stream}`)?.size ?? 0;
	}

	/** Every token string issued so far (to check that none leaks into outputs). */
	issuedTokens(): string[] {
		return [...this.tokens.keys()];
	}

	reset(): void {
		this.faults.length = 0;
		this.tokenLog.length = 0;
		this.ingestionLog.length = 0;
		this.stored.clear();
		this.counts.clear();
		this.keys.clear();
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.baseUrl);
		const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		if (req.method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[3] === 'token') {
			return await this.handleToken(parts[0], req, res);
		}
		if (
			req.method === 'GET' &&
			parts.length === 4 &&
			parts[1] === 'v2.0' &&
			parts[2] === '.well-known' &&
			parts[3] === 'openid-configuration'
		) {
			return this.handleOpenIdConfiguration(parts[0], res);
		}
		if (
			req.method === 'POST' &&
			parts.length === 4 &&
			parts[0] === 'dataCollectionRules' &&
			parts[2] === 'streams'
		) {
			return await this.handleIngestion(parts[1], parts[3], url, req, res);
		}
		res.writeHead(404, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ error: { code: 'NotFound', message: `No route for ${req.method} ${url.pathname}` } }));
	}

	private tenantError(tenantId: string): { status: number; body: object; code: string } | undefined {
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

	private handleOpenIdConfiguration(tenantId: string, res: ServerResponse): void {
		const problem = this.tenantError(tenantId);
		if (problem) {
			res.writeHead(problem.status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(problem.body));
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(
			JSON.stringify({
				issuer: `${this.baseUrl}/${tenantId}/v2.0`,
				token_endpoint: `${this.baseUrl}/${tenantId}/oauth2/v2.0/token`,
			}),
		);
	}

	private async handleToken(tenantId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
		const form = new URLSearchParams((await readBody(req)).toString('utf8'));
		const clientId = form.get('client_id') ?? '';
		const scope = form.get('scope') ?? '';
		const answer = (status: number, body: object, aadsts?: string, token?: string) => {
			this.tokenLog.push({ tenantId, clientId, scope, status, aadsts, token });
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify(body));
		};
		const tenantProblem = this.tenantError(tenantId);
		if (tenantProblem) return answer(tenantProblem.status, tenantProblem.body, tenantProblem.code);
		const app = this.apps.find((a) => a.tenantId === tenantId && a.clientId === clientId);
		if (!app) {
			return answer(
				400,
				{
					error: 'unauthorized_client',
					error_description: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.${traceTail()}`,
					error_codes: [700016],
				},
				'AADSTS700016',
			);
		}
		if (form.get('client_secret') !== app.secret) {
			return answer(
				401,
				{
					error: 'invalid_client',
					error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.${traceTail()}`,
					error_codes: [7000215],
				},
				'AADSTS7000215',
			);
		}
		if (app.secretExpired) {
			return answer(
				401,
				{
					error: 'invalid_client',
					error_description: `AADSTS7000222: The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.${traceTail()}`,
					error_codes: [7000222],
				},
				'AADSTS7000222',
			);
		}
		const resource = scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : scope;
		const known = this.options.knownAudiences ?? [
			DEFAULT_AUDIENCE,
			'https://monitor.azure.cn',
			'https://monitor.azure.us',
			this.audience,
		];
		if (scope.endsWith('/.default') && !known.includes(resource)) {
			return answer(
				400,
				{
					error: 'invalid_resource',
					error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.${traceTail()}`,
					error_codes: [500011],
				},
				'AADSTS500011',
			);
		}
		if (form.get('grant_type') !== 'client_credentials' || !scope.endsWith('/.default')) {
			return answer(
				400,
				{
					error: 'invalid_scope',
					error_description: `AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.${traceTail()}`,
					error_codes: [70011],
				},
				'AADSTS70011',
			);
		}
		const token = `sim.${randomBytes(24).toString('base64url')}`;
		this.tokens.set(token, {
			tenantId,
			clientId,
			audience: scope.slice(0, -'/.default'.length),
			expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
		});
		return answer(
			200,
			{
				token_type: 'Bearer',
				expires_in: this.tokenLifetimeSeconds,
				ext_expires_in: this.tokenLifetimeSeconds,
				access_token: token,
			},
			undefined,
			token,
		);
	}

	private async handleIngestion(
		dcrId: string,
		stream: string,
		url: URL,
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<void> {
		const fault = this.faults.shift();
		if (fault?.expireTokens) this.expireAllTokens();
		const body = await readBody(req);
		// Slow answers: the request is handled on arrival, the answer comes late.
		const answerLater = async () => {
			const delay = (fault?.delayMs ?? 0) + (this.options.latencyMs ?? 0);
			if (delay > 0) await sleep(delay);
		};
		const requestId = randomUUID();
		const header = (name: string) => {
			const value = req.headers[name];
			return Array.isArray(value) ? value.join(', ') : value;
		};
		const entry: IngestionLogEntry = {
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

		const fail = async (status: number, code: string, message: string, extra: Partial<SimFault> = {}) => {
			await answerLater();
			entry.status = status;
			entry.code = code;
			const headers: Record<string, string> = {
				'Content-Type': 'application/json; charset=utf-8',
				'x-ms-request-id': requestId,
			};
			if (!extra.noErrorCodeHeader) headers['x-ms-error-code'] = code;
			if (extra.retryAfter !== undefined) headers['Retry-After'] = extra.retryAfter;
			if (extra.retryAfterMs !== undefined) headers['retry-after-ms'] = String(extra.retryAfterMs);
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
			return await fail(
				fault.status,
				fault.code ?? (fault.status === 429 ? 'TooManyRequests' : 'ServiceError'),
				fault.message ?? `Simulated failure ${fault.status}`,
				fault,
			);
		}

		const auth = header('authorization') ?? '';
		const bearer = /^Bearer (\S+)$/.exec(auth)?.[1];
		const token = bearer ? this.tokens.get(bearer) : undefined;
		if (!token) return await fail(401, 'InvalidToken', 'The provided authentication token is not valid.');
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
			return await fail(
				403,
				'OperationFailed',
				`The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${dcrId}'.`,
			);
		}
		if (!dcr.streams.includes(stream)) {
			return await fail(400, 'InvalidStream', `Stream ${stream} is not defined in data collection rule '${dcrId}'.`);
		}
		if (body.length > SIM_BODY_LIMIT) {
			return await fail(
				413,
				'ContentLengthLimitExceeded',
				`Maximum allowed content length: ${SIM_BODY_LIMIT} bytes (1 MB). Provided content length: ${body.length} bytes.`,
			);
		}
		let decoded: Buffer = body;
		if ((entry.contentEncoding ?? '').toLowerCase() === 'gzip') {
			try {
				decoded = gunzipSync(body);
			} catch {
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
			if (!set) this.keys.set(key, (set = new Set()));
			for (const id of ids) set.add(id);
			await answerLater();
			res.writeHead(204, { 'x-ms-request-id': requestId });
			res.end();
			return;
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(decoded.toString('utf8'));
		} catch {
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
				if (!set) this.keys.set(key, (set = new Set()));
				for (const record of parsed) set.add((record as Record<string, unknown>)[field]);
			}
		} else {
			let list = this.stored.get(key);
			if (!list) this.stored.set(key, (list = []));
			for (const record of parsed) list.push(record);
		}
		await answerLater();
		res.writeHead(204, { 'x-ms-request-id': requestId });
		res.end();
	}
}
