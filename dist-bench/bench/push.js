"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const child_process_1 = require("child_process");
const fs_1 = require("fs");
const os_1 = require("os");
const path_1 = require("path");
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
const KINDS = (process.env.BENCH_KINDS ?? 'floor,sdk,node,nodeFromField').split(',');
const LABELS = {
    node: 'Azure Log Ingestion node (n8n engine)',
    nodeFromField: 'node, TimeGenerated from `dateTime`',
    sdk: '@azure/monitor-ingestion 1.2.0 `upload`',
    floor: 'floor: JSON.stringify + gzip, no network',
};
function nextMessage(child, accept) {
    return new Promise((resolve, reject) => {
        const onMessage = (message) => {
            if (!accept(message))
                return;
            child.off('message', onMessage);
            child.off('exit', onExit);
            resolve(message);
        };
        const onExit = (code) => reject(new Error(`process exited (${String(code)}) before answering`));
        child.on('message', onMessage);
        child.on('exit', onExit);
    });
}
const isType = (type) => (message) => typeof message === 'object' && message !== null && message.type === type;
async function simulatorStats(sim, stream) {
    const answer = nextMessage(sim, (m) => isType('stats')(m) && m.stream === stream);
    sim.send({ type: 'stats', stream });
    return await answer;
}
const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
async function main() {
    const streams = KINDS.flatMap((kind) => [
        `Custom-Warmup${kind}_CL`,
        ...Array.from({ length: RUNS }, (_, i) => `Custom-Bench${kind}R${i + 1}_CL`),
    ]);
    const sim = (0, child_process_1.fork)((0, path_1.join)(__dirname, 'azure', 'simulator-process.js'), [], {
        env: { ...process.env, BENCH_STREAMS: streams.join(',') },
    });
    const ready = await nextMessage(sim, isType('ready'));
    const certPath = (0, path_1.join)((0, fs_1.mkdtempSync)((0, path_1.join)((0, os_1.tmpdir)(), 'bench-push-')), 'simulator.pem');
    (0, fs_1.writeFileSync)(certPath, ready.cert);
    console.log(`Simulator: ${ready.baseUrl} (https, self-signed certificate), ${LATENCY_MS} ms added per ingestion request. ${fmt(RECORDS)} records, ${RUNS} measured runs each after a warm-up, median reported. ${(0, os_1.cpus)().length} CPUs (${(0, os_1.cpus)()[0]?.model ?? 'unknown'}), Node ${process.version}.`);
    const isMessage = (type) => (message) => typeof message === 'object' && message !== null && message.type === type;
    const failed = (message) => isMessage('report')(message) && message.error !== undefined;
    const awaitOrFail = async (child, accept) => {
        const message = await nextMessage(child, (m) => accept(m) || failed(m));
        if (failed(message))
            throw new Error(`${message.kind} failed: ${message.error ?? ''}`);
        return message;
    };
    const children = new Map();
    for (const kind of KINDS) {
        const child = (0, child_process_1.fork)((0, path_1.join)(__dirname, 'azure', 'contender.js'), [kind, ready.baseUrl, String(RECORDS)], {
            execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
            env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath },
        });
        children.set(kind, child);
        await awaitOrFail(child, isMessage('ready'));
    }
    const results = new Map(KINDS.map((kind) => [kind, []]));
    for (let run = 1; run <= RUNS; run++) {
        for (const kind of KINDS) {
            const child = children.get(kind);
            const answer = awaitOrFail(child, isMessage('result'));
            child.send({ type: 'run', run });
            results.get(kind).push((await answer).result);
        }
    }
    const reports = new Map();
    for (const kind of KINDS) {
        const child = children.get(kind);
        const answer = nextMessage(child, isMessage('report'));
        child.send({ type: 'finish' });
        reports.set(kind, await answer);
    }
    const rows = [];
    for (const kind of KINDS) {
        const report = reports.get(kind);
        if (report.error)
            throw new Error(`${kind} failed: ${report.error}`);
        const durations = report.runs.map((run) => run.durationMs);
        let requests;
        let bytesOnWire = 0;
        let maxBody;
        if (kind === 'floor') {
            bytesOnWire = report.runs[0].reportedBytes ?? 0;
        }
        else {
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
        });
        console.log(`${kind}: ${report.runs.map((r) => `${fmt(r.durationMs)} ms (CPU ${fmt(r.cpuMs ?? 0)} ms, RSS ${fmt(r.rssBeforeMiB ?? 0)} → ${fmt(r.rssPeakMiB ?? 0)} MiB)`).join('; ')}`);
    }
    sim.send({ type: 'stop' });
    const row = (kind) => rows.find((r) => r.kind === kind);
    const node = row('node');
    const sdk = row('sdk');
    const floor = row('floor');
    const rawBytes = rows[0]?.rawBytes ?? 0;
    console.log('');
    console.log(`Records: ${fmt(RECORDS)}, ${fmt(rawBytes / 1024 / 1024, 1)} MiB of JSON (${fmt(rawBytes / RECORDS)} bytes per record on average).`);
    console.log('');
    console.log('| contender | records/s | time (median) | requests | bytes on the wire | largest body | peak RSS during a push (before it) |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
        console.log(`| ${LABELS[r.kind]} | ${fmt(r.recordsPerSecond)} | ${fmt(r.medianMs)} ms | ${r.requests === undefined ? '—' : fmt(r.requests)} | ${fmt(r.bytesOnWire)} | ${r.maxBody === undefined ? '—' : fmt(r.maxBody)} | ${fmt(r.peakRssMiB)} MiB (${fmt(r.baselineRssMiB)} MiB) |`);
    }
    if (node && sdk && floor) {
        const checks = [
            ['throughput vs SDK', node.recordsPerSecond / sdk.recordsPerSecond, '≥ 1.20×', (v) => v >= 1.2],
            ['requests vs SDK', (node.requests ?? 0) / (sdk.requests ?? 1), '≤ 0.25×', (v) => v <= 0.25],
            ['throughput vs floor', node.recordsPerSecond / floor.recordsPerSecond, '≥ 0.70×', (v) => v >= 0.7],
        ];
        console.log('');
        console.log('| target (node) | measured | target | met |');
        console.log('|---|---:|---:|:---:|');
        for (const [name, value, target, ok] of checks) {
            console.log(`| ${name} | ${fmt(value, 2)}× | ${target} | ${ok(value) ? 'yes' : 'no'} |`);
        }
    }
    console.log('');
    console.log("Bytes on the wire: request bodies as received by the simulator (gzip), all attempts; for the floor, the gzip output. Peak RSS: the contender process's resident set sampled every 5 ms during the measured pushes; in brackets, before a push (the records themselves, and for the node n8n-core loaded).");
}
main().catch((error) => {
    console.error(error);
    process.exit(1);
});
