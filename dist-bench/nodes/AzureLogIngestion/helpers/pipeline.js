"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.uploadRecords = uploadRecords;
exports.describeFailure = describeFailure;
const gzip_1 = require("./gzip");
const packer_1 = require("./packer");
class Slots {
    free;
    waiting = [];
    constructor(size) {
        this.free = Math.max(1, size);
    }
    async run(task) {
        if (this.free > 0)
            this.free--;
        else
            await new Promise((resolve) => this.waiting.push(resolve));
        try {
            return await task();
        }
        finally {
            const next = this.waiting.shift();
            if (next)
                next();
            else
                this.free++;
        }
    }
}
const PROBE_BYTES = 256 * 1024;
async function uploadRecords(records, options, sink) {
    const gzip = options.compress ?? gzip_1.gzip;
    const slots = new Slots(options.compressionConcurrency ?? Math.min(2, options.concurrency));
    const compress = async (chunks) => await slots.run(async () => await gzip(chunks));
    const packer = new packer_1.BodyPacker(records, { maxBodyBytes: options.maxBodyBytes, gzip: options.gzip }, options.times);
    const stats = {
        requests: 0,
        failedRequests: 0,
        attempts: 0,
        bytesBeforeGzip: 0,
        bytesAfterGzip: 0,
        bytesOnWire: 0,
        requestIds: [],
        clientRequestIds: [],
        recompressions: 0,
        largestBody: 0,
    };
    let stopped;
    if (options.gzip && !packer.isEmpty) {
        const probe = packer.peekSegments(PROBE_BYTES);
        if (packer.hasMoreThan(probe.length)) {
            const compressed = await compress([(0, packer_1.encodeBody)(probe)]);
            packer.observe((0, packer_1.rawBodySize)(probe), compressed.length);
        }
    }
    const failParts = (parts, failure) => {
        for (const part of parts)
            sink.failed(part.start, part.count, failure);
    };
    const prepare = async (packed) => {
        for (;;) {
            const { parts, bytes } = packed;
            if (!options.gzip) {
                if (bytes.length > options.maxBodyBytes) {
                    sink.oversized(parts[0].start, bytes.length, options.maxBodyBytes, false);
                    return undefined;
                }
                return { parts, body: bytes, rawBytes: bytes.length };
            }
            const body = await compress([bytes]);
            packer.observe(bytes.length, body.length);
            if (body.length <= options.maxBodyBytes)
                return { parts, body, rawBytes: bytes.length };
            stats.recompressions++;
            if (parts.length > 1) {
                packed = packer.truncate(packed, packer.partsToKeep(packed, body.length));
            }
            else if (parts[0].count > 1) {
                packer.giveBackOneByOne(parts[0]);
                return undefined;
            }
            else {
                sink.oversized(parts[0].start, body.length, options.maxBodyBytes, true);
                return undefined;
            }
        }
    };
    const worker = async () => {
        const scratch = { buffer: Buffer.alloc(0) };
        for (;;) {
            const notSent = stopped ?? cancelledFailure(options);
            if (notSent) {
                failParts(packer.takeRest(), notSent);
                return;
            }
            const packed = packer.nextBody(scratch);
            if (!packed)
                return;
            const prepared = await prepare(packed);
            if (!prepared)
                continue;
            const result = await options.send(prepared.body, {
                records: (0, packer_1.recordCount)(prepared.parts),
                rawBytes: prepared.rawBytes,
                gzip: options.gzip,
            });
            stats.attempts += result.attempts;
            stats.bytesOnWire += result.bytesOnWire;
            if (result.ok) {
                stats.requests++;
                stats.bytesBeforeGzip += prepared.rawBytes;
                stats.bytesAfterGzip += prepared.body.length;
                stats.largestBody = Math.max(stats.largestBody, prepared.body.length);
                if (result.requestId)
                    stats.requestIds.push(result.requestId);
                stats.clientRequestIds.push(result.clientRequestId);
                for (const part of prepared.parts)
                    sink.accepted(part.start, part.count);
            }
            else {
                stats.failedRequests++;
                failParts(prepared.parts, result);
                if (result.stopsRun && !stopped) {
                    stopped = {
                        ...result,
                        message: `Not sent: an earlier request of this run failed with ${describeFailure(result)}`,
                        attempts: 0,
                        bytesOnWire: 0,
                        clientRequestId: undefined,
                        requestId: undefined,
                    };
                }
            }
        }
    };
    const workers = Math.max(1, Math.floor(options.concurrency));
    await Promise.all(Array.from({ length: workers }, async () => await worker()));
    return stats;
}
function cancelledFailure(options) {
    if (!options.isCancelled?.())
        return undefined;
    return {
        ok: false,
        message: 'Not sent: the execution was cancelled',
        attempts: 0,
        bytesOnWire: 0,
    };
}
function describeFailure(failure) {
    const parts = [failure.status !== undefined ? `HTTP ${failure.status}` : 'no HTTP answer'];
    if (failure.code)
        parts.push(failure.code);
    return `${parts.join(' ')}: ${failure.message}`;
}
