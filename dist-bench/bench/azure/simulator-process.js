"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const azure_1 = require("../../test/simulators/azure");
const protocol_1 = require("./protocol");
function send(message) {
    process.send?.(message);
}
async function main() {
    const streams = (process.env.BENCH_STREAMS ?? '').split(',').filter(Boolean);
    const sim = await azure_1.AzureSimulator.start({
        https: true,
        apps: [protocol_1.BENCH_APP],
        dcrs: [{ immutableId: protocol_1.BENCH_DCR, streams, allowedClientIds: [protocol_1.BENCH_APP.clientId] }],
        storeRecords: false,
        keyField: 'systemAuditId',
        verify: process.env.BENCH_SIM_VERIFY === 'parse' ? 'parse' : 'scan',
        latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 0),
    });
    const { cert } = await (0, azure_1.simulatorCertificate)();
    process.on('message', (raw) => {
        const message = raw;
        if (message.type === 'stats') {
            const entries = sim.ingestionLog.filter((entry) => entry.stream === message.stream);
            send({
                type: 'stats',
                stream: message.stream,
                requests: entries.length,
                accepted: entries.filter((entry) => entry.status === 204).length,
                bodyBytes: entries.reduce((sum, entry) => sum + entry.bodyBytes, 0),
                maxBodyBytes: entries.reduce((max, entry) => Math.max(max, entry.bodyBytes), 0),
                records: sim.recordCount(protocol_1.BENCH_DCR, message.stream),
                distinctKeys: sim.distinctKeys(protocol_1.BENCH_DCR, message.stream),
                statuses: [...new Set(entries.map((entry) => String(entry.status)))],
            });
        }
        else if (message.type === 'reset') {
            sim.reset();
            send({ type: 'reset' });
        }
        else if (message.type === 'stop') {
            void sim.stop().then(() => process.exit(0));
        }
    });
    send({ type: 'ready', baseUrl: sim.baseUrl, cert });
}
void main();
