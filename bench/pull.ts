/**
 * `npm run bench:pull`: 100,000 System Audit records (page size 5000) read from the ThreatLocker
 * simulator by the ThreatLocker node through n8n-core's execution engine, side by side in the
 * same run with a bare baseline: plain HTTP requests + JSON.parse over the same pages (afterKeys
 * past page 10, exactly what the API needs and nothing else).
 *
 * The simulator runs in this process; each measured run happens in a fresh child process, so
 * that its peak RSS growth is the client's alone. Runs alternate (baseline, node, baseline, …) so
 * that load changes on the machine hit both alike; the median of BENCH_RUNS (default 5) is shown.
 * Environment: BENCH_RECORDS (default 100000), BENCH_PAGE_SIZE (default 5000), BENCH_RUNS.
 */
import { fork } from 'child_process';
import { request } from 'http';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const START = '2026-01-01T00:00:00Z';
const END = '2026-01-31T00:00:00Z';

type Kind = 'baseline' | 'node';
interface RunReport {
	kind: Kind;
	records: number;
	requests: number;
	responseBytes: number;
	ms: number;
	rssBefore: number;
	rssPeak: number;
}
interface Job {
	kind: Kind;
	baseUrl: string;
	apiKey: string;
}

/** Samples RSS often enough to catch the peak of a run that lasts seconds. */
function rssSampler() {
	let peak = process.memoryUsage.rss();
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, process.memoryUsage.rss());
		},
	};
}

