/**
 * Packing records into request bodies by their size *after* gzip.
 *
 * Records are serialised a few dozen at a time ("segments": one JSON.stringify call per ~32 KiB,
 * which keeps V8's fast path) and each segment is encoded straight into the body buffer, a
 * scratch buffer reused from one body to the next. Strings therefore die young, and no buffer is
 * allocated per segment (churning external memory would make V8 run full garbage collections
 * over every input item). How many raw bytes fit under the limit is predicted from the
 * compression ratio observed so far; the body is then compressed once and, in the rare case it
 * comes out over the limit, it is cut after fewer segments (the rest goes back in the queue) and
 * compressed again. Nothing is compressed twice in the common case.
 */
import type { IDataObject } from 'n8n-workflow';

import { withTimeGenerated } from './records';

/** A run of consecutive records; `json` (one JSON array, brackets included) once serialised. */
export interface Segment {
	/** Index of the first record in the run's record list. */
	start: number;
	count: number;
	json?: string;
	/** UTF-8 size of `json`. */
	size: number;
}

/** A segment written into a body: `end` is the body's length once it ends after this segment. */
export interface BodyPart {
	start: number;
	count: number;
	end: number;
}

/** A body in its worker's buffer: one JSON array of whole segments. */
export interface PackedBody {
	parts: BodyPart[];
	bytes: Buffer;
}

/** A buffer reused for raw bodies, one body at a time (grown when a body needs more room). */
export interface Scratch {
	buffer: Buffer;
}

export interface PackerOptions {
	/** Hard limit on a request body as sent (after gzip when gzip is on). */
	maxBodyBytes: number;
	gzip: boolean;
	/** Raw size aimed at for one segment. */
	segmentBytes?: number;
}

/** Cap on one body before compression, to bound memory with very compressible data. */
const MAX_RAW_BODY_BYTES = 32 * 1024 * 1024;

const COMMA = 0x2c;
const CLOSE = 0x5d;

/** Raw body size of these serialised segments joined into one JSON array. */
export function rawBodySize(segments: readonly Segment[]): number {
	let total = 1;
	for (const segment of segments) total += segment.size - 1;
	return total;
}

/** Writes `json` (a JSON array) at the end of the body of length `length`; returns the new length. */
function append(scratch: Scratch, length: number, json: string, size: number): number {
	// The first array is written whole; a later one over the closing bracket before it, and its
	// own opening bracket becomes the comma.
	const at = length === 0 ? 0 : length - 1;
	const grown = at + size;
	if (scratch.buffer.length < grown) {
		const bigger = Buffer.allocUnsafe(Math.max(grown, 2 * scratch.buffer.length));
		scratch.buffer.copy(bigger, 0, 0, length);
		scratch.buffer = bigger;
	}
	scratch.buffer.write(json, at, 'utf8');
	if (length > 0) scratch.buffer[at] = COMMA;
	return grown;
}

/** Serialised segments joined into one JSON array, in a new buffer (ratio probe, tests). */
export function encodeBody(segments: readonly Segment[]): Buffer {
	const scratch: Scratch = { buffer: Buffer.allocUnsafe(rawBodySize(segments)) };
	let length = 0;
	for (const segment of segments) {
		if (segment.json === undefined) throw new RangeError('segment not serialised');
		length = append(scratch, length, segment.json, segment.size);
	}
	return scratch.buffer.subarray(0, length);
}

/** One not-yet-serialised segment per record of a run. */
function singles(run: { start: number; count: number }): Segment[] {
	return Array.from({ length: run.count }, (_, i) => ({ start: run.start + i, count: 1, size: 0 }));
}

export function recordCount(parts: ReadonlyArray<{ count: number }>): number {
	let total = 0;
	for (const part of parts) total += part.count;
	return total;
}

export class BodyPacker {
	/** Raw bytes per compressed byte, learnt from every compression; undefined until the first. */
	private ratioEstimate: number | undefined;

	/** Smoothed relative error of the size predictions: the safety margin follows it. */
	private predictionError = 0.02;

	private nextRecord = 0;

	/** Segments handed back or serialised ahead, sent before any further record. */
	private readonly pending: Segment[] = [];

	private serialisedRecords = 0;

	private serialisedBytes = 0;

	private readonly segmentBytes: number;

