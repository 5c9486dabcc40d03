"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDateParameter = parseDateParameter;
exports.formatApiDate = formatApiDate;
exports.recordTime = recordTime;
function parseDateParameter(value) {
    if (value instanceof Date)
        return Number.isNaN(value.getTime()) ? undefined : value.getTime();
    if (typeof value === 'number')
        return Number.isFinite(value) ? value : undefined;
    if (typeof value === 'object' && value !== null && 'toISO' in value) {
        const iso = value.toISO();
        return iso ? parseDateParameter(iso) : undefined;
    }
    if (typeof value !== 'string')
        return undefined;
    const text = value.trim();
    if (!text)
        return undefined;
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text);
    const isoLocal = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/.test(text);
    let normalized = text;
    if (isoLocal && !hasZone) {
        normalized = text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`;
    }
    const parsed = Date.parse(normalized);
    return Number.isNaN(parsed) ? undefined : parsed;
}
function formatApiDate(epochMs) {
    const iso = new Date(epochMs).toISOString();
    return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}
function recordTime(record) {
    return typeof record.dateTime === 'string' ? parseDateParameter(record.dateTime) : undefined;
}
