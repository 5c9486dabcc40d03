import { gunzipSync, gzipSync } from 'zlib';

import { gzip } from '../../nodes/AzureLogIngestion/helpers/gzip';

describe('gzip through CompressionStream', () => {
	test('round-trips chunks (their concatenation)', async () => {
		const chunks = [Buffer.from('['), Buffer.from('{"a":"é"}'), Buffer.alloc(0), Buffer.from(',{"b":2}]')];
		const compressed = await gzip(chunks);
		expect(compressed.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
		expect(gunzipSync(compressed).toString('utf8')).toBe('[{"a":"é"},{"b":2}]');
	});

	test('large input, same size class as zlib at its default level', async () => {
		const text = Buffer.from(JSON.stringify(Array.from({ length: 20000 }, (_, i) => ({ i, text: `row ${i % 97}` }))));
		const compressed = await gzip([text]);
		expect(gunzipSync(compressed).equals(text)).toBe(true);
		expect(Math.abs(compressed.length - gzipSync(text).length)).toBeLessThan(64);
	});

	test('many compressions in parallel', async () => {
		const inputs = Array.from({ length: 8 }, (_, i) => Buffer.from(`${i}`.repeat(100000)));
		const outputs = await Promise.all(inputs.map(async (input) => await gzip([input])));
		outputs.forEach((output, i) => expect(gunzipSync(output).equals(inputs[i])).toBe(true));
	});

	test('into a reused buffer: grown when needed, each result a view of that buffer', async () => {
		const into = { buffer: Buffer.alloc(8) };
		const big = Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ i, r: (i * 2654435761) >>> 7 }))));
		const first = await gzip([big], into);
		expect(gunzipSync(first).equals(big)).toBe(true);
		expect(into.buffer.length).toBeGreaterThanOrEqual(first.length);
		expect(first.buffer).toBe(into.buffer.buffer);
		const grownTo = into.buffer.length;
		// A smaller body reuses the same memory and comes out whole.
		const second = await gzip([Buffer.from('[{"small":true}]')], into);
		expect(gunzipSync(second).toString('utf8')).toBe('[{"small":true}]');
		expect(into.buffer.length).toBe(grownTo);
		expect(second.buffer).toBe(into.buffer.buffer);
	});
});
