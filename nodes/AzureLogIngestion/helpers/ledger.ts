/**
 * The fate of every input item: how many records it gave, how many Azure accepted, and why the
 * others were not. Typed arrays rather than one object per item: with hundreds of thousands of
 * items, fewer long-lived objects means cheaper garbage collection during the upload.
 */
import type { SendFailure } from './pipeline';

export interface ItemProblem {
	/** In words, starting with the item ("Item 3 has ..." / "Record 2 of item 3 ..."). */
	message: string;
	field: string;
}

export class ItemLedger {
	/** Records per item. */
	readonly records: Int32Array;

	readonly accepted: Int32Array;

	readonly failed: Int32Array;

	/** Index of the item's first record, -1 when it has none. */
	readonly firstRecord: Int32Array;

	/** Item of each record, by record index. */
	private recordItem: Int32Array;

	private recordCount = 0;

	private readonly failures = new Map<number, SendFailure>();

	private readonly problems = new Map<number, ItemProblem>();

	constructor(readonly itemCount: number) {
		this.records = new Int32Array(itemCount);
		this.accepted = new Int32Array(itemCount);
		this.failed = new Int32Array(itemCount);
		this.firstRecord = new Int32Array(itemCount).fill(-1);
		this.recordItem = new Int32Array(Math.max(16, itemCount));
	}

	get totalRecords(): number {
		return this.recordCount;
	}

	/** Registers the next record (records are numbered in the order they are added). */
	addRecord(item: number): number {
		if (this.recordCount === this.recordItem.length) {
			const grown = new Int32Array(this.recordItem.length * 2);
			grown.set(this.recordItem);
			this.recordItem = grown;
		}
		if (this.firstRecord[item] === -1) this.firstRecord[item] = this.recordCount;
		this.records[item]++;
		this.recordItem[this.recordCount] = item;
		return this.recordCount++;
	}

	itemOf(record: number): number {
		return this.recordItem[record];
	}

	accept(start: number, count: number): void {
		for (let record = start; record < start + count; record++) this.accepted[this.recordItem[record]]++;
	}

	fail(start: number, count: number, failure: SendFailure): void {
		for (let record = start; record < start + count; record++) {
			const item = this.recordItem[record];
			this.failed[item]++;
			if (!this.failures.has(item)) this.failures.set(item, failure);
		}
	}

	/** A record that was not sent (too large): counts as not accepted, with an explanation. */
	reject(record: number, problem: ItemProblem): void {
		const item = this.recordItem[record];
		this.failed[item]++;
		this.setProblem(item, problem);
	}

	/** An item whose data cannot be sent at all (its records were never registered). */
	setProblem(item: number, problem: ItemProblem): void {
		if (!this.problems.has(item)) this.problems.set(item, problem);
	}

	failureOf(item: number): SendFailure | undefined {
		return this.failures.get(item);
	}

	problemOf(item: number): ItemProblem | undefined {
		return this.problems.get(item);
	}

	isFailed(item: number): boolean {
		return this.failed[item] > 0 || this.problems.has(item);
	}

	/** Items that did not go through completely, in order. */
	failedItems(): number[] {
		const result: number[] = [];
		for (let item = 0; item < this.itemCount; item++) if (this.isFailed(item)) result.push(item);
		return result;
	}

	totals(): { accepted: number; notAccepted: number } {
		let accepted = 0;
		let notAccepted = 0;
		for (let item = 0; item < this.itemCount; item++) {
			accepted += this.accepted[item];
			notAccepted += this.failed[item];
		}
		return { accepted, notAccepted };
	}
}
