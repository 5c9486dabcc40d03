/**
 * The Azure simulator in its own process for the benchmark, so that decoding and parsing what
 * the contenders send does not eat into their CPU time. Controlled over IPC.
 */
import { AzureSimulator, simulatorCertificate } from '../../test/simulators/azure';
import { BENCH_APP, BENCH_DCR, type SimulatorReply, type SimulatorRequest } from './protocol';

function send(message: SimulatorReply): void {
	process.send?.(message);
}

async function main(): Promise<void> {
	const streams = (process.env.BENCH_STREAMS ?? '').split(',').filter(Boolean);
	const sim = await AzureSimulator.start({
		https: true,
		apps: [BENCH_APP],
		dcrs: [{ immutableId: BENCH_DCR, streams, allowedClientIds: [BENCH_APP.clientId] }],
		storeRecords: false,
		keyField: 'systemAuditId',
		verify: process.env.BENCH_SIM_VERIFY === 'parse' ? 'parse' : 'scan',
		latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 0),
	});
	const { cert } = await simulatorCertificate();
	process.on('message', (raw) => {
		const message = raw as SimulatorRequest;
		if (message.type === 'stats') {
			const entries = sim.ingestionLog.filter((entry) => entry.stream === message.stream);
			send({
				type: 'stats',
				stream: message.stream,
				requests: entries.length,
				accepted: entries.filter((entry) => entry.status === 204).length,
				bodyBytes: entries.reduce((sum, entry) => sum + entry.bodyBytes, 0),
				maxBodyBytes: entries.reduce((max, entry) => Math.max(max, entry.bodyBytes), 0),
				records: sim.recordCount(BENCH_DCR, message.stream),
				distinctKeys: sim.distinctKeys(BENCH_DCR, message.stream),
				statuses: [...new Set(entries.map((entry) => String(entry.status)))],
			});
		} else if (message.type === 'cpu') {
			const used = process.cpuUsage();
			send({ type: 'cpu', cpuMs: (used.user + used.system) / 1000 });
		} else if (message.type === 'reset') {
			sim.reset();
			send({ type: 'reset' });
		} else if (message.type === 'stop') {
			void sim.stop().then(() => process.exit(0));
		}
	});
	send({ type: 'ready', baseUrl: sim.baseUrl, cert });
}

void main();