	/**
	 * @param times TimeGenerated values to set, by record index (undefined: send the record as it
	 *   is). Applied on shallow copies made while serialising, which die young.
	 */
	constructor(
		private readonly records: readonly IDataObject[],
		private readonly options: PackerOptions,
		private readonly times?: ReadonlyArray<string | undefined>,
	) {
		this.segmentBytes = options.segmentBytes ?? 32 * 1024;
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

	/** Serialised segments covering at least `rawBytes` of upcoming records (left queued). */
	peekSegments(rawBytes: number): Segment[] {
		const result: Segment[] = [];
		let size = 1;
		let index = 0;
		while (size < rawBytes) {
			if (index >= this.pending.length && !this.serialiseNext()) break;
			const segment = this.serialised(this.pending[index++]);
			result.push(segment);
			size += segment.size - 1;
		}
		return result;
	}

	/** True when records remain beyond the first `segments` queued segments. */
	hasMoreThan(segments: number): boolean {
		return this.pending.length > segments || this.nextRecord < this.records.length;
	}

	/**
	 * The next body, written into `scratch`, or undefined when every record has been handed out.
	 * Without gzip it is exactly within the limit; with gzip it is predicted to be. A single record
	 * over the limit comes alone (the caller decides its fate).
	 */
	nextBody(scratch: Scratch): PackedBody | undefined {
		const limit = this.rawLimit();
		const parts: BodyPart[] = [];
		let length = 0;
		for (;;) {
			if (this.pending.length === 0 && !this.serialiseNext()) break;
			const segment = this.serialised(this.pending[0]);
			const grown = length === 0 ? segment.size : length + segment.size - 1;
			if (grown > limit) {
				if (parts.length > 0) break;
				if (segment.count > 1) {
					// One segment alone is over the limit: go record by record.
					this.pending.splice(0, 1, ...this.split(segment));
					continue;
				}
			}
			this.pending.shift();
			length = append(scratch, length, segment.json ?? '', segment.size);
			parts.push({ start: segment.start, count: segment.count, end: length });
			if (grown > limit) break;
		}
		return parts.length > 0 ? { parts, bytes: scratch.buffer.subarray(0, length) } : undefined;
	}

	/**
	 * Cuts a body after its first `keep` parts (in place: the bracket goes back where the comma
	 * was); the other parts go back in the queue, serialised again when their turn comes.
	 */
	truncate(body: PackedBody, keep: number): PackedBody {
		const kept = body.parts.slice(0, keep);
		this.giveBack(body.parts.slice(keep));
		const length = kept[kept.length - 1].end;
		const bytes = body.bytes.subarray(0, length);
		bytes[length - 1] = CLOSE;
		return { parts: kept, bytes };
	}

	/** Puts record runs back at the front of the queue (they are sent next, in this order). */
	giveBack(parts: ReadonlyArray<{ start: number; count: number }>): void {
		this.pending.unshift(...parts.map(({ start, count }) => ({ start, count, size: 0 })));
	}

	/** Puts the records of one run back one by one (a body of one segment came out too large). */
	giveBackOneByOne(part: { start: number; count: number }): void {
		this.pending.unshift(...singles(part));
	}

	/** Everything not handed out yet, as record runs, without serialising it; the queue empties. */
	takeRest(): Array<{ start: number; count: number }> {
		const rest = this.pending.splice(0).map(({ start, count }) => ({ start, count }));
		if (this.nextRecord < this.records.length) {
			rest.push({ start: this.nextRecord, count: this.records.length - this.nextRecord });
			this.nextRecord = this.records.length;
		}
		return rest;
	}

	/** One serialised segment per record. */
	split(segment: { start: number; count: number }): Segment[] {
		return singles(segment).map((single) => this.serialised(single));
	}

	/**
	 * After a body came out at `compressedBytes` (over the limit): how many of its leading parts
	 * to keep so that the rest, compressed again, is expected to fit. At least one, fewer than all.
	 */
	partsToKeep(body: PackedBody, compressedBytes: number): number {
		const allowedRaw = (body.bytes.length * this.targetCompressedBytes) / compressedBytes;
		let keep = 1;
		while (keep < body.parts.length - 1 && body.parts[keep].end <= allowedRaw) keep++;
		return keep;
	}

	private rawLimit(): number {
		const max = this.options.maxBodyBytes;
		if (!this.options.gzip) return max;
		// Before any compression was seen, stay where even incompressible data fits.
		if (this.ratioEstimate === undefined) return max - (max >> 11) - 64;
		return Math.max(
			1,
			Math.min(MAX_RAW_BODY_BYTES, Math.floor(this.ratioEstimate * this.targetCompressedBytes)),
		);
	}

	/** Records start..end as they are sent. */
	private slice(start: number, end: number): IDataObject[] {
		const slice = this.records.slice(start, end);
		const times = this.times;
		if (times) {
			for (let i = 0; i < slice.length; i++) {
				slice[i] = withTimeGenerated(slice[i], times[start + i]);
			}
		}
		return slice;
	}

	/** The segment with its JSON (serialised now if it was handed back without it). */
	private serialised(segment: Segment): Segment {
		if (segment.json === undefined) {
			segment.json = JSON.stringify(this.slice(segment.start, segment.start + segment.count));
			segment.size = Buffer.byteLength(segment.json, 'utf8');
		}
		return segment;
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
		const segment = this.serialised({ start, count: end - start, size: 0 });
		this.nextRecord = end;
		this.serialisedRecords += segment.count;
		this.serialisedBytes += segment.size;
		this.pending.push(segment);
		return true;
	}
}
