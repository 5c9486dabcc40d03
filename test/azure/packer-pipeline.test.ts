import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { gunzipSync } from 'zlib';

import { gzip } from '../../nodes/AzureLogIngestion/helpers/gzip';
import {
	BodyPacker,
	encodeBody,
	recordCount,
	type PackedBody,
} from '../../nodes/AzureLogIngestion/helpers/packer';
import {
	uploadRecords,
	type SendFailure,
	type SendResult,
	type UploadSink,
} from '../../nodes/AzureLogIngestion/helpers/pipeline';
import { auditRecords } from './fixtures';

const LIMIT = 1_048_576;

function noise(bytes: number): string {
	return randomBytes(Math.ceil(bytes / 2)).toString('hex').slice(0, bytes);
}

/** A sink that records every record's fate, by index. */
function recordingSink(total: number) {
	const fate: Array<string | undefined> = new Array(total).fill(undefined);
	const failures = new Map<number, SendFailure>();
	const set = (index: number, value: string) => {
		if (fate[index] !== undefined) throw new Error(`record ${index} reported twice (${fate[index]}, ${value})`);
		fate[index] = value;
	};
	const sink: UploadSink = {
		accepted: (start, count) => {
			for (let i = start; i < start + count; i++) set(i, 'accepted');
		},
		failed: (start, count, failure) => {
			for (let i = start; i < start + count; i++) {
				set(i, 'failed');
				failures.set(i, failure);
			}
		},
		oversized: (index) => set(index, 'oversized'),
	};
	return { sink, fate, failures };
}

/** A sender that decodes each body like the service, keeping what it received. */
function fakeService(answer?: (call: number, records: IDataObject[]) => SendResult | undefined) {
	const received: IDataObject[][] = [];
	const bodySizes: number[] = [];
	let calls = 0;
	const send = async (body: Buffer, info: { gzip: boolean; records: number }): Promise<SendResult> => {
		calls++;
		bodySizes.push(body.length);
		const records = JSON.parse((info.gzip ? gunzipSync(body) : body).toString('utf8')) as IDataObject[];
		expect(records).toHaveLength(info.records);
		const custom = answer?.(calls, records);
		if (custom) return custom;
		received.push(records);
		return { ok: true, status: 204, requestId: `req-${calls}`, clientRequestId: `client-${calls}`, attempts: 1, bytesOnWire: body.length };
	};
	return { send, received, bodySizes, calls: () => calls };
}

