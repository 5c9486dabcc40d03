/**
 * Packing records into request bodies by their size *after* gzip.
 *
 * Records are serialised a few dozen at a time ("segments": one JSON.stringify call per ~32 KiB,
 * which keeps V8's fast path) and a body is the concatenation of whole segments. How many raw
 * bytes fit under the limit is predicted from the compression ratio observed so far; the body is
 * then compressed once and, in the rare case it comes out over the limit, its tail segments are
 * handed back and the rest is compressed again. Nothing is compressed twice in the common case.
 */
import type { IDataObject } from 'n8n-workflow';

/** A run of consecutive records, serialised as one JSON array (brackets included). */
export interface Segment {
	/** Index of the first record in the run's record list. */
	start: number;
	count: number;
	bytes: Buffer;
}

export interface PackerOptions {
	/** Hard limit on a request body as sent (after gzip when gzip is on). */
	maxBodyBytes: number;
	gzip: boolean;
	/** Raw size aimed at for one segment. */
	segmentBytes?: number;
	/** Cap on one body before compression, to bound memory with very compressible data. */
	maxRawBodyBytes?: number;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** Raw body size of these segments joined into one JSON array. */
export function rawBodySize(segments: readonly Segment[]): number {
	let total = 1;
	for (const segment of segments) total += segment.bytes.length - 1;
	return total;
}

/** The body's bytes as chunks (no copy): `[`, each segment without its brackets, commas, `]`. */
export function bodyChunks(segments: readonly Segment[]): Buffer[] {
	if (segments.length === 1) return [segments[0].bytes];
	const chunks: Buffer[] = [OPEN];
	segments.forEach((segment, index) => {
		if (index > 0) chunks.push(COMMA);
		chunks.push(segment.bytes.subarray(1, segment.bytes.length - 1));
	});
	chunks.push(CLOSE);
	return chunks;
}

export function recordCount(segments: readonly Segment[]): number {
	let total = 0;
	for (const segment of segments) total += segment.count;
	return total;
}

export class BodyPacker {
	/** Raw bytes per compressed byte, learnt from every compression; undefined until the first. */
	private ratioEstimate: number | undefined;

	/** Smoothed relative error of the size predictions: the safety margin follows it. */
	private predictionError = 0.02;

	private nextRecord = 0;

	private readonly pending: Segment[] = [];

	private serialisedRecords = 0;

	private serialisedBytes = 0;

	private readonly segmentBytes: number;

	private readonly maxRawBodyBytes: number;

	constructor(
		private readonly records: readonly IDataObject[],
		private readonly options: PackerOptions,
	) {
		this.segmentBytes = options.segmentBytes ?? 32 * 1024;
		this.maxRawBodyBytes = options.maxRawBodyBytes ?? 32 * 1024 * 1024;
	}

	get ratio(): number | undefined {
		return this.ratioEstimate;
	}

	get isEmpty(): boolean {
		return this.pending.length === 0 && this.nextRecord >= this.records.length;
	}

	/** Compressed size aimed at: under the limit by a margin that follows the prediction error. */
	get targetCompressedBytes(): number {
		const margin = Math.min(0.2, Math.max(0.01, 2.5 * this.predictionError + 0.005));
		return Math.floor(this.options.maxBodyBytes * (1 - margin));
	}

	/** Records one compression (raw → compressed bytes) to refine the ratio and the margin. */
	observe(rawBytes: number, compressedBytes: number): void {
		if (rawBytes <= 0 || compressedBytes <= 0) return;
		const observed = rawBytes / compressedBytes;
		if (this.ratioEstimate !== undefined) {
			const predicted = rawBytes / this.ratioEstimate;
			const error = Math.abs(compressedBytes - predicted) / compressedBytes;
			this.predictionError = 0.7 * this.predictionError + 0.3 * error;
			this.ratioEstimate = 0.5 * this.ratioEstimate + 0.5 * observed;
		} else {
			this.ratioEstimate = observed;
		}
	}

