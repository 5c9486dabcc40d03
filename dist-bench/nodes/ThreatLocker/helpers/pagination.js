"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parsePageInfo = parsePageInfo;
const retry_1 = require("../../shared/retry");
function toCount(value) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
function parsePageInfo(headers) {
    const info = {};
    const raw = (0, retry_1.headerValue)(headers, 'pagination');
    if (raw) {
        let parsed;
        try {
            parsed = JSON.parse(raw);
        }
        catch {
            parsed = undefined;
        }
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            const fields = new Map(Object.entries(parsed).map(([k, v]) => [k.toLowerCase(), v]));
            info.totalItems = toCount(fields.get('totalitems'));
            info.totalPages = toCount(fields.get('totalpages'));
            const lookup = fields.get('afterkeylookup');
            if (lookup && typeof lookup === 'object' && !Array.isArray(lookup)) {
                const entries = Object.entries(lookup).filter(([key, value]) => /^\d+$/.test(key) && Array.isArray(value));
                if (entries.length > 0)
                    info.afterKeyLookup = Object.fromEntries(entries);
            }
        }
    }
    info.totalItems ??= toCount((0, retry_1.headerValue)(headers, 'totalitems'));
    info.totalPages ??= toCount((0, retry_1.headerValue)(headers, 'totalpages'));
    return info;
}
