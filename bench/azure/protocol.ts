/** Messages between the benchmark's processes, and the simulated tenant they share. */
export const BENCH_TENANT = '0b1e0b1e-0000-4000-8000-00000000b1e0';
export const BENCH_APP = {
	tenantId: BENCH_TENANT,
	clientId: 'be0c0000-0000-4000-8000-0000000000aa',
	secret: 'bench-client-secret-value-not-a-real-one',
};
export const BENCH_DCR = 'dcr-0123456789abcdef0123456789abcdef';

export type SimulatorRequest = { type: 'stats'; stream: string } | { type: 'cpu' } | { type: 'reset' } | { type: 'stop' };

export type SimulatorReply =
	| { type: 'ready'; baseUrl: string; cert: string }
	| {
			type: 'stats';
			stream: string;
			requests: number;
			accepted: number;
			bodyBytes: number;
			maxBodyBytes: number;
			records: number;
			distinctKeys: number;
			statuses: string[];
	  }
	/** The simulator process's CPU time so far (all threads), in ms. */
	| { type: 'cpu'; cpuMs: number }
	| { type: 'reset' };

export type ContenderKind = 'node' | 'nodeFromField' | 'sdk' | 'floor';

export interface RunResult {
	stream: string;
	durationMs: number;
	/** CPU time of the contender process during the run (all threads). */
	cpuMs?: number;
	/** CPU time of the simulator process during the run (decoding, TLS, checking the bodies). */
	simulatorCpuMs?: number;
	/** Resident set size before the run and its peak during the run (sampled every 5 ms). */
	rssBeforeMiB?: number;
	rssPeakMiB?: number;
	/** What the contender itself reports (node: summary item; floor: gzip output). */
	reportedRequests?: number;
	reportedBytes?: number;
}

/** Orchestrator → contender. */
export type ContenderCommand = { type: 'run'; run: number } | { type: 'finish' };

/** Contender → orchestrator. */
export type ContenderMessage =
	| { type: 'ready' }
	| { type: 'result'; result: RunResult }
	| ({ type: 'report' } & ContenderReport);

export interface ContenderReport {
	kind: ContenderKind;
	records: number;
	rawBytes: number;
	runs: RunResult[];
	baselineRssMiB: number;
	peakRssMiB: number;
	error?: string;
}
