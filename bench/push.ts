/**
 * `npm run bench:push`: 200,000 System-Audit-shaped records pushed to the Azure simulator over
 * https by the Azure Log Ingestion node (through n8n-core's engine) and by Microsoft's SDK
 * (@azure/monitor-ingestion LogsIngestionClient.upload), side by side in the same run, plus the
 * floor: JSON.stringify + gzip of the same records with no network.
 *
 * Each contender runs in its own process (clean memory figures), the simulator in another one.
 * Every contender does one warm-up push of 20,000 records; then the measured pushes go round-robin
 * (floor, SDK, node, node from field; again…), so that load changes on the machine hit every
 * contender alike. The median of BENCH_RUNS pushes (default 5) is reported.
 * Environment: BENCH_RECORDS (default 200000), BENCH_RUNS (default 5), BENCH_LATENCY_MS (added
 * by the simulator before every ingestion answer, to model network round trip and service time;
 * default 0), BENCH_SIM_VERIFY (`scan`, the default, finds records by their systemAuditId without
 * parsing; `parse` parses every body), BENCH_KINDS (which contenders), BENCH_PROFILE (a directory:
 * CPU profiles of the contenders).
 */
import { fork, type ChildProcess } from 'child_process';
import { writeFileSync, mkdtempSync } from 'fs';
import { tmpdir, cpus } from 'os';
import { join } from 'path';

import type {
	ContenderCommand,
	ContenderKind,
	ContenderMessage,
	ContenderReport,
	RunResult,
	SimulatorReply,
	SimulatorRequest,
} from './azure/protocol';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
const KINDS = (process.env.BENCH_KINDS ?? 'floor,sdk,node,nodeFromField').split(',') as ContenderKind[];
const LABELS: Record<ContenderKind, string> = {
	node: 'Azure Log Ingestion node (n8n engine)',
	nodeFromField: 'node, TimeGenerated from `dateTime`',
	sdk: '@azure/monitor-ingestion 1.2.0 `upload`',
	floor: 'floor: JSON.stringify + gzip, no network',
};

type Stats = Extract<SimulatorReply, { type: 'stats' }>;

function nextMessage<T>(child: ChildProcess, accept: (message: unknown) => message is T): Promise<T> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: unknown) => {
			if (!accept(message)) return;
			child.off('message', onMessage);
			child.off('exit', onExit);
			resolve(message);
		};
		const onExit = (code: number | null) => reject(new Error(`process exited (${String(code)}) before answering`));
		child.on('message', onMessage);
		child.on('exit', onExit);
	});
}

const isType =
	<T extends { type: string }>(type: T['type']) =>
	(message: unknown): message is T =>
		typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

async function simulatorStats(sim: ChildProcess, stream: string): Promise<Stats> {
	const answer = nextMessage(sim, (m): m is Stats => isType<Stats>('stats')(m) && m.stream === stream);
	sim.send({ type: 'stats', stream } satisfies SimulatorRequest);
	return await answer;
}

async function simulatorCpuMs(sim: ChildProcess): Promise<number> {
	type Cpu = Extract<SimulatorReply, { type: 'cpu' }>;
	const answer = nextMessage(sim, isType<Cpu>('cpu'));
	sim.send({ type: 'cpu' } satisfies SimulatorRequest);
	return (await answer).cpuMs;
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value: number, digits = 0) =>
	value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Row {
	kind: ContenderKind;
	recordsPerSecond: number;
	medianMs: number;
	requests: number | undefined;
	bytesOnWire: number;
	maxBody: number | undefined;
	peakRssMiB: number;
	baselineRssMiB: number;
	rawBytes: number;
	cpuMs: number;
	simulatorCpuMs: number;
}

