/**
 * One contender of the push benchmark, in its own process (clean peak-memory figures; each kind
 * loads only what it uses):
 *   node           the Azure Log Ingestion node, run by n8n-core's engine through test/harness
 *   nodeFromField  the same, with TimeGenerated taken from `dateTime` (records without it)
 *   sdk            @azure/monitor-ingestion LogsIngestionClient.upload
 *   floor          JSON.stringify + gzip of the same records, no network
 * Usage: node contender.js <kind> <baseUrl> <records>; driven over IPC by bench/push.ts.
 */
import type { LogsIngestionClient } from '@azure/monitor-ingestion';
import type { IDataObject } from 'n8n-workflow';
import { performance } from 'perf_hooks';
import { gzipSync } from 'zlib';

import {
	BENCH_APP,
	BENCH_DCR,
	type ContenderCommand,
	type ContenderKind,
	type ContenderMessage,
	type RunResult,
} from './protocol';
import { auditRecords, type AuditRecord } from './records';

const WARM_UP_RECORDS = 20_000;
/** Records per floor chunk: about one node request's worth of raw JSON. */
const FLOOR_CHUNK = 5_000;

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Client credentials against the simulator's token endpoint (what @azure/identity's
 * ClientSecretCredential does); structurally a TokenCredential.
 */
class SimulatorCredential {
	constructor(private readonly authority: string) {}

