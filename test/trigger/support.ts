/** Shared pieces of the trigger tests: a controllable clock, the simulator, a poll runner. */
import type { Config } from '@jest/types';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PollRunner } from '../harness';
import { recordKey } from '../../nodes/ThreatLocker/helpers/dedupe';
import { THREATLOCKER_RETRY_POLICY } from '../../nodes/ThreatLocker/transport';
import { ThreatLockerSimulator, type SimulatorOptions } from '../simulators/threatlocker';

/** Everything but `Date`: timers stay real (HTTP, retries), only the wall clock is ours. */
const REAL_TIMERS: Config.FakeableAPI[] = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
];

/** One clock for n8n (the trigger's Date.now) and the simulator (its `now` option). */
export class Clock {
	private current: number;

	constructor(start: string | number) {
		this.current = typeof start === 'number' ? start : Date.parse(start);
		jest.useFakeTimers({ doNotFake: REAL_TIMERS, now: this.current });
	}

	get now(): number {
		return this.current;
	}

	set(ms: number): void {
		this.current = ms;
		jest.setSystemTime(ms);
	}

	advance(ms: number): number {
		this.set(this.current + ms);
		return this.current;
	}

	date = (): Date => new Date(this.current);

	static restore(): void {
		jest.useRealTimers();
	}
}

/** Retries without waiting and exhausted quickly, so that failing polls are fast. */
export function fastRetries(): () => void {
	const saved = { ...THREATLOCKER_RETRY_POLICY };
	Object.assign(THREATLOCKER_RETRY_POLICY, { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 });
	return () => Object.assign(THREATLOCKER_RETRY_POLICY, saved);
}

export async function startSimulator(clock: Clock, options: SimulatorOptions = {}): Promise<ThreatLockerSimulator> {
	return await ThreatLockerSimulator.start({ now: clock.date, ...options });
}

export function credentialsFor(sim: ThreatLockerSimulator, apiKey = sim.apiKey) {
	return { threatLockerApi: { apiKey, instance: 'g', baseUrl: sim.baseUrl } };
}

export function triggerRunner(
	sim: ThreatLockerSimulator,
	parameters: IDataObject,
	staticData?: IDataObject,
	apiKey?: string,
): PollRunner {
	return new PollRunner({
		node: { name: 'ThreatLocker Trigger', type: 'threatLockerTrigger', parameters },
		credentials: credentialsFor(sim, apiKey),
		staticData,
	});
}

/**
 * The static data as n8n stores it: JSON in the database. (The harness's savedStaticData() uses
 * structuredClone, which cannot clone n8n's observable proxies.)
 */
export function persisted(runner: PollRunner): IDataObject {
	return JSON.parse(JSON.stringify(runner.workflow.staticData)) as IDataObject;
}

export function itemsOf(result: INodeExecutionData[][] | null): Array<Record<string, unknown>> {
	if (result === null) return [];
	expect(result).toHaveLength(1);
	return result[0].map((item) => item.json as Record<string, unknown>);
}

export function keyOf(record: object): string {
	return recordKey(record as Record<string, unknown>);
}

export function timeOf(record: { dateTime?: unknown }): number {
	return Date.parse(String(record.dateTime));
}

export function isoSeconds(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * What a feed should emit and what it did: each record once, each poll oldest first, and (for
 * records that did not arrive late) oldest first across polls too.
 */
export class Ledger {
	readonly expected = new Map<string, { time: number; late: boolean }>();

	readonly counts = new Map<string, number>();

	readonly sequence: Array<{ key: string; time: number }> = [];

	polls = 0;

	emittingPolls = 0;

	expect(records: object[], late = false): void {
		for (const record of records) {
			this.expected.set(keyOf(record), { time: timeOf(record), late });
		}
	}

	/** Takes one poll's items; returns how many there were. */
	take(items: Array<Record<string, unknown>>): number {
		this.polls++;
		if (items.length > 0) this.emittingPolls++;
		for (let i = 1; i < items.length; i++) {
			expect(timeOf(items[i])).toBeGreaterThanOrEqual(timeOf(items[i - 1]));
		}
		for (const item of items) {
			const key = keyOf(item);
			this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
			this.sequence.push({ key, time: timeOf(item) });
		}
		return items.length;
	}

	verify(): void {
		const repeated = [...this.counts].filter(([, count]) => count > 1).map(([key]) => key);
		const unexpected = [...this.counts.keys()].filter((key) => !this.expected.has(key));
		const missing = [...this.expected.keys()].filter((key) => !this.counts.has(key));
		expect({ repeated, unexpected, missing }).toEqual({ repeated: [], unexpected: [], missing: [] });
		expect(this.sequence).toHaveLength(this.expected.size);
		const inOrder = this.sequence.filter(({ key }) => !this.expected.get(key)?.late);
		for (let i = 1; i < inOrder.length; i++) {
			expect(inOrder[i].time).toBeGreaterThanOrEqual(inOrder[i - 1].time);
		}
	}
}

/**
 * Makes the simulator answer every request from its `nth` on (1-based, as `requestTotal` counts)
 * with `fault`, until disarmed — e.g. from the middle of a poll's paging to its end. Nothing is
 * left armed afterwards, whatever the client's retry policy. The returned function disarms it and
 * tells whether any request was failed.
 */
export function failRequestsFrom(
	sim: ThreatLockerSimulator,
	nth: number,
	fault: Exclude<Parameters<ThreatLockerSimulator['injectFault']>[0], { kind: 'insert' }>,
): () => boolean {
	const requests = sim.requests;
	let fired = false;
	Object.defineProperty(requests, 'push', {
		configurable: true,
		writable: true,
		value: (...entries: Parameters<typeof requests.push>) => {
			const length = Array.prototype.push.apply(requests, entries);
			// The simulator logs a request before it looks for faults: this request gets the fault.
			if (sim.requestTotal >= nth) {
				fired = true;
				sim.injectFault({ ...fault, times: 1 });
			}
			return length;
		},
	});
	return () => {
		Reflect.deleteProperty(requests, 'push');
		return fired;
	};
}