describe('BodyPacker', () => {
	const scratch = () => ({ buffer: Buffer.alloc(0) });

	test('segments join into exactly the JSON array of the records', () => {
		const records = auditRecords(300);
		const packer = new BodyPacker(records, { maxBodyBytes: LIMIT, gzip: false, segmentBytes: 4096 });
		const body = packer.nextBody(scratch());
		expect(body).toBeDefined();
		expect(body?.parts.length).toBeGreaterThan(5);
		expect(body?.parts[body.parts.length - 1].end).toBe(body?.bytes.length);
		expect(JSON.parse(body?.bytes.toString('utf8') ?? '')).toEqual(records);
		expect(packer.nextBody(scratch())).toBeUndefined();
		expect(packer.isEmpty).toBe(true);
	});

	test('without gzip every body is within the limit exactly, records in order, none lost', () => {
		const records = auditRecords(4000);
		const limit = 200_000;
		const packer = new BodyPacker(records, { maxBodyBytes: limit, gzip: false });
		const reused = scratch();
		const seen: IDataObject[] = [];
		let bodies = 0;
		for (let body = packer.nextBody(reused); body; body = packer.nextBody(reused)) {
			expect(body.bytes.length).toBeLessThanOrEqual(limit);
			expect(recordCount(body.parts)).toBe(body.parts.reduce((n, p) => n + p.count, 0));
			seen.push(...(JSON.parse(body.bytes.toString('utf8')) as IDataObject[]));
			bodies++;
		}
		expect(seen).toEqual(records);
		const total = Buffer.byteLength(JSON.stringify(records));
		// Filled close to the limit: at most one body more than a perfect packing.
		expect(bodies).toBeLessThanOrEqual(Math.ceil(total / limit) + 1);
	});

	test('multi-byte text; the scratch buffer grows and keeps what was written', () => {
		const records = [{ a: 'é€😀' }, { b: '"quoted"\n' }, { c: [1, 2] }, { d: 'x'.repeat(5000) }];
		const packer = new BodyPacker(records, { maxBodyBytes: LIMIT, gzip: false, segmentBytes: 1 });
		const reused = { buffer: Buffer.alloc(10) };
		const singles = packer.split({ start: 0, count: 4 });
		expect(singles.map((segment) => segment.size)).toEqual(
			records.map((record) => Buffer.byteLength(JSON.stringify([record]))),
		);
		expect(encodeBody(singles).toString('utf8')).toBe(JSON.stringify(records));
		const body = packer.nextBody(reused);
		expect(reused.buffer.length).toBeGreaterThanOrEqual(body?.bytes.length ?? 0);
		expect(JSON.parse(body?.bytes.toString('utf8') ?? '')).toEqual(records);
	});

	test('TimeGenerated values are applied while serialising, on copies', () => {
		const records: IDataObject[] = [{ a: 1 }, { b: 2, TimeGenerated: 'old' }, { c: 3 }];
		const times = [undefined, '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'];
		const packer = new BodyPacker(records, { maxBodyBytes: LIMIT, gzip: false }, times);
		const body = packer.nextBody(scratch());
		expect(JSON.parse(body?.bytes.toString('utf8') ?? '')).toEqual([
			{ a: 1 },
			{ b: 2, TimeGenerated: '2024-01-01T00:00:00.000Z' },
			{ c: 3, TimeGenerated: '2024-01-02T00:00:00.000Z' },
		]);
		expect(records[1].TimeGenerated).toBe('old');
		expect(records[2]).toEqual({ c: 3 });
	});

	test('a segment over the limit is split record by record; a single record over it goes alone', () => {
		const records = [{ a: 'x'.repeat(50) }, { big: 'y'.repeat(5000) }, { c: 1 }];
		const packer = new BodyPacker(records, { maxBodyBytes: 1000, gzip: false, segmentBytes: 100000 });
		const first = packer.nextBody(scratch());
		expect(first?.parts.map((p) => [p.start, p.count])).toEqual([[0, 1]]);
		const second = packer.nextBody(scratch());
		expect(second?.parts.map((p) => [p.start, p.count])).toEqual([[1, 1]]);
		expect(second?.bytes.length).toBeGreaterThan(1000);
		expect(packer.nextBody(scratch())?.parts.map((p) => [p.start, p.count])).toEqual([[2, 1]]);
	});

	test('truncate keeps a valid JSON prefix and hands the rest back, serialised again later', () => {
		const records = Array.from({ length: 40 }, (_, i) => ({ i, text: 't'.repeat(100) }));
		const packer = new BodyPacker(records, { maxBodyBytes: LIMIT, gzip: false, segmentBytes: 500 });
		const reused = scratch();
		const body = packer.nextBody(reused);
		expect(body && body.parts.length).toBeGreaterThan(3);
		const cut = packer.truncate(body as PackedBody, 2);
		const kept = JSON.parse(cut.bytes.toString('utf8')) as IDataObject[];
		expect(kept).toEqual(records.slice(0, recordCount(cut.parts)));
		const rest = JSON.parse(packer.nextBody(scratch())?.bytes.toString('utf8') ?? '') as IDataObject[];
		expect([...kept, ...rest]).toEqual(records);
	});

	test('learns the compression ratio; partsToKeep keeps at least one and fewer than all', () => {
		const packer = new BodyPacker(auditRecords(10), { maxBodyBytes: LIMIT, gzip: true });
		expect(packer.ratio).toBeUndefined();
		packer.observe(6_000_000, 1_000_000);
		expect(packer.ratio).toBe(6);
		packer.observe(6_000_000, 1_000_000);
		expect(packer.targetCompressedBytes).toBeLessThan(LIMIT);
		expect(packer.targetCompressedBytes).toBeGreaterThan(LIMIT * 0.9);
		const body: PackedBody = {
			parts: [0, 1, 2, 3].map((start) => ({ start, count: 1, end: 1 + (start + 1) * 1001 })),
			bytes: Buffer.alloc(4005),
		};
		expect(packer.partsToKeep(body, LIMIT * 1.5)).toBe(2);
		expect(packer.partsToKeep(body, LIMIT * 100)).toBe(1);
		expect(packer.partsToKeep(body, LIMIT + 1)).toBe(3);
	});

	test('takeRest hands out everything left without serialising it', () => {
		const packer = new BodyPacker(auditRecords(100), { maxBodyBytes: 20_000, gzip: false });
		const body = packer.nextBody(scratch());
		const sent = recordCount(body?.parts ?? []);
		expect(packer.takeRest().reduce((n, part) => n + part.count, 0)).toBe(100 - sent);
		expect(packer.isEmpty).toBe(true);
	});
});

