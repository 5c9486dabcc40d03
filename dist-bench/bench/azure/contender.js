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
const perf_hooks_1 = require("perf_hooks");
const zlib_1 = require("zlib");
const protocol_1 = require("./protocol");
const records_1 = require("./records");
const WARM_UP_RECORDS = 20_000;
const FLOOR_CHUNK = 5_000;
const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
class SimulatorCredential {
    authority;
    constructor(authority) {
        this.authority = authority;
    }
    async getToken(scopes) {
        const scope = Array.isArray(scopes) ? scopes[0] : scopes;
        const response = await fetch(`${this.authority}/${protocol_1.BENCH_APP.tenantId}/oauth2/v2.0/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                client_id: protocol_1.BENCH_APP.clientId,
                client_secret: protocol_1.BENCH_APP.secret,
                grant_type: 'client_credentials',
                scope,
            }).toString(),
        });
        const body = (await response.json());
        return { token: body.access_token, expiresOnTimestamp: Date.now() + body.expires_in * 1000 };
    }
}
async function nodeRunner(baseUrl, fromField) {
    const { runWorkflow } = await Promise.resolve().then(() => __importStar(require('../../test/harness')));
    const { Container } = await Promise.resolve().then(() => __importStar(require('@n8n/di')));
    const { SSHClientsManager } = await Promise.resolve().then(() => __importStar(require('n8n-core/dist/execution-engine/ssh-clients-manager')));
    const run = async (records, stream) => {
        const started = perf_hooks_1.performance.now();
        const result = await runWorkflow({
            nodes: [
                {
                    name: 'Azure Log Ingestion',
                    type: 'azureLogIngestion',
                    parameters: {
                        resource: 'log',
                        operation: 'upload',
                        endpoint: baseUrl,
                        dcrImmutableId: protocol_1.BENCH_DCR,
                        streamName: stream,
                        options: {
                            allowUnauthorizedCerts: true,
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
                    tenantId: protocol_1.BENCH_APP.tenantId,
                    clientId: protocol_1.BENCH_APP.clientId,
                    clientSecret: protocol_1.BENCH_APP.secret,
                    authorityHost: baseUrl,
                    audience: 'https://monitor.azure.com',
                    accessToken: '',
                },
            },
            input: records,
        });
        const durationMs = perf_hooks_1.performance.now() - started;
        const node = result.node('Azure Log Ingestion');
        if (node.error)
            throw new Error(`node failed: ${node.error.message} ${node.error.description ?? ''}`);
        const summary = node.outputs[0][0].json;
        if (summary.recordsAccepted !== records.length) {
            throw new Error(`node accepted ${String(summary.recordsAccepted)} records`);
        }
        return { stream, durationMs, reportedRequests: Number(summary.requests), reportedBytes: Number(summary.bytesOnWire) };
    };
    return { run, close: () => Container.get(SSHClientsManager).onShutdown() };
}
async function sdkRunner(baseUrl) {
    const { LogsIngestionClient } = await Promise.resolve().then(() => __importStar(require('@azure/monitor-ingestion')));
    const client = new LogsIngestionClient(baseUrl, new SimulatorCredential(baseUrl));
    const run = async (records, stream) => {
        const started = perf_hooks_1.performance.now();
        await client.upload(protocol_1.BENCH_DCR, stream, records);
        return { stream, durationMs: perf_hooks_1.performance.now() - started };
    };
    return { run, close: () => undefined };
}
function floorRunner() {
    const run = async (records, stream) => {
        const started = perf_hooks_1.performance.now();
        let bytes = 0;
        let chunks = 0;
        for (let i = 0; i < records.length; i += FLOOR_CHUNK) {
            bytes += (0, zlib_1.gzipSync)(Buffer.from(JSON.stringify(records.slice(i, i + FLOOR_CHUNK)), 'utf8')).length;
            chunks++;
        }
        return { stream, durationMs: perf_hooks_1.performance.now() - started, reportedRequests: chunks, reportedBytes: bytes };
    };
    return { run, close: () => undefined };
}
function rssSampler() {
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
function send(message) {
    return new Promise((resolve) => process.send?.(message, () => resolve()));
}
async function main() {
    const [kindArg, baseUrl, countArg] = process.argv.slice(2);
    const kind = kindArg;
    const count = Number(countArg);
    const withTime = kind !== 'nodeFromField';
    const records = (0, records_1.auditRecords)(count, 42, withTime);
    const warmUp = (0, records_1.auditRecords)(WARM_UP_RECORDS, 7, withTime);
    let rawBytes = 1;
    for (let i = 0; i < records.length; i += 1000) {
        rawBytes += Buffer.byteLength(JSON.stringify(records.slice(i, i + 1000))) - 1;
    }
    const runner = kind === 'node' || kind === 'nodeFromField'
        ? await nodeRunner(baseUrl, kind === 'nodeFromField')
        : kind === 'sdk'
            ? await sdkRunner(baseUrl)
            : floorRunner();
    await runner.run(warmUp, `Custom-Warmup${kind}_CL`);
    if (typeof global.gc === 'function') {
        for (let i = 0; i < 3; i++) {
            global.gc();
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
    }
    const results = [];
    process.on('message', (raw) => {
        const command = raw;
        void (async () => {
            if (command.type === 'run') {
                if (typeof global.gc === 'function')
                    global.gc();
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
            }
            else {
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
        })().catch(async (error) => {
            await send({
                type: 'report',
                kind,
                records: 0,
                rawBytes: 0,
                runs: [],
                baselineRssMiB: 0,
                peakRssMiB: 0,
                error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            });
            process.exit(1);
        });
    });
    await send({ type: 'ready' });
}
main().catch((error) => {
    process.send?.({
        type: 'report',
        kind: process.argv[2],
        records: 0,
        rawBytes: 0,
        runs: [],
        baselineRssMiB: 0,
        peakRssMiB: 0,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }, () => process.exit(1));
});