	/** Segments covering at least `rawBytes` of upcoming records (left queued), for a ratio probe. */
	peekSegments(rawBytes: number): Segment[] {
		const result: Segment[] = [];
		let size = 1;
		let index = 0;
		while (size < rawBytes) {
			if (index >= this.pending.length && !this.serialiseNext()) break;
			const segment = this.pending[index++];
			result.push(segment);
			size += segment.bytes.length - 1;
		}
		return result;
	}

	/**
	 * The segments of the next body, or undefined when every record has been handed out. Without
	 * gzip the body is exactly within the limit; with gzip it is predicted to be.
	 */
	nextBody(): Segment[] | undefined {
		const limit = this.rawLimit();
		const body: Segment[] = [];
		let size = 1;
		for (;;) {
			if (this.pending.length === 0 && !this.serialiseNext()) break;
			const segment = this.pending[0];
			const grown = size + segment.bytes.length - 1;
			if (grown > limit) {
				if (body.length > 0) break;
				if (segment.count > 1) {
					// One segment alone is over the limit: go record by record.
					this.pending.splice(0, 1, ...this.split(segment));
					continue;
				}
				// A single record over the limit: it goes alone (the caller decides its fate).
			}
			body.push(segment);
			this.pending.shift();
			size = grown;
			if (grown > limit) break;
		}
		return body.length > 0 ? body : undefined;
	}

	/** Puts segments back at the front of the queue (they are sent next, in this order). */
	giveBack(segments: readonly Segment[]): void {
		this.pending.unshift(...segments);
	}

	/** One segment per record. */
	split(segment: Segment): Segment[] {
		const parts: Segment[] = [];
		for (let i = 0; i < segment.count; i++) {
			const index = segment.start + i;
			parts.push({
				start: index,
				count: 1,
				bytes: Buffer.from(`[${JSON.stringify(this.records[index])}]`, 'utf8'),
			});
		}
		return parts;
	}

	/**
	 * After a body came out at `compressedBytes` (over the limit): how many of its leading segments
	 * to keep so that the rest, compressed again, is expected to fit. At least one, fewer than all.
	 */
	segmentsToKeep(segments: readonly Segment[], compressedBytes: number): number {
		const raw = rawBodySize(segments);
		const allowedRaw = (raw * this.targetCompressedBytes) / compressedBytes;
		let size = 1;
		let keep = 0;
		while (keep < segments.length - 1) {
			const grown = size + segments[keep].bytes.length - 1;
			if (grown > allowedRaw && keep > 0) break;
			size = grown;
			keep++;
		}
		return Math.max(1, keep);
	}

	private rawLimit(): number {
		const max = this.options.maxBodyBytes;
		if (!this.options.gzip) return max;
		// Before any compression was seen, stay where even incompressible data fits.
		if (this.ratioEstimate === undefined) return max - (max >> 11) - 64;
		return Math.max(
			1,
			Math.min(this.maxRawBodyBytes, Math.floor(this.ratioEstimate * this.targetCompressedBytes)),
		);
	}

	/** Serialises the next run of records into a pending segment; false when none are left. */
	private serialiseNext(): boolean {
		if (this.nextRecord >= this.records.length) return false;
		const average =
			this.serialisedRecords > 0 ? this.serialisedBytes / this.serialisedRecords : 0;
		const count =
			average > 0 ? Math.min(1024, Math.max(1, Math.round(this.segmentBytes / average))) : 16;
		const start = this.nextRecord;
		const end = Math.min(this.records.length, start + count);
		const bytes = Buffer.from(JSON.stringify(this.records.slice(start, end)), 'utf8');
		this.nextRecord = end;
		this.serialisedRecords += end - start;
		this.serialisedBytes += bytes.length;
		this.pending.push({ start, count: end - start, bytes });
		return true;
	}
}
