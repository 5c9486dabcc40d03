import type { IDataObject } from 'n8n-workflow';

import {
	collectRecords,
	getPath,
	timeGeneratedUpdate,
	RecordError,
	toIso8601,
	withTimeGenerated,
	type RecordOptions,
} from '../../nodes/AzureLogIngestion/helpers/records';

/** One record as the node sends it (a copy when TimeGenerated changes); throws its RecordError. */
function applyTimeGenerated(record: IDataObject, options: RecordOptions): IDataObject {
	const update = timeGeneratedUpdate(record, options);
	if (update instanceof RecordError) throw update;
	return withTimeGenerated(record, update);
}

/** The records of one input item as the node sends them. */
function recordsOfItem(json: IDataObject, options: RecordOptions): IDataObject[] {
	const records: IDataObject[] = [];
	collectRecords(json, options, (record, time) => records.push(withTimeGenerated(record, time)));
	return records;
}

const NOW = '2024-05-01T12:00:00.000Z';
const options = (overrides: Partial<RecordOptions> = {}): RecordOptions => ({
	source: 'item',
	recordsField: 'records',
	timeGenerated: 'nowIfMissing',
	timeGeneratedField: 'dateTime',
	nowIso: NOW,
	...overrides,
});

describe('toIso8601', () => {
	test.each([
		['2024-05-01T12:00:00Z', '2024-05-01T12:00:00Z'],
		['2024-05-01T12:00:00.123+02:00', '2024-05-01T12:00:00.123+02:00'],
		['2023-11-14 15:10:02', '2023-11-14T15:10:02.000Z'],
		['2023-11-14T15:10:02', '2023-11-14T15:10:02.000Z'],
		['2023-11-14', '2023-11-14T00:00:00.000Z'],
		['Tue, 14 Nov 2023 15:10:02 GMT', '2023-11-14T15:10:02.000Z'],
		[1700000000, '2023-11-14T22:13:20.000Z'],
		[1700000000123, '2023-11-14T22:13:20.123Z'],
		['1700000000', '2023-11-14T22:13:20.000Z'],
		[new Date('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z'],
	])('%p → %s', (input, expected) => {
		expect(toIso8601(input)).toBe(expected);
	});

	test.each([['not a date'], [''], [null], [undefined], [true], [{}], [NaN], ['2024-13-45T99:99:99Z']])(
		'%p is not a time',
		(input) => expect(toIso8601(input)).toBeUndefined(),
	);
});

describe('TimeGenerated', () => {
	test('nowIfMissing: sets the run time only when missing, keeps the input unchanged', () => {
		const input = { a: 1 };
		const output = applyTimeGenerated(input, options());
		expect(output).toEqual({ a: 1, TimeGenerated: NOW });
		expect(input).toEqual({ a: 1 });
		const kept = { TimeGenerated: '2024-01-01T00:00:00Z' };
		expect(applyTimeGenerated(kept, options())).toBe(kept);
		expect(applyTimeGenerated({ TimeGenerated: '' }, options())).toEqual({ TimeGenerated: NOW });
		expect(applyTimeGenerated({ TimeGenerated: null }, options())).toEqual({ TimeGenerated: NOW });
	});

	test('keep: missing stays missing; other formats are rewritten as ISO 8601', () => {
		const missing = { a: 1 };
		expect(applyTimeGenerated(missing, options({ timeGenerated: 'keep' }))).toBe(missing);
		expect(applyTimeGenerated({ TimeGenerated: '2023-11-14 15:10:02' }, options({ timeGenerated: 'keep' }))).toEqual({
			TimeGenerated: '2023-11-14T15:10:02.000Z',
		});
		expect(() => applyTimeGenerated({ TimeGenerated: 'soon' }, options({ timeGenerated: 'keep' }))).toThrow(
			/TimeGenerated = string "soon", which is not a date/,
		);
	});

	test('fromField: from a (nested) field, errors name the field', () => {
		expect(applyTimeGenerated({ dateTime: '2024-05-01 10:00:00' }, options({ timeGenerated: 'fromField' }))).toEqual({
			dateTime: '2024-05-01 10:00:00',
			TimeGenerated: '2024-05-01T10:00:00.000Z',
		});
		expect(
			applyTimeGenerated({ meta: { at: 1700000000 } }, options({ timeGenerated: 'fromField', timeGeneratedField: 'meta.at' })),
		).toEqual({ meta: { at: 1700000000 }, TimeGenerated: '2023-11-14T22:13:20.000Z' });
		try {
			applyTimeGenerated({}, options({ timeGenerated: 'fromField' }));
			throw new Error('expected a RecordError');
		} catch (error) {
			expect(error).toBeInstanceOf(RecordError);
			expect((error as RecordError).field).toBe('dateTime');
			expect((error as RecordError).message).toBe('has no value in "dateTime" to set TimeGenerated from');
		}
		expect(() => applyTimeGenerated({ dateTime: 'x' }, options({ timeGenerated: 'fromField' }))).toThrow(
			/"dateTime" = string "x"/,
		);
	});
});

describe('records of an item', () => {
	test('whole item', () => {
		expect(recordsOfItem({ a: 1 }, options())).toEqual([{ a: 1, TimeGenerated: NOW }]);
	});

	test('array field (dot path), each element a record', () => {
		const json = { batch: { records: [{ a: 1 }, { a: 2, TimeGenerated: '2024-01-01T00:00:00Z' }] } };
		expect(recordsOfItem(json, options({ source: 'field', recordsField: 'batch.records' }))).toEqual([
			{ a: 1, TimeGenerated: NOW },
			{ a: 2, TimeGenerated: '2024-01-01T00:00:00Z' },
		]);
		expect(recordsOfItem({ records: [] }, options({ source: 'field' }))).toEqual([]);
	});

	test.each([
		[{}, /has no field "records"/],
		[{ records: 'x' }, /has "records" = string "x", not an array/],
		[{ records: [1] }, /has "records\[0\]" = number 1: every record must be a JSON object/],
		[{ records: [{}, null] }, /"records\[1\]" = null/],
		[{ records: [{}, [1]] }, /"records\[1\]" = an array/],
	])('invalid %p', (json, message) => {
		expect(() => recordsOfItem(json, options({ source: 'field' }))).toThrow(message);
	});

	test('TimeGenerated errors inside arrays say which element', () => {
		expect(() =>
			recordsOfItem({ records: [{ dateTime: '2024-01-01' }, {}] }, options({ source: 'field', timeGenerated: 'fromField' })),
		).toThrow('has in "records[1]" a record that has no value in "dateTime" to set TimeGenerated from');
	});

	test('getPath prefers a literal key with dots', () => {
		expect(getPath({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
		expect(getPath({ a: { b: 2 } }, 'a.b')).toBe(2);
		expect(getPath({ a: [1] }, 'a.0')).toBeUndefined();
	});
});

describe('lazy TimeGenerated (what the node uses)', () => {
	test('timeGeneratedUpdate returns the value to set, or undefined to send the record as it is', () => {
		expect(timeGeneratedUpdate({ a: 1 }, options())).toBe(NOW);
		expect(timeGeneratedUpdate({ TimeGenerated: '2024-01-01T00:00:00Z' }, options())).toBeUndefined();
		expect(timeGeneratedUpdate({ TimeGenerated: 1700000000 }, options())).toBe('2023-11-14T22:13:20.000Z');
		expect(timeGeneratedUpdate({ a: 1 }, options({ timeGenerated: 'keep' }))).toBeUndefined();
		expect(timeGeneratedUpdate({ dateTime: '2024-01-01T00:00:00Z' }, options({ timeGenerated: 'fromField' }))).toBe(
			'2024-01-01T00:00:00Z',
		);
		expect(
			timeGeneratedUpdate(
				{ dateTime: '2024-01-01T00:00:00Z', TimeGenerated: '2024-01-01T00:00:00Z' },
				options({ timeGenerated: 'fromField' }),
			),
		).toBeUndefined();
		expect(timeGeneratedUpdate({ TimeGenerated: 'x' }, options())).toBeInstanceOf(RecordError);
	});

	test('collectRecords hands over the original objects with their updates, nothing on error', () => {
		const seen: Array<[unknown, string | undefined]> = [];
		const first = { a: 1 };
		collectRecords(first, options(), (record, time) => seen.push([record, time]));
		expect(seen).toEqual([[first, NOW]]);
		expect(seen[0][0]).toBe(first);
		seen.length = 0;
		const json = { records: [{ b: 1, TimeGenerated: '2024-01-01T00:00:00Z' }, { b: 2 }] };
		collectRecords(json, options({ source: 'field' }), (record, time) => seen.push([record, time]));
		expect(seen).toEqual([
			[json.records[0], undefined],
			[json.records[1], NOW],
		]);
		seen.length = 0;
		expect(() =>
			collectRecords({ records: [{ b: 1 }, 'x'] }, options({ source: 'field' }), (record, time) => seen.push([record, time])),
		).toThrow(RecordError);
		expect(seen).toEqual([]);
	});
});
