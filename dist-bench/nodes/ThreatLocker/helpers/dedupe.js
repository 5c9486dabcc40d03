"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SeenRecords = void 0;
exports.recordKey = recordKey;
exports.stableStringify = stableStringify;
const crypto_1 = require("crypto");
function recordKey(record) {
    const id = record.systemAuditId;
    if (typeof id === 'string' && id !== '')
        return id.toLowerCase();
    return `sha256:${(0, crypto_1.createHash)('sha256').update(stableStringify(record)).digest('base64')}`;
}
function stableStringify(value) {
    if (Array.isArray(value))
        return `[${value.map(stableStringify).join(',')}]`;
    if (value && typeof value === 'object') {
        const entries = Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`);
        return `{${entries.join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}
class SeenRecords {
    keys = new Set();
    add(record) {
        const key = recordKey(record);
        if (this.keys.has(key))
            return false;
        this.keys.add(key);
        return true;
    }
    get size() {
        return this.keys.size;
    }
}
exports.SeenRecords = SeenRecords;