function post(url: string, apiKey: string, body: unknown): Promise<{ text: string; headers: Record<string, string | string[] | undefined> }> {
	return new Promise((resolve, reject) => {
		const payload = JSON.stringify(body);
		const req = request(
			url,
			{ method: 'POST', headers: { Authorization: apiKey, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** The floor: the same pages with plain HTTP and JSON.parse, nothing kept but the records. */
async function baseline(job: Job): Promise<Omit<RunReport, 'rssBefore' | 'rssPeak' | 'ms'>> {
	const url = `${job.baseUrl}/portalapi/SystemAudit/SystemAuditGetByParameters`;
	const records: unknown[] = [];
	const afterKeys: Record<string, unknown> = {};
	let requests = 0;
	let responseBytes = 0;
	for (let pageNumber = 1; ; pageNumber++) {
		const body: Record<string, unknown> = { startDate: START, endDate: END, pageNumber, pageSize: PAGE_SIZE };
		if (pageNumber > 10) body.afterKeys = afterKeys;
		const { text, headers } = await post(url, job.apiKey, body);
		requests++;
		responseBytes += Buffer.byteLength(text);
		const page = JSON.parse(text) as unknown[];
		for (const record of page) records.push(record);
		const pagination = JSON.parse(String(headers.pagination)) as { totalPages: number; afterKeyLookup: Record<string, unknown> };
		Object.assign(afterKeys, pagination.afterKeyLookup);
		if (page.length < PAGE_SIZE || pageNumber >= pagination.totalPages) break;
	}
	return { kind: 'baseline', records: records.length, requests, responseBytes };
}

async function viaNode(job: Job): Promise<Omit<RunReport, 'rssBefore' | 'rssPeak' | 'ms'>> {
	// Loaded before the clock starts: module loading is not the node's work per run.
	const { runNode } = await import('../test/harness');
	const started = await runNode({
		node: {
			type: 'threatLocker',
			parameters: { resource: 'systemAudit', operation: 'search', startDate: START, endDate: END, returnAll: true, options: { pageSize: PAGE_SIZE } },
		},
		credentials: { threatLockerApi: { apiKey: job.apiKey, instance: 'g', baseUrl: job.baseUrl } },
	});
	if (started.error) throw started.error;
	// Requests are counted by the simulator; response bytes are the baseline's (the same pages).
	return { kind: 'node', records: started.outputs[0].length, requests: 0, responseBytes: 0 };
}

async function child(): Promise<void> {
	const job = JSON.parse(process.argv[3]) as Job;
	if (job.kind === 'node') await import('../test/harness');
	if (global.gc) global.gc();
	const rssBefore = process.memoryUsage.rss();
	const sampler = rssSampler();
	const t0 = performance.now();
	const result = job.kind === 'node' ? await viaNode(job) : await baseline(job);
	const ms = performance.now() - t0;
	const rssPeak = sampler.stop();
	process.send!({ ...result, ms, rssBefore, rssPeak } satisfies RunReport);
	process.exit(0);
}

function runChild(job: Job): Promise<RunReport> {
	return new Promise((resolve, reject) => {
		const proc = fork(__filename, ['child', JSON.stringify(job)], { execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE && job.kind === 'node' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
		proc.once('message', (m) => resolve(m as RunReport));
		proc.once('exit', (code) => (code ? reject(new Error(`${job.kind} run exited with ${code}`)) : undefined));
	});
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
	const { ThreatLockerSimulator } = await import('../test/simulators/threatlocker');
	const sim = await ThreatLockerSimulator.start({ now: () => new Date(END) });
	sim.generateAudit(RECORDS, { start: new Date(START), end: new Date('2026-01-30T23:59:59Z') });
	const job = { baseUrl: sim.baseUrl, apiKey: sim.apiKey };
	const reports: RunReport[] = [];
	// One warm-up each (not reported): first-run effects such as the OS page cache.
	await runChild({ ...job, kind: 'baseline' });
	await runChild({ ...job, kind: 'node' });
	for (let run = 0; run < RUNS; run++) {
		for (const kind of ['baseline', 'node'] as const) {
			const before = sim.requests.length;
			const report = await runChild({ ...job, kind });
			const served = sim.requests.slice(before);
			report.requests = served.length;
			if (report.records !== RECORDS) throw new Error(`${kind} returned ${report.records} records, expected ${RECORDS}`);
			reports.push(report);
		}
	}
	await sim.stop();
	const responseBytes = median(reports.filter((r) => r.kind === 'baseline').map((r) => r.responseBytes));
	const row = (kind: Kind) => {
		const runs = reports.filter((r) => r.kind === kind);
		const ms = median(runs.map((r) => r.ms));
		const growth = median(runs.map((r) => r.rssPeak - r.rssBefore));
		return { ms, growth, requests: median(runs.map((r) => r.requests)) };
	};
	const base = row('baseline');
	const node = row('node');
	const timeRatio = node.ms / base.ms;
	const memoryRatio = node.growth / responseBytes;
	const lines = [
		`ThreatLocker pull: ${RECORDS.toLocaleString('en-US')} records, page size ${PAGE_SIZE}, ${mb(responseBytes)} MiB of response bodies; median of ${RUNS} runs, each in a fresh process (Node ${process.version}).`,
		'',
		'| contender | time | records/s | requests | peak RSS growth |',
		'|---|---:|---:|---:|---:|',
		`| baseline: plain HTTP + JSON.parse | ${(base.ms / 1000).toFixed(2)} s | ${Math.round(RECORDS / (base.ms / 1000)).toLocaleString('en-US')} | ${base.requests} | ${mb(base.growth)} MiB |`,
		`| ThreatLocker node (n8n-core engine) | ${(node.ms / 1000).toFixed(2)} s | ${Math.round(RECORDS / (node.ms / 1000)).toLocaleString('en-US')} | ${node.requests} | ${mb(node.growth)} MiB |`,
		'',
		`| requirement | target | measured | |`,
		'|---|---:|---:|---|',
		`| node time / baseline time | ≤ 1.30 | ${timeRatio.toFixed(2)} | ${timeRatio <= 1.3 ? 'met' : 'NOT met'} |`,
		`| node peak RSS growth / response bytes | ≤ 2.00 | ${memoryRatio.toFixed(2)} | ${memoryRatio <= 2 ? 'met' : 'NOT met'} |`,
	];
	console.log(lines.join('\n'));
}

if (process.argv[2] === 'child') {
	child().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
} else {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
