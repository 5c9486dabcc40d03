"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BodyPacker = void 0;
exports.rawBodySize = rawBodySize;
exports.encodeBody = encodeBody;
exports.recordCount = recordCount;
const COMMA = 0x2c;
const CLOSE = 0x5d;
function rawBodySize(segments) {
    let total = 1;
    for (const segment of segments)
        total += segment.size - 1;
    return total;
}
function append(scratch, length, json, size) {
    const at = length === 0 ? 0 : length - 1;
    const grown = at + size;
    if (scratch.buffer.length < grown) {
        const bigger = Buffer.allocUnsafe(Math.max(grown, 2 * scratch.buffer.length));
        scratch.buffer.copy(bigger, 0, 0, length);
        scratch.buffer = bigger;
    }
    scratch.buffer.write(json, at, 'utf8');
    if (length > 0)
        scratch.buffer[at] = COMMA;
    return grown;
}
function encodeBody(segments) {
    const scratch = { buffer: Buffer.allocUnsafe(rawBodySize(segments)) };
    let length = 0;
    for (const segment of segments) {
        if (segment.json === undefined)
            throw new RangeError('segment not serialised');
        length = append(scratch, length, segment.json, segment.size);
    }
    return scratch.buffer.subarray(0, length);
}
function recordCount(parts) {
    let total = 0;
    for (const part of parts)
        total += part.count;
    return total;
}
class BodyPacker {
    records;
    options;
    times;
    ratioEstimate;
    predictionError = 0.02;
    nextRecord = 0;
    pending = [];
    serialisedRecords = 0;
    serialisedBytes = 0;
    segmentBytes;
    maxRawBodyBytes;
    constructor(records, options, times) {
        this.records = records;
        this.options = options;
        this.times = times;
        this.segmentBytes = options.segmentBytes ?? 32 * 1024;
        this.maxRawBodyBytes = options.maxRawBodyBytes ?? 32 * 1024 * 1024;
    }
    get ratio() {
        return this.ratioEstimate;
    }
    get isEmpty() {
        return this.pending.length === 0 && this.nextRecord >= this.records.length;
    }
    get targetCompressedBytes() {
        const margin = Math.min(0.2, Math.max(0.01, 2.5 * this.predictionError + 0.005));
        return Math.floor(this.options.maxBodyBytes * (1 - margin));
    }
    observe(rawBytes, compressedBytes) {
        if (rawBytes <= 0 || compressedBytes <= 0)
            return;
        const observed = rawBytes / compressedBytes;
        if (this.ratioEstimate !== undefined) {
            const predicted = rawBytes / this.ratioEstimate;
            const error = Math.abs(compressedBytes - predicted) / compressedBytes;
            this.predictionError = 0.7 * this.predictionError + 0.3 * error;
            this.ratioEstimate = 0.5 * this.ratioEstimate + 0.5 * observed;
        }
        else {
            this.ratioEstimate = observed;
        }
    }
    peekSegments(rawBytes) {
        const result = [];
        let size = 1;
        let index = 0;
        while (size < rawBytes) {
            if (index >= this.pending.length && !this.serialiseNext())
                break;
            const segment = this.serialised(this.pending[index++]);
            result.push(segment);
            size += segment.size - 1;
        }
        return result;
    }
    hasMoreThan(segments) {
        return this.pending.length > segments || this.nextRecord < this.records.length;
    }
    nextBody(scratch) {
        const limit = this.rawLimit();
        const parts = [];
        let length = 0;
        for (;;) {
            if (this.pending.length === 0 && !this.serialiseNext())
                break;
            const segment = this.serialised(this.pending[0]);
            const grown = length === 0 ? segment.size : length + segment.size - 1;
            if (grown > limit) {
                if (parts.length > 0)
                    break;
                if (segment.count > 1) {
                    this.pending.splice(0, 1, ...this.split(segment));
                    continue;
                }
            }
            this.pending.shift();
            length = append(scratch, length, segment.json ?? '', segment.size);
            parts.push({ start: segment.start, count: segment.count, end: length });
            if (grown > limit)
                break;
        }
        return parts.length > 0 ? { parts, bytes: scratch.buffer.subarray(0, length) } : undefined;
    }
    truncate(body, keep) {
        const kept = body.parts.slice(0, keep);
        this.giveBack(body.parts.slice(keep));
        const length = kept[kept.length - 1].end;
        const bytes = body.bytes.subarray(0, length);
        bytes[length - 1] = CLOSE;
        return { parts: kept, bytes };
    }
    giveBack(parts) {
        this.pending.unshift(...parts.map(({ start, count }) => ({ start, count, size: 0 })));
    }
    giveBackOneByOne(part) {
        const singles = [];
        for (let i = 0; i < part.count; i++)
            singles.push({ start: part.start + i, count: 1, size: 0 });
        this.pending.unshift(...singles);
    }
    takeRest() {
        const rest = this.pending.splice(0).map(({ start, count }) => ({ start, count }));
        if (this.nextRecord < this.records.length) {
            rest.push({ start: this.nextRecord, count: this.records.length - this.nextRecord });
            this.nextRecord = this.records.length;
        }
        return rest;
    }
    split(segment) {
        const parts = [];
        for (let i = 0; i < segment.count; i++) {
            parts.push(this.serialised({ start: segment.start + i, count: 1, size: 0 }));
        }
        return parts;
    }
    partsToKeep(body, compressedBytes) {
        const allowedRaw = (body.bytes.length * this.targetCompressedBytes) / compressedBytes;
        let keep = 1;
        while (keep < body.parts.length - 1 && body.parts[keep].end <= allowedRaw)
            keep++;
        return keep;
    }
    rawLimit() {
        const max = this.options.maxBodyBytes;
        if (!this.options.gzip)
            return max;
        if (this.ratioEstimate === undefined)
            return max - (max >> 11) - 64;
        return Math.max(1, Math.min(this.maxRawBodyBytes, Math.floor(this.ratioEstimate * this.targetCompressedBytes)));
    }
    slice(start, end) {
        const slice = this.records.slice(start, end);
        const times = this.times;
        if (times) {
            for (let i = 0; i < slice.length; i++) {
                const time = times[start + i];
                if (time !== undefined)
                    slice[i] = { ...slice[i], TimeGenerated: time };
            }
        }
        return slice;
    }
    serialised(segment) {
        if (segment.json === undefined) {
            segment.json = JSON.stringify(this.slice(segment.start, segment.start + segment.count));
            segment.size = Buffer.byteLength(segment.json, 'utf8');
        }
        return segment;
    }
    serialiseNext() {
        if (this.nextRecord >= this.records.length)
            return false;
        const average = this.serialisedRecords > 0 ? this.serialisedBytes / this.serialisedRecords : 0;
        const count = average > 0 ? Math.min(1024, Math.max(1, Math.round(this.segmentBytes / average))) : 16;
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
exports.BodyPacker = BodyPacker;