describe('uploadRecords', () => {
	test('gzip: bodies close to the limit after compression, every record exactly once', async () => {
		// ~2,000 bytes per record, of which ~1,000 incompressible: several MiB compressed in all.
		const records = Array.from({ length: 3000 }, (_, i) => ({ i, noise: noise(1000), text: 'audit '.repeat(170) }));
		const service = fakeService();
		const { sink, fate } = recordingSink(records.length);
		const stats = await uploadRecords(records, { maxBodyBytes: LIMIT, gzip: true, concurrency: 3, send: service.send }, sink);
		expect(fate.every((f) => f === 'accepted')).toBe(true);
		const received = service.received.flat().sort((a, b) => Number(a.i) - Number(b.i));
		expect(received).toEqual(records);
		for (const size of service.bodySizes) expect(size).toBeLessThanOrEqual(LIMIT);
		const compressedTotal = service.bodySizes.reduce((a, b) => a + b, 0);
		// Near-optimal: no more than one request above the compressed total / limit at 90 % fill.
		expect(stats.requests).toBeLessThanOrEqual(Math.ceil(compressedTotal / (LIMIT * 0.9)) + 1);
		expect(stats.requests).toBe(service.bodySizes.length);
		expect(stats.bytesAfterGzip).toBe(compressedTotal);
		// Each extra body adds its own brackets and drops one comma.
		expect(stats.bytesBeforeGzip).toBe(Buffer.byteLength(JSON.stringify(records)) + (stats.requests - 1));
		expect(stats.requestIds).toHaveLength(stats.requests);
	});

	test('a body that comes out over the limit is shrunk and compressed again, not sent', async () => {
		const records = Array.from({ length: 400 }, (_, i) => ({ i, text: 'a'.repeat(20000) }));
		const service = fakeService();
		const { sink, fate } = recordingSink(records.length);
		let calls = 0;
		// A lying compressor for the first real body: pretend it came out 3x larger.
		const compress = async (chunks: readonly Uint8Array[]) => {
			const out = await gzip(chunks);
			calls++;
			return calls === 2 ? Buffer.concat([out, randomBytes(LIMIT * 2)]) : out;
		};
		const stats = await uploadRecords(records, { maxBodyBytes: LIMIT, gzip: true, concurrency: 1, send: service.send, compress }, sink);
		expect(stats.recompressions).toBeGreaterThanOrEqual(1);
		expect(fate.every((f) => f === 'accepted')).toBe(true);
		expect(service.received.flat()).toHaveLength(400);
		for (const size of service.bodySizes) expect(size).toBeLessThanOrEqual(LIMIT);
	});

	test('a record too large on its own is reported as oversized; the others still go', async () => {
		const records: IDataObject[] = auditRecords(30);
		records.splice(12, 0, { huge: noise(2_500_000) });
		const service = fakeService();
		const { sink, fate } = recordingSink(records.length);
		await uploadRecords(records, { maxBodyBytes: LIMIT, gzip: true, concurrency: 2, send: service.send }, sink);
		expect(fate[12]).toBe('oversized');
		expect(fate.filter((f) => f === 'accepted')).toHaveLength(30);
		expect(service.received.flat()).toHaveLength(30);
	});

	test('without gzip an oversized record is never sent', async () => {
		const records: IDataObject[] = [{ a: 1 }, { big: 'z'.repeat(LIMIT) }, { c: 3 }];
		const service = fakeService();
		const { sink, fate } = recordingSink(records.length);
		await uploadRecords(records, { maxBodyBytes: LIMIT, gzip: false, concurrency: 1, send: service.send }, sink);
		expect(fate).toEqual(['accepted', 'oversized', 'accepted']);
		for (const size of service.bodySizes) expect(size).toBeLessThanOrEqual(LIMIT);
	});

	test('a failure that stops the run fails the rest without sending them', async () => {
		const records = Array.from({ length: 50 }, (_, i) => ({ i, text: 'q'.repeat(50000) }));
		const forbidden: SendResult = { ok: false, status: 403, code: 'OperationFailed', message: 'no role', attempts: 1, bytesOnWire: 1, stopsRun: true, requestId: 'r1' };
		const service = fakeService(() => forbidden);
		const { sink, fate, failures } = recordingSink(records.length);
		const stats = await uploadRecords(records, { maxBodyBytes: 200_000, gzip: false, concurrency: 1, send: service.send }, sink);
		expect(service.calls()).toBe(1);
		expect(fate.every((f) => f === 'failed')).toBe(true);
		expect(stats.failedRequests).toBe(1);
		expect(failures.get(0)?.requestId).toBe('r1');
		expect(failures.get(49)?.message).toBe('Not sent: an earlier request of this run failed with HTTP 403 OperationFailed: no role');
		expect(failures.get(49)?.status).toBe(403);
		expect(failures.get(49)?.requestId).toBeUndefined();
	});

	test('a failure that does not stop the run affects its own body only', async () => {
		const records = Array.from({ length: 40 }, (_, i) => ({ i, text: 'w'.repeat(10000) }));
		const service = fakeService((call) =>
			call === 2 ? { ok: false, status: 400, code: 'Bad', message: 'bad body', attempts: 1, bytesOnWire: 1 } : undefined,
		);
		const { sink, fate } = recordingSink(records.length);
		const stats = await uploadRecords(records, { maxBodyBytes: 100_000, gzip: false, concurrency: 1, send: service.send }, sink);
		const failed = fate.filter((f) => f === 'failed').length;
		expect(failed).toBeGreaterThan(0);
		expect(failed + service.received.flat().length).toBe(40);
		expect(stats.failedRequests).toBe(1);
	});

	test('cancellation: nothing more is sent, the rest fails as not sent', async () => {
		let cancelled = false;
		const records = Array.from({ length: 30 }, (_, i) => ({ i, text: 'c'.repeat(10000) }));
		const service = fakeService(() => {
			cancelled = true;
			return undefined;
		});
		const { sink, fate, failures } = recordingSink(records.length);
		await uploadRecords(records, { maxBodyBytes: 50_000, gzip: false, concurrency: 1, send: service.send, isCancelled: () => cancelled }, sink);
		expect(service.calls()).toBe(1);
		expect(fate.filter((f) => f === 'accepted').length + fate.filter((f) => f === 'failed').length).toBe(30);
		expect(failures.get(29)?.message).toBe('Not sent: the execution was cancelled');
	});

	test('small inputs are compressed once; large ones once per body plus one 256 KiB sample', async () => {
		let calls = 0;
		const counting = async (chunks: readonly Uint8Array[]) => {
			calls++;
			return await gzip(chunks);
		};
		const service = fakeService();
		await uploadRecords(auditRecords(50), { maxBodyBytes: LIMIT, gzip: true, concurrency: 4, send: service.send, compress: counting }, recordingSink(50).sink);
		expect([calls, service.calls()]).toEqual([1, 1]);
		calls = 0;
		const many = auditRecords(8000, 3);
		const stats = await uploadRecords(many, { maxBodyBytes: LIMIT, gzip: true, concurrency: 4, send: service.send, compress: counting }, recordingSink(many.length).sink);
		expect(calls).toBe(stats.requests + stats.recompressions + 1);
	});

	const trackingCompressor = () => {
		const seen = { running: 0, peak: 0 };
		const compress = async (chunks: readonly Uint8Array[], into?: { buffer: Buffer }) => {
			seen.running++;
			seen.peak = Math.max(seen.peak, seen.running);
			try {
				return await gzip(chunks, into);
			} finally {
				seen.running--;
			}
		};
		return { seen, compress };
	};

	test('one compression per request in flight by default, fewer when asked', async () => {
		const many = auditRecords(12000, 5);
		const byDefault = trackingCompressor();
		await uploadRecords(many, { maxBodyBytes: 300_000, gzip: true, concurrency: 8, send: fakeService().send, compress: byDefault.compress }, recordingSink(many.length).sink);
		expect(byDefault.seen.peak).toBeGreaterThan(2);
		expect(byDefault.seen.peak).toBeLessThanOrEqual(8);
		const capped = trackingCompressor();
		await uploadRecords(many, { maxBodyBytes: 300_000, gzip: true, concurrency: 8, compressionConcurrency: 2, send: fakeService().send, compress: capped.compress }, recordingSink(many.length).sink);
		expect(capped.seen.peak).toBe(2);
	});

	test('the next body is compressed while a request waits for its answer; requests stay within the limit', async () => {
		const many = auditRecords(4000, 13);
		const events: string[] = [];
		const service = fakeService();
		let inFlight = 0;
		let peakInFlight = 0;
		let sends = 0;
		const compress = async (chunks: readonly Uint8Array[], into?: { buffer: Buffer }) => {
			events.push('compress');
			return await gzip(chunks, into);
		};
		const slowSend = async (body: Buffer, info: { gzip: boolean; records: number; rawBytes: number }): Promise<SendResult> => {
			const call = ++sends;
			inFlight++;
			peakInFlight = Math.max(peakInFlight, inFlight);
			events.push(`send ${call}`);
			await new Promise((resolve) => setTimeout(resolve, 30));
			events.push(`answer ${call}`);
			inFlight--;
			return await service.send(body, info);
		};
		const { sink, fate } = recordingSink(many.length);
		const stats = await uploadRecords(many, { maxBodyBytes: 100_000, gzip: true, concurrency: 1, send: slowSend, compress }, sink);
		expect(stats.requests).toBeGreaterThan(3);
		expect(fate.every((f) => f === 'accepted')).toBe(true);
		expect(peakInFlight).toBe(1);
		// Before request 1 was answered, body 2 had been compressed too (the ratio sample, body 1,
		// body 2): compression does not wait for the network.
		const beforeAnswer = events.slice(0, events.indexOf('answer 1'));
		expect(beforeAnswer.filter((event) => event === 'compress').length).toBeGreaterThanOrEqual(3);
		// And with one request slot, request 2 was only sent after answer 1.
		expect(events.indexOf('send 2')).toBeGreaterThan(events.indexOf('answer 1'));
	});

	test('each worker keeps its compressed body intact until it has been sent (buffers are reused)', async () => {
		const many = auditRecords(6000, 11);
		const bodies: Buffer[] = [];
		const service = fakeService();
		let call = 0;
		// Senders that hold their body while other workers compress: read it only afterwards.
		const slowSend = async (body: Buffer, info: { gzip: boolean; records: number; rawBytes: number }): Promise<SendResult> => {
			const snapshot = Buffer.from(body);
			await new Promise((resolve) => setTimeout(resolve, 5 + (call++ % 3) * 10));
			expect(body.equals(snapshot)).toBe(true);
			bodies.push(snapshot);
			return await service.send(body, info);
		};
		const { sink, fate } = recordingSink(many.length);
		const stats = await uploadRecords(many, { maxBodyBytes: 100_000, gzip: true, concurrency: 4, send: slowSend }, sink);
		expect(stats.requests).toBeGreaterThan(8);
		expect(fate.every((f) => f === 'accepted')).toBe(true);
		const ids = service.received.flat().map((record) => record.systemAuditId);
		expect(new Set(ids).size).toBe(many.length);
	});

	test('no records: no request', async () => {
		const service = fakeService();
		const stats = await uploadRecords([], { maxBodyBytes: LIMIT, gzip: true, concurrency: 4, send: service.send }, recordingSink(0).sink);
		expect(service.calls()).toBe(0);
		expect(stats.requests).toBe(0);
	});
});