async function main(): Promise<void> {
	const streams = KINDS.flatMap((kind) => [
		`Custom-Warmup${kind}_CL`,
		...Array.from({ length: RUNS }, (_, i) => `Custom-Bench${kind}R${i + 1}_CL`),
	]);
	const sim = fork(join(__dirname, 'azure', 'simulator-process.js'), [], {
		env: { ...process.env, BENCH_STREAMS: streams.join(',') },
	});
	const ready = await nextMessage(sim, isType<Extract<SimulatorReply, { type: 'ready' }>>('ready'));
	const certPath = join(mkdtempSync(join(tmpdir(), 'bench-push-')), 'simulator.pem');
	writeFileSync(certPath, ready.cert);
	console.log(
		`Simulator: ${ready.baseUrl} (https, self-signed certificate), ${LATENCY_MS} ms added per ingestion request. ${fmt(RECORDS)} records, ${RUNS} measured runs each after a warm-up, median reported. ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}.`,
	);

	type Message<K extends ContenderMessage['type']> = Extract<ContenderMessage, { type: K }>;
	const isMessage = <K extends ContenderMessage['type']>(type: K) => isType<Message<K>>(type as Message<K>['type']);
	const failed = (message: unknown): message is Extract<ContenderMessage, { type: 'report' }> =>
		isMessage('report')(message) && message.error !== undefined;
	const awaitOrFail = async <T>(child: ChildProcess, accept: (message: unknown) => message is T): Promise<T> => {
		const message = await nextMessage(child, (m): m is T | Extract<ContenderMessage, { type: 'report' }> => accept(m) || failed(m));
		if (failed(message)) throw new Error(`${message.kind} failed: ${message.error ?? ''}`);
		return message as T;
	};

	// Start every contender (records generated, warm-up push done), then measure round-robin.
	const children = new Map<ContenderKind, ChildProcess>();
	for (const kind of KINDS) {
		const child = fork(join(__dirname, 'azure', 'contender.js'), [kind, ready.baseUrl, String(RECORDS)], {
			execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
			// The SDK must trust the simulator's certificate; the node uses its "Ignore SSL Issues" option.
			env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
		});
		children.set(kind, child);
		await awaitOrFail(child, isMessage('ready'));
	}
	const results = new Map<ContenderKind, RunResult[]>(KINDS.map((kind) => [kind, []]));
	for (let run = 1; run <= RUNS; run++) {
		for (const kind of KINDS) {
			const child = children.get(kind) as ChildProcess;
			const simulatorBefore = await simulatorCpuMs(sim);
			const answer = awaitOrFail(child, isMessage('result'));
			child.send({ type: 'run', run } satisfies ContenderCommand);
			const { result } = await answer;
			result.simulatorCpuMs = (await simulatorCpuMs(sim)) - simulatorBefore;
			(results.get(kind) as RunResult[]).push(result);
		}
	}
	const reports = new Map<ContenderKind, ContenderReport>();
	for (const kind of KINDS) {
		const child = children.get(kind) as ChildProcess;
		const answer = nextMessage(child, isMessage('report'));
		child.send({ type: 'finish' } satisfies ContenderCommand);
		reports.set(kind, await answer);
	}

	const rows: Row[] = [];
	for (const kind of KINDS) {
		const report = reports.get(kind) as ContenderReport;
		if (report.error) throw new Error(`${kind} failed: ${report.error}`);
		// The orchestrator's copies of the runs also carry the simulator's CPU time.
		const runs = results.get(kind) as RunResult[];
		const durations = runs.map((run) => run.durationMs);
		let requests: number | undefined;
		let bytesOnWire = 0;
		let maxBody: number | undefined;
		if (kind === 'floor') {
			bytesOnWire = report.runs[0].reportedBytes ?? 0;
		} else {
			const all = await Promise.all(report.runs.map(async (run) => await simulatorStats(sim, run.stream)));
			for (const stats of all) {
				if (stats.records !== RECORDS || stats.distinctKeys !== RECORDS) {
					throw new Error(`${kind}: the simulator received ${stats.records} records (${stats.distinctKeys} distinct) instead of ${RECORDS}`);
				}
			}
			requests = all[0].requests;
			bytesOnWire = all[0].bodyBytes;
			maxBody = Math.max(...all.map((stats) => stats.maxBodyBytes));
		}
		const medianMs = median(durations);
		rows.push({
			kind,
			recordsPerSecond: RECORDS / (medianMs / 1000),
			medianMs,
			requests,
			bytesOnWire,
			maxBody,
			peakRssMiB: report.peakRssMiB,
			baselineRssMiB: report.baselineRssMiB,
			rawBytes: report.rawBytes,
			cpuMs: median(runs.map((run) => run.cpuMs ?? 0)),
			simulatorCpuMs: median(runs.map((run) => run.simulatorCpuMs ?? 0)),
		});
		console.log(
			`${kind}: ${runs.map((r) => `${fmt(r.durationMs)} ms (CPU ${fmt(r.cpuMs ?? 0)} ms, simulator CPU ${fmt(r.simulatorCpuMs ?? 0)} ms, RSS ${fmt(r.rssBeforeMiB ?? 0)} → ${fmt(r.rssPeakMiB ?? 0)} MiB)`).join('; ')}`,
		);
	}
	sim.send({ type: 'stop' } satisfies SimulatorRequest);

	const row = (kind: ContenderKind) => rows.find((r) => r.kind === kind);
	const node = row('node');
	const sdk = row('sdk');
	const floor = row('floor');
	const rawBytes = rows[0]?.rawBytes ?? 0;
	console.log('');
	console.log(`Records: ${fmt(RECORDS)}, ${fmt(rawBytes / 1024 / 1024, 1)} MiB of JSON (${fmt(rawBytes / RECORDS)} bytes per record on average).`);
	console.log('');
	console.log('| contender | records/s | time (median) | CPU: contender + simulator | requests | bytes on the wire | largest body | peak RSS during a push (before it) |');
	console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
	for (const r of rows) {
		console.log(
			`| ${LABELS[r.kind]} | ${fmt(r.recordsPerSecond)} | ${fmt(r.medianMs)} ms | ${fmt(r.cpuMs)} + ${fmt(r.simulatorCpuMs)} ms | ${r.requests === undefined ? '—' : fmt(r.requests)} | ${fmt(r.bytesOnWire)} | ${r.maxBody === undefined ? '—' : fmt(r.maxBody)} | ${fmt(r.peakRssMiB)} MiB (${fmt(r.baselineRssMiB)} MiB) |`,
		);
	}
	if (node && sdk && floor) {
		const checks = [
			['throughput vs SDK', node.recordsPerSecond / sdk.recordsPerSecond, '≥ 1.20×', (v: number) => v >= 1.2],
			['requests vs SDK', (node.requests ?? 0) / (sdk.requests ?? 1), '≤ 0.25×', (v: number) => v <= 0.25],
			['throughput vs floor', node.recordsPerSecond / floor.recordsPerSecond, '≥ 0.70×', (v: number) => v >= 0.7],
		] as const;
		console.log('');
		console.log('| target (node) | measured | target | met |');
		console.log('|---|---:|---:|:---:|');
		for (const [name, value, target, ok] of checks) {
			console.log(`| ${name} | ${fmt(value, 2)}× | ${target} | ${ok(value) ? 'yes' : 'no'} |`);
		}
	}
	console.log('');
	console.log(
		"CPU: median CPU time of a push, all threads, in the contender process and in the simulator process (2 cores give at most 2 ms of CPU per ms). Bytes on the wire: request bodies as received by the simulator (gzip), all attempts; for the floor, the gzip output. Peak RSS: the contender process's resident set sampled every 5 ms during the measured pushes; in brackets, before a push (the records themselves, and for the node n8n-core loaded).",
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
