"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ItemLedger = void 0;
class ItemLedger {
    itemCount;
    records;
    accepted;
    failed;
    firstRecord;
    recordItem;
    recordCount = 0;
    failures = new Map();
    problems = new Map();
    constructor(itemCount) {
        this.itemCount = itemCount;
        this.records = new Int32Array(itemCount);
        this.accepted = new Int32Array(itemCount);
        this.failed = new Int32Array(itemCount);
        this.firstRecord = new Int32Array(itemCount).fill(-1);
        this.recordItem = new Int32Array(Math.max(16, itemCount));
    }
    get totalRecords() {
        return this.recordCount;
    }
    addRecord(item) {
        if (this.recordCount === this.recordItem.length) {
            const grown = new Int32Array(this.recordItem.length * 2);
            grown.set(this.recordItem);
            this.recordItem = grown;
        }
        if (this.firstRecord[item] === -1)
            this.firstRecord[item] = this.recordCount;
        this.records[item]++;
        this.recordItem[this.recordCount] = item;
        return this.recordCount++;
    }
    itemOf(record) {
        return this.recordItem[record];
    }
    accept(start, count) {
        for (let record = start; record < start + count; record++)
            this.accepted[this.recordItem[record]]++;
    }
    fail(start, count, failure) {
        for (let record = start; record < start + count; record++) {
            const item = this.recordItem[record];
            this.failed[item]++;
            if (!this.failures.has(item))
                this.failures.set(item, failure);
        }
    }
    reject(record, problem) {
        const item = this.recordItem[record];
        this.failed[item]++;
        this.setProblem(item, problem);
    }
    setProblem(item, problem) {
        if (!this.problems.has(item))
            this.problems.set(item, problem);
    }
    failureOf(item) {
        return this.failures.get(item);
    }
    problemOf(item) {
        return this.problems.get(item);
    }
    isFailed(item) {
        return this.failed[item] > 0 || this.problems.has(item);
    }
    failedItems() {
        const result = [];
        for (let item = 0; item < this.itemCount; item++)
            if (this.isFailed(item))
                result.push(item);
        return result;
    }
    totals() {
        let accepted = 0;
        let notAccepted = 0;
        for (let item = 0; item < this.itemCount; item++) {
            accepted += this.accepted[item];
            notAccepted += this.failed[item];
        }
        return { accepted, notAccepted };
    }
}
exports.ItemLedger = ItemLedger;