	async getToken(scopes: string | string[]): Promise<{ token: string; expiresOnTimestamp: number }> {
		const scope = Array.isArray(scopes) ? scopes[0] : scopes;
		const response = await fetch(`${this.authority}/${BENCH_APP.tenantId}/oauth2/v2.0/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_id: BENCH_APP.clientId,
				client_secret: BENCH_APP.secret,
				grant_type: 'client_credentials',
				scope,
			}).toString(),
		});
		const body = (await response.json()) as { access_token: string; expires_in: number };
		return { token: body.access_token, expiresOnTimestamp: Date.now() + body.expires_in * 1000 };
	}
}

type Runner = (records: AuditRecord[], stream: string) => Promise<RunResult>;

async function nodeRunner(baseUrl: string, fromField: boolean): Promise<{ run: Runner; close: () => void }> {
	const { runWorkflow } = await import('../../test/harness');
	const { Container } = await import('@n8n/di');
	const { SSHClientsManager } = await import('n8n-core/dist/execution-engine/ssh-clients-manager');
	const run: Runner = async (records, stream) => {
		const started = performance.now();
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Azure Log Ingestion',
					type: 'azureLogIngestion',
					parameters: {
						resource: 'log',
						operation: 'upload',
						endpoint: baseUrl,
						dcrImmutableId: BENCH_DCR,
						streamName: stream,
						options: {
							allowUnauthorizedCerts: true,
							// The node's default unless BENCH_NODE_CONCURRENCY says otherwise.
							...(process.env.BENCH_NODE_CONCURRENCY ? { concurrency: Number(process.env.BENCH_NODE_CONCURRENCY) } : {}),
							timeGenerated: fromField ? 'fromField' : 'keep',
							timeGeneratedField: 'dateTime',
						},
					},
				},
			],
			credentials: {
				azureLogIngestionApi: {
					cloud: 'custom',
					tenantId: BENCH_APP.tenantId,
					clientId: BENCH_APP.clientId,
					clientSecret: BENCH_APP.secret,
					authorityHost: baseUrl,
					audience: 'https://monitor.azure.com',
					accessToken: '',
				},
			},
			input: records as unknown as IDataObject[],
		});
		const durationMs = performance.now() - started;
		const node = result.node('Azure Log Ingestion');
		if (node.error) throw new Error(`node failed: ${node.error.message} ${node.error.description ?? ''}`);
		const summary = node.outputs[0][0].json;
		if (summary.recordsAccepted !== records.length) {
			throw new Error(`node accepted ${String(summary.recordsAccepted)} records`);
		}
		return { stream, durationMs, reportedRequests: Number(summary.requests), reportedBytes: Number(summary.bytesOnWire) };
	};
	// n8n-core keeps an interval for SSH tunnels; n8n clears it on shutdown.
	return { run, close: () => Container.get(SSHClientsManager).onShutdown() };
}

async function sdkRunner(baseUrl: string): Promise<{ run: Runner; close: () => void }> {
	const { LogsIngestionClient } = await import('@azure/monitor-ingestion');
	const client: LogsIngestionClient = new LogsIngestionClient(baseUrl, new SimulatorCredential(baseUrl));
	const run: Runner = async (records, stream) => {
		const started = performance.now();
		await client.upload(BENCH_DCR, stream, records);
		return { stream, durationMs: performance.now() - started };
	};
	return { run, close: () => undefined };
}

function floorRunner(): { run: Runner; close: () => void } {
	const run: Runner = async (records, stream) => {
		const started = performance.now();
		let bytes = 0;
		let chunks = 0;
		for (let i = 0; i < records.length; i += FLOOR_CHUNK) {
			bytes += gzipSync(Buffer.from(JSON.stringify(records.slice(i, i + FLOOR_CHUNK)), 'utf8')).length;
			chunks++;
		}
		return { stream, durationMs: performance.now() - started, reportedRequests: chunks, reportedBytes: bytes };
	};
	return { run, close: () => undefined };
}

/** Samples the resident set size while a run is in progress (its peak is what a run costs). */
function rssSampler(): { stop: () => number } {
	let peak = process.memoryUsage.rss();
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	return {
		stop: () => {
			clearInterval(timer);
			return Math.max(peak, process.memoryUsage.rss());
		},
	};
}

/** The report of a contender that failed: no runs, the error's stack. */
function failureReport(kind: ContenderKind, error: unknown): ContenderMessage {
	return {
		type: 'report',
		kind,
		records: 0,
		rawBytes: 0,
		runs: [],
		baselineRssMiB: 0,
		peakRssMiB: 0,
		error: error instanceof Error ? (error.stack ?? error.message) : String(error),
	};
}

function send(message: ContenderMessage): Promise<void> {
	return new Promise((resolve) => process.send?.(message, () => resolve()));
}

async function main(): Promise<void> {
	const [kindArg, baseUrl, countArg] = process.argv.slice(2);
	const kind = kindArg as ContenderKind;
	const count = Number(countArg);
	const withTime = kind !== 'nodeFromField';
	const records = auditRecords(count, 42, withTime);
	const warmUp = auditRecords(WARM_UP_RECORDS, 7, withTime);
	// JSON size of all records, measured slice by slice (one big string would distort memory).
	let rawBytes = 1;
	for (let i = 0; i < records.length; i += 1000) {
		rawBytes += Buffer.byteLength(JSON.stringify(records.slice(i, i + 1000))) - 1;
	}
	const runner =
		kind === 'node' || kind === 'nodeFromField'
			? await nodeRunner(baseUrl, kind === 'nodeFromField')
			: kind === 'sdk'
				? await sdkRunner(baseUrl)
				: floorRunner();
	await runner.run(warmUp, `Custom-Warmup${kind}_CL`);
	// Let V8 collect the generation garbage and give the memory back before measuring.
	if (typeof global.gc === 'function') {
		for (let i = 0; i < 3; i++) {
			global.gc();
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	const results: RunResult[] = [];
	process.on('message', (raw) => {
		const command = raw as ContenderCommand;
		void (async () => {
			if (command.type === 'run') {
				if (typeof global.gc === 'function') global.gc();
				const before = process.memoryUsage.rss();
				const sampler = rssSampler();
				const cpu = process.cpuUsage();
				const result = await runner.run(records, `Custom-Bench${kind}R${command.run}_CL`);
				const used = process.cpuUsage(cpu);
				result.cpuMs = (used.user + used.system) / 1000;
				result.rssBeforeMiB = mib(before);
				result.rssPeakMiB = mib(sampler.stop());
				results.push(result);
				await send({ type: 'result', result });
			} else {
				runner.close();
				await send({
					type: 'report',
					kind,
					records: count,
					rawBytes,
					runs: results,
					baselineRssMiB: Math.max(...results.map((r) => r.rssBeforeMiB ?? 0)),
					peakRssMiB: Math.max(...results.map((r) => r.rssPeakMiB ?? 0)),
				});
				process.exit(0);
			}
		})().catch(async (error: unknown) => {
			await send(failureReport(kind, error));
			process.exit(1);
		});
	});
	await send({ type: 'ready' });
}

main().catch(async (error: unknown) => {
	await send(failureReport(process.argv[2] as ContenderKind, error));
	process.exit(1);
});
