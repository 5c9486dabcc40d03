/**
 * Gzip through the web-standard CompressionStream (Node's native zlib underneath, running on the
 * libuv thread pool, so several bodies compress in parallel). Community nodes cannot import zlib.
 */

/** A buffer reused for one caller's compressed bodies (grown when a body needs more room). */
export interface OutputBuffer {
	buffer: Buffer;
}

/**
 * Compresses the concatenation of `chunks` into one gzip member. With `into`, the result is a
 * view of that reusable buffer (valid until its next use): no buffer is allocated per body, so
 * the external memory that makes V8 run full collections over every input item grows less.
 */
export async function gzip(
	chunks: readonly Uint8Array[],
	into: OutputBuffer = { buffer: Buffer.alloc(0) },
): Promise<Buffer> {
	const stream = new CompressionStream('gzip');
	const writer = stream.writable.getWriter();
	// Read while writing: the stream applies backpressure, so reading later could stall.
	const reading = readAll(stream.readable, into);
	const writing = (async () => {
		for (const chunk of chunks) {
			// Node's Buffers are backed by ArrayBuffers (never shared), which BufferSource requires.
			if (chunk.byteLength > 0) await writer.write(chunk as Uint8Array<ArrayBuffer>);
		}
		await writer.close();
	})();
	const [compressed] = await Promise.all([reading, writing]);
	return compressed;
}

async function readAll(readable: ReadableStream<Uint8Array>, into: OutputBuffer): Promise<Buffer> {
	const reader = readable.getReader();
	let length = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		if (into.buffer.length < length + value.byteLength) {
			const bigger = Buffer.allocUnsafe(Math.max(length + value.byteLength, 2 * into.buffer.length));
			into.buffer.copy(bigger, 0, 0, length);
			into.buffer = bigger;
		}
		into.buffer.set(value, length);
		length += value.byteLength;
	}
	return into.buffer.subarray(0, length);
}
