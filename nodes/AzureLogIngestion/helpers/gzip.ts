/**
 * Gzip through the web-standard CompressionStream (Node's native zlib underneath, running on the
 * libuv thread pool, so several bodies compress in parallel). Community nodes cannot import zlib.
 */

/** Compresses the concatenation of `chunks` into one gzip member. */
export async function gzip(chunks: readonly Uint8Array[]): Promise<Buffer> {
	const stream = new CompressionStream('gzip');
	const writer = stream.writable.getWriter();
	// Read while writing: the stream applies backpressure, so reading later could stall.
	const reading = readAll(stream.readable);
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

async function readAll(readable: ReadableStream<Uint8Array>): Promise<Buffer> {
	const reader = readable.getReader();
	const parts: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(value);
		total += value.byteLength;
	}
	return Buffer.concat(parts, total);
}

/**
 * zlib's deflateBound plus the gzip wrapper: no input of `rawBytes` bytes compresses to more than
 * this, so a body whose bound is under the limit needs no compression to know that it fits.
 */
export function gzipBound(rawBytes: number): number {
	return (
		rawBytes +
		Math.floor(rawBytes / 4096) +
		Math.floor(rawBytes / 16384) +
		Math.floor(rawBytes / 33554432) +
		13 +
		18
	);
}
