/**
 * The upload loop: packs records into bodies, compresses them, sends them with bounded
 * concurrency, and reports the fate of every record to a sink. I/O (sending) is injected, so
 * the loop is tested without HTTP.
 *
 * Compression runs ahead of sending: while up to `concurrency` requests wait for Azure, up to
 * `compressionConcurrency` further bodies are built and compressed, so the CPU is not idle for a
 * network round trip. Raw bodies (several MB each) are built in pooled scratch buffers, one per
 * body being built (without gzip, held until the body is sent); each worker keeps its compressed
 * body (at most 1 MB) in its own output buffer until the request is answered.
 */
import type { IDataObject } from 'n8n-workflow';

import { gzip as gzipChunks, type OutputBuffer } from './gzip';
import {
	BodyPacker,
	encodeBody,
	rawBodySize,
	recordCount,
	type BodyPart,
	type PackedBody,
	type Scratch,
} from './packer';

/** What the transport reports for one body after its retries. */
export type SendResult =
	| {
			ok: true;
			status: number;
			requestId?: string;
			clientRequestId: string;
			attempts: number;
			bytesOnWire: number;
	  }
	| SendFailure;

export interface SendFailure {
	ok: false;
	/** HTTP status of the last answer; undefined when no answer came (network, token). */
	status?: number;
	code?: string;
	/** Azure's (or the network's) message, secrets removed. */
	message: string;
	/** What the user can do about it. */
	hint?: string;
	requestId?: string;
	clientRequestId?: string;
	attempts: number;
	bytesOnWire: number;
	/** The same answer is certain for every other body (no role, unknown DCR, bad token…). */
	stopsRun?: boolean;
}

export interface BodyInfo {
	records: number;
	rawBytes: number;
	gzip: boolean;
}

export type Sender = (body: Buffer, info: BodyInfo) => Promise<SendResult>;

export interface UploadOptions {
	maxBodyBytes: number;
	/** TimeGenerated values to set, by record index (see BodyPacker). */
	times?: ReadonlyArray<string | undefined>;
	gzip: boolean;
	concurrency: number;
	send: Sender;
	/** Compresses into `into` when given (see gzip); the default is CompressionStream's gzip. */
	compress?: (chunks: readonly Uint8Array[], into?: OutputBuffer) => Promise<Buffer>;
	/** Checked between bodies: once true, unsent records fail as "not sent". */
	isCancelled?: () => boolean;
	/**
	 * Bodies built and compressed at the same time (default: as many as requests in flight). Each
	 * compression runs on a thread of libuv's pool but needs the main thread after every 16 KiB of
	 * output, so the pool only stays busy while the main thread serialises if several are queued.
	 */
	compressionConcurrency?: number;
}

/** A counting semaphore: at most `size` holders at a time, served in order. */
class Slots {
	private free: number;

	private readonly waiting: Array<() => void> = [];

	constructor(size: number) {
		this.free = Math.max(1, size);
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.free > 0) this.free--;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		try {
			return await task();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.free++;
		}
	}
}

/** Receives the fate of every record, by index into the record list. */
export interface UploadSink {
	accepted(start: number, count: number): void;
	failed(start: number, count: number, failure: SendFailure): void;
	/** One record that cannot fit in a request on its own. */
	oversized(recordIndex: number, bodyBytes: number, limit: number, gzip: boolean): void;
}

export interface UploadStats {
	/** Requests answered with success (204). */
	requests: number;
	failedRequests: number;
	/** HTTP attempts in all, retries included. */
	attempts: number;
	bytesBeforeGzip: number;
	bytesAfterGzip: number;
	bytesOnWire: number;
	requestIds: string[];
	clientRequestIds: string[];
	/** Bodies compressed again because they came out over the limit. */
	recompressions: number;
}

/** Raw bytes compressed once up front to learn the data's compression ratio. */
const PROBE_BYTES = 256 * 1024;

