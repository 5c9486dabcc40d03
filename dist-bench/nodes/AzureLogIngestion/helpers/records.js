"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RecordError = void 0;
exports.toIso8601 = toIso8601;
exports.getPath = getPath;
exports.timeGeneratedUpdate = timeGeneratedUpdate;
exports.withTimeGenerated = withTimeGenerated;
exports.timeGeneratedOf = timeGeneratedOf;
exports.applyTimeGenerated = applyTimeGenerated;
exports.collectRecords = collectRecords;
exports.recordsOfItem = recordsOfItem;
class RecordError extends Error {
    field;
    constructor(message, field) {
        super(message);
        this.field = field;
        this.name = 'RecordError';
    }
}
exports.RecordError = RecordError;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const SPACE_SEPARATED_NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const EPOCH_SECONDS_LIMIT = 1e11;
function fromEpoch(value) {
    const ms = Math.abs(value) < EPOCH_SECONDS_LIMIT ? value * 1000 : value;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
function toIso8601(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) ? fromEpoch(value) : undefined;
    if (value instanceof Date)
        return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
    if (typeof value !== 'string')
        return undefined;
    const text = value.trim();
    if (ISO_8601.test(text))
        return Number.isNaN(Date.parse(text)) ? undefined : text;
    if (NUMERIC.test(text))
        return fromEpoch(Number(text));
    if (SPACE_SEPARATED_NO_ZONE.test(text) || DATE_ONLY.test(text)) {
        const iso = `${text.replace(' ', 'T')}${DATE_ONLY.test(text) ? 'T00:00:00' : ''}Z`;
        const parsed = Date.parse(iso);
        return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
    }
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}
function getPath(source, path) {
    if (Object.prototype.hasOwnProperty.call(source, path))
        return source[path];
    let current = source;
    for (const key of path.split('.')) {
        if (typeof current !== 'object' || current === null || Array.isArray(current))
            return undefined;
        current = current[key];
    }
    return current;
}
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
function isRecordObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isMissing(value) {
    return value === undefined || value === null || value === '';
}
function timeGeneratedUpdate(record, options) {
    const current = record.TimeGenerated;
    if (options.timeGenerated === 'fromField') {
        const field = options.timeGeneratedField;
        const raw = getPath(record, field);
        if (isMissing(raw)) {
            return new RecordError(`has no value in "${field}" to set TimeGenerated from`, field);
        }
        const iso = toIso8601(raw);
        if (iso === undefined) {
            return new RecordError(`has "${field}" = ${describe(raw)}, which is not a date and time (ISO 8601 or Unix time)`, field);
        }
        return iso === current ? undefined : iso;
    }
    if (isMissing(current)) {
        return options.timeGenerated === 'nowIfMissing' ? options.nowIso : undefined;
    }
    if (typeof current === 'string' && ISO_8601.test(current))
        return undefined;
    const iso = toIso8601(current);
    if (iso === undefined) {
        return new RecordError(`has TimeGenerated = ${describe(current)}, which is not a date and time (ISO 8601 or Unix time)`, 'TimeGenerated');
    }
    return iso === current ? undefined : iso;
}
function withTimeGenerated(record, time) {
    return time === undefined ? record : { ...record, TimeGenerated: time };
}
function timeGeneratedOf(record, options) {
    const update = timeGeneratedUpdate(record, options);
    return update instanceof RecordError ? update : withTimeGenerated(record, update);
}
function applyTimeGenerated(record, options) {
    const result = timeGeneratedOf(record, options);
    if (result instanceof RecordError)
        throw result;
    return result;
}
function collectRecords(json, options, add) {
    if (options.source === 'item') {
        const update = timeGeneratedUpdate(json, options);
        if (update instanceof RecordError)
            throw update;
        add(json, update);
        return;
    }
    const field = options.recordsField;
    const value = getPath(json, field);
    if (!Array.isArray(value)) {
        throw new RecordError(value === undefined
            ? `has no field "${field}" (the array of records to send)`
            : `has "${field}" = ${describe(value)}, not an array of records`, field);
    }
    const updates = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
        const element = value[i];
        if (!isRecordObject(element)) {
            throw new RecordError(`has "${field}[${i}]" = ${describe(element)}: every record must be a JSON object`, field);
        }
        const update = timeGeneratedUpdate(element, options);
        if (update instanceof RecordError) {
            throw new RecordError(`has in "${field}[${i}]" a record that ${update.message}`, update.field);
        }
        updates[i] = update;
    }
    for (let i = 0; i < value.length; i++)
        add(value[i], updates[i]);
}
function recordsOfItem(json, options) {
    const records = [];
    collectRecords(json, options, (record, time) => records.push(withTimeGenerated(record, time)));
    return records;
}
