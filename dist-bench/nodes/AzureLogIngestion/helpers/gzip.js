"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.gzip = gzip;
exports.gzipBound = gzipBound;
async function gzip(chunks) {
    const stream = new CompressionStream('gzip');
    const writer = stream.writable.getWriter();
    const reading = readAll(stream.readable);
    const writing = (async () => {
        for (const chunk of chunks) {
            if (chunk.byteLength > 0)
                await writer.write(chunk);
        }
        await writer.close();
    })();
    const [compressed] = await Promise.all([reading, writing]);
    return compressed;
}
async function readAll(readable) {
    const reader = readable.getReader();
    const parts = [];
    let total = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        parts.push(value);
        total += value.byteLength;
    }
    return Buffer.concat(parts, total);
}
function gzipBound(rawBytes) {
    return (rawBytes +
        Math.floor(rawBytes / 4096) +
        Math.floor(rawBytes / 16384) +
        Math.floor(rawBytes / 33554432) +
        13 +
        18);
}