export async function uploadRecords(
	records: readonly IDataObject[],
	options: UploadOptions,
	sink: UploadSink,
): Promise<UploadStats> {
	const gzip = options.compress ?? gzipChunks;
	const requestSlots = Math.max(1, Math.floor(options.concurrency));
	const compressionSlots = Math.max(1, Math.floor(options.compressionConcurrency ?? requestSlots));
	const building = new Slots(compressionSlots);
	const sending = new Slots(requestSlots);
	// Raw-body buffers, shared by the workers: one per body being built or compressed.
	const scratchPool: Scratch[] = [];
	const packer = new BodyPacker(
		records,
		{ maxBodyBytes: options.maxBodyBytes, gzip: options.gzip },
		options.times,
	);
	const stats: UploadStats = {
		requests: 0,
		failedRequests: 0,
		attempts: 0,
		bytesBeforeGzip: 0,
		bytesAfterGzip: 0,
		bytesOnWire: 0,
		requestIds: [],
		clientRequestIds: [],
		recompressions: 0,
	};
	let stopped: SendFailure | undefined;

	if (options.gzip && !packer.isEmpty) {
		// Learn the ratio on a sample, unless the sample is everything (then it all fits anyway).
		const probe = packer.peekSegments(PROBE_BYTES);
		if (packer.hasMoreThan(probe.length)) {
			const compressed = await gzip([encodeBody(probe)]);
			packer.observe(rawBodySize(probe), compressed.length);
		}
	}

	const failParts = (parts: ReadonlyArray<{ start: number; count: number }>, failure: SendFailure) => {
		for (const part of parts) sink.failed(part.start, part.count, failure);
	};

	type Prepared = { parts: BodyPart[]; body: Buffer; rawBytes: number };

	/**
	 * Compresses (and shrinks, if need be) one body; returns what to send, or undefined. The raw
	 * body lives in a pooled scratch buffer, the compressed one in the worker's output buffer,
	 * which it reuses once the body has been sent.
	 */
	const prepare = async (packed: PackedBody, output: OutputBuffer): Promise<Prepared | undefined> => {
		if (!options.gzip) {
			const { parts, bytes } = packed;
			if (bytes.length > options.maxBodyBytes) {
				// nextBody only returns an over-limit body for a single record.
				sink.oversized(parts[0].start, bytes.length, options.maxBodyBytes, false);
				return undefined;
			}
			return { parts, body: bytes, rawBytes: bytes.length };
		}
		for (;;) {
			const { parts, bytes } = packed;
			const body = await gzip([bytes], output);
			packer.observe(bytes.length, body.length);
			if (body.length <= options.maxBodyBytes) return { parts, body, rawBytes: bytes.length };
			stats.recompressions++;
			if (parts.length > 1) {
				packed = packer.truncate(packed, packer.partsToKeep(packed, body.length));
			} else if (parts[0].count > 1) {
				packer.giveBackOneByOne(parts[0]);
				return undefined;
			} else {
				sink.oversized(parts[0].start, body.length, options.maxBodyBytes, true);
				return undefined;
			}
		}
	};

	/**
	 * Builds and compresses the next body (under a building slot); 'done' when no records are
	 * left. Without gzip the body is the raw buffer itself, which the worker then keeps until
	 * the body has been sent; with gzip the raw buffer goes back to the pool at once.
	 */
	const buildNext = async (
		output: OutputBuffer,
	): Promise<{ prepared?: Prepared; heldScratch?: Scratch } | 'done'> =>
		await building.run(async () => {
			const scratch = scratchPool.pop() ?? { buffer: Buffer.alloc(0) };
			let held = false;
			try {
				const packed = packer.nextBody(scratch);
				if (!packed) return 'done';
				const prepared = await prepare(packed, output);
				held = prepared !== undefined && !options.gzip;
				return { prepared, heldScratch: held ? scratch : undefined };
			} finally {
				if (!held) scratchPool.push(scratch);
			}
		});

	const stoppedFailure = (): SendFailure | undefined => stopped ?? cancelledFailure(options);

	const worker = async () => {
		// Holds the worker's compressed body until it has been sent.
		const output: OutputBuffer = { buffer: Buffer.alloc(0) };
		for (;;) {
			const notSent = stoppedFailure();
			if (notSent) {
				// Fail what is left without serialising it.
				failParts(packer.takeRest(), notSent);
				return;
			}
			const next = await buildNext(output);
			if (next === 'done') return;
			const { prepared, heldScratch } = next;
			if (!prepared) continue;
			// A run stopped while this body waited for a request slot: the body is not sent. The
			// stop is recorded before the slot is released, so no waiting body slips through.
			let sentNow = false;
			const result = await sending.run(async () => {
				const notNow = stoppedFailure();
				if (notNow) return notNow;
				sentNow = true;
				const sent = await options.send(prepared.body, {
					records: recordCount(prepared.parts),
					rawBytes: prepared.rawBytes,
					gzip: options.gzip,
				});
				if (!sent.ok && sent.stopsRun && !stopped) {
					stopped = {
						...sent,
						message: `Not sent: an earlier request of this run failed with ${describeFailure(sent)}`,
						attempts: 0,
						bytesOnWire: 0,
						clientRequestId: undefined,
						requestId: undefined,
					};
				}
				return sent;
			});
			if (heldScratch) scratchPool.push(heldScratch);
			stats.attempts += result.attempts;
			stats.bytesOnWire += result.bytesOnWire;
			if (result.ok) {
				stats.requests++;
				stats.bytesBeforeGzip += prepared.rawBytes;
				stats.bytesAfterGzip += prepared.body.length;
				if (result.requestId) stats.requestIds.push(result.requestId);
				stats.clientRequestIds.push(result.clientRequestId);
				for (const part of prepared.parts) sink.accepted(part.start, part.count);
			} else {
				if (sentNow) stats.failedRequests++;
				failParts(prepared.parts, result);
			}
		}
	};

	// Enough workers for every request slot and every building slot to be busy at once.
	const workers = requestSlots + compressionSlots;
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	return stats;
}

/** Why records were not sent when the execution was cancelled (pipeline and transport alike). */
export const CANCELLED_MESSAGE = 'Not sent: the execution was cancelled';

function cancelledFailure(options: UploadOptions): SendFailure | undefined {
	if (!options.isCancelled?.()) return undefined;
	return {
		ok: false,
		message: CANCELLED_MESSAGE,
		attempts: 0,
		bytesOnWire: 0,
	};
}

export function describeFailure(failure: SendFailure): string {
	const parts = [failure.status !== undefined ? `HTTP ${failure.status}` : 'no HTTP answer'];
	if (failure.code) parts.push(failure.code);
	return `${parts.join(' ')}: ${failure.message}`;
}
