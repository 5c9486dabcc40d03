import { ItemLedger } from '../../nodes/AzureLogIngestion/helpers/ledger';
import type { SendFailure } from '../../nodes/AzureLogIngestion/helpers/pipeline';

const failure = (message: string): SendFailure => ({ ok: false, status: 500, message, attempts: 1, bytesOnWire: 1 });

describe('ItemLedger', () => {
	test('maps records to items and counts every fate', () => {
		const ledger = new ItemLedger(4);
		// item 0: 2 records, item 1: none, item 2: 3 records, item 3: 1 record
		for (const item of [0, 0, 2, 2, 2, 3]) ledger.addRecord(item);
		expect(ledger.totalRecords).toBe(6);
		expect(Array.from(ledger.records)).toEqual([2, 0, 3, 1]);
		expect(Array.from(ledger.firstRecord)).toEqual([0, -1, 2, 5]);
		expect(ledger.itemOf(4)).toBe(2);
		ledger.accept(0, 3);
		ledger.fail(3, 2, failure('first'));
		ledger.fail(4, 1, failure('second'));
		ledger.reject(5, { message: 'too large', field: 'json' });
		expect(Array.from(ledger.accepted)).toEqual([2, 0, 1, 0]);
		expect(Array.from(ledger.failed)).toEqual([0, 0, 3, 1]);
		expect(ledger.failureOf(2)?.message).toBe('first');
		expect(ledger.problemOf(3)).toEqual({ message: 'too large', field: 'json' });
		expect(ledger.failedItems()).toEqual([2, 3]);
		expect(ledger.totals()).toEqual({ accepted: 3, notAccepted: 4 });
	});

	test('an item problem without records fails the item', () => {
		const ledger = new ItemLedger(2);
		ledger.setProblem(1, { message: 'Item 1 has no field "records"', field: 'records' });
		ledger.setProblem(1, { message: 'ignored: the first problem stays', field: 'x' });
		expect(ledger.failedItems()).toEqual([1]);
		expect(ledger.problemOf(1)?.field).toBe('records');
		expect(ledger.totals()).toEqual({ accepted: 0, notAccepted: 0 });
	});

	test('grows past its first guess of the record count', () => {
		const ledger = new ItemLedger(1);
		for (let i = 0; i < 1000; i++) ledger.addRecord(0);
		ledger.accept(0, 1000);
		expect(ledger.accepted[0]).toBe(1000);
		expect(ledger.itemOf(999)).toBe(0);
	});
});
