/**
 * Turning input items into Logs Ingestion records: where records come from, and TimeGenerated.
 * Records are shallow copies only when something changes; input items are never mutated.
 */
import type { IDataObject } from 'n8n-workflow';

export type RecordSource = 'item' | 'field';
export type TimeGeneratedMode = 'keep' | 'fromField' | 'nowIfMissing';

export interface RecordOptions {
	source: RecordSource;
	/** Dot path of the array field when `source` is `field`. */
	recordsField: string;
	timeGenerated: TimeGeneratedMode;
	/** Dot path of the time field when `timeGenerated` is `fromField`. */
	timeGeneratedField: string;
	/** ISO 8601 time used for "set to now when missing" (one value per run). */
	nowIso: string;
}

/** A problem with one input item's data; `field` names the field at fault. */
export class RecordError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'RecordError';
	}
}

const ISO_8601 =
	/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const SPACE_SEPARATED_NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
/** Epoch values below this are seconds, above it milliseconds (1e11 s is the year 5138). */
const EPOCH_SECONDS_LIMIT = 1e11;

function fromEpoch(value: number): string | undefined {
	const ms = Math.abs(value) < EPOCH_SECONDS_LIMIT ? value * 1000 : value;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The value as ISO 8601, or undefined when it is not a time. ISO 8601 strings with a zone are
 * kept exactly as they are; strings without a zone are read as UTC (Azure's own examples use
 * "2023-11-14 15:10:02"); numbers are Unix time in seconds or milliseconds.
 */
export function toIso8601(value: unknown): string | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? fromEpoch(value) : undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (ISO_8601.test(text)) return Number.isNaN(Date.parse(text)) ? undefined : text;
	if (NUMERIC.test(text)) return fromEpoch(Number(text));
	if (SPACE_SEPARATED_NO_ZONE.test(text) || DATE_ONLY.test(text)) {
		const iso = `${text.replace(' ', 'T')}${DATE_ONLY.test(text) ? 'T00:00:00' : ''}Z`;
		const parsed = Date.parse(iso);
		return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
	}
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/** Reads a dot path ("a.b.c"); a key that itself contains dots is found first. */
export function getPath(source: IDataObject, path: string): unknown {
	if (Object.prototype.hasOwnProperty.call(source, path)) return source[path];
	let current: unknown = source;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isRecordObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMissing(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/**
 * What the TimeGenerated rule does to one record: `undefined` when the record is sent as it is,
 * the ISO 8601 value to set, or a RecordError (returned, not thrown, so callers can add context
 * without re-throwing). Records are never copied here: the copy is made only when a record is
 * serialised (see the packer), so it dies young instead of living through the whole upload.
 */
export function timeGeneratedUpdate(
	record: IDataObject,
	options: RecordOptions,
): string | undefined | RecordError {
	const current = record.TimeGenerated;
	if (options.timeGenerated === 'fromField') {
		const field = options.timeGeneratedField;
		const raw = getPath(record, field);
		if (isMissing(raw)) {
			return new RecordError(`has no value in "${field}" to set TimeGenerated from`, field);
		}
		const iso = toIso8601(raw);
		if (iso === undefined) {
			return new RecordError(
				`has "${field}" = ${describe(raw)}, which is not a date and time (ISO 8601 or Unix time)`,
				field,
			);
		}
		return iso === current ? undefined : iso;
	}
	if (isMissing(current)) {
		return options.timeGenerated === 'nowIfMissing' ? options.nowIso : undefined;
	}
	// Fast path: an ISO 8601 string that needs no change (the common case) costs one regex.
	if (typeof current === 'string' && ISO_8601.test(current)) return undefined;
	const iso = toIso8601(current);
	if (iso === undefined) {
		return new RecordError(
			`has TimeGenerated = ${describe(current)}, which is not a date and time (ISO 8601 or Unix time)`,
			'TimeGenerated',
		);
	}
	return iso === current ? undefined : iso;
}

/** The record as it is sent: the same object, or a shallow copy with TimeGenerated set. */
export function withTimeGenerated(record: IDataObject, time: string | undefined): IDataObject {
	return time === undefined ? record : { ...record, TimeGenerated: time };
}

/**
 * Hands every record of one input item to `add`, with its TimeGenerated update (see
 * timeGeneratedUpdate). Throws a RecordError naming the field; the caller adds the item index.
 * Messages are phrased to follow "Item N ...". Nothing is added when an error is thrown.
 */
export function collectRecords(
	json: IDataObject,
	options: RecordOptions,
	add: (record: IDataObject, time: string | undefined) => void,
): void {
	if (options.source === 'item') {
		const update = timeGeneratedUpdate(json, options);
		if (update instanceof RecordError) throw update;
		add(json, update);
		return;
	}
	const field = options.recordsField;
	const value = getPath(json, field);
	if (!Array.isArray(value)) {
		throw new RecordError(
			value === undefined
				? `has no field "${field}" (the array of records to send)`
				: `has "${field}" = ${describe(value)}, not an array of records`,
			field,
		);
	}
	const updates: Array<string | undefined> = new Array<string | undefined>(value.length);
	for (let i = 0; i < value.length; i++) {
		const element: unknown = value[i];
		if (!isRecordObject(element)) {
			throw new RecordError(
				`has "${field}[${i}]" = ${describe(element)}: every record must be a JSON object`,
				field,
			);
		}
		const update = timeGeneratedUpdate(element, options);
		if (update instanceof RecordError) {
			throw new RecordError(`has in "${field}[${i}]" a record that ${update.message}`, update.field);
		}
		updates[i] = update;
	}
	for (let i = 0; i < value.length; i++) add(value[i] as IDataObject, updates[i]);
}
