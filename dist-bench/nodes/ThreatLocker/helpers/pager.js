"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PagingLimitError = exports.MAX_OFFSET_PAGES = void 0;
exports.pullAll = pullAll;
const dates_1 = require("./dates");
const dedupe_1 = require("./dedupe");
exports.MAX_OFFSET_PAGES = 10;
class PagingLimitError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PagingLimitError';
    }
}
exports.PagingLimitError = PagingLimitError;
const OVERLAP_MS = 1000;
function firstDated(records, direction) {
    const count = records.length;
    for (let i = 0; i < count; i++) {
        const time = (0, dates_1.recordTime)(records[direction === 1 ? i : count - 1 - i]);
        if (time !== undefined)
            return time;
    }
    return undefined;
}
async function pullAll(options) {
    const seen = new dedupe_1.SeenRecords();
    const stats = {
        requests: 0,
        records: 0,
        duplicates: 0,
        windows: 0,
        passes: 0,
        usedAfterKeys: false,
    };
    let afterKeysUsable = true;
    const limit = options.limit;
    const basePageSize = limit !== undefined ? Math.min(options.pageSize, limit) : options.pageSize;
    const fetch = async (request) => {
        stats.requests++;
        return await options.fetchPage(request);
    };
    const readWindow = async (window, pageSize) => {
        stats.windows++;
        const afterKeys = {};
        let firstTime;
        let lastTime;
        let lastInfo = {};
        for (let pageNumber = 1;; pageNumber++) {
            const beyondOffsetPaging = pageNumber > exports.MAX_OFFSET_PAGES;
            if (beyondOffsetPaging && (!afterKeysUsable || Object.keys(afterKeys).length === 0)) {
                return fallback(window, pageSize, firstTime, lastTime, lastInfo);
            }
            const request = fetch({
                pageNumber,
                pageSize,
                window,
                afterKeys: beyondOffsetPaging ? { ...afterKeys } : undefined,
            });
            const page = beyondOffsetPaging
                ? await request.catch((error) => {
                    if (options.isPagingRejection(error))
                        return undefined;
                    return Promise.reject(error);
                })
                : await request;
            if (!page) {
                afterKeysUsable = false;
                return fallback(window, pageSize, firstTime, lastTime, lastInfo);
            }
            lastInfo = page.info;
            if (page.info.afterKeyLookup)
                Object.assign(afterKeys, page.info.afterKeyLookup);
            firstTime ??= firstDated(page.records, 1);
            lastTime = firstDated(page.records, -1) ?? lastTime;
            let fresh = 0;
            for (const record of page.records) {
                if (!seen.add(record)) {
                    stats.duplicates++;
                    continue;
                }
                fresh++;
                stats.records++;
                options.onRecord(record);
                if (limit !== undefined && stats.records >= limit)
                    return { kind: 'limit' };
            }
            if (beyondOffsetPaging) {
                stats.usedAfterKeys = true;
                if (fresh === 0 && page.records.length > 0) {
                    afterKeysUsable = false;
                    return fallback(window, pageSize, firstTime, lastTime, lastInfo);
                }
            }
            if (page.records.length < pageSize)
                return { kind: 'done', totalItems: page.info.totalItems };
            if (page.info.totalPages !== undefined && pageNumber >= page.info.totalPages) {
                return { kind: 'done', totalItems: page.info.totalItems };
            }
        }
    };
    const fallback = (window, pageSize, firstTime, lastTime, info) => {
        if (window && firstTime !== undefined && lastTime !== undefined && firstTime !== lastTime) {
            const narrowed = firstTime > lastTime
                ? { start: window.start, end: Math.min(window.end, lastTime + OVERLAP_MS) }
                : { start: Math.max(window.start, lastTime - OVERLAP_MS), end: window.end };
            if (narrowed.end - narrowed.start < window.end - window.start) {
                return { kind: 'narrow', window: narrowed };
            }
        }
        const needed = info.totalItems !== undefined
            ? Math.ceil(info.totalItems / exports.MAX_OFFSET_PAGES)
            : pageSize * exports.MAX_OFFSET_PAGES;
        const bigger = Math.min(options.maxPageSize, Math.max(needed, pageSize * 2));
        if (bigger <= pageSize) {
            throw new PagingLimitError(`More than ${exports.MAX_OFFSET_PAGES * pageSize} records match and the API offers no usable afterKeys cursor${window ? ' and they share one second' : ''}. Narrow the query (filters${window ? ' or a shorter date range' : ' or fewer days'}).`);
        }
        return { kind: 'biggerPages', pageSize: bigger };
    };
    const pass = async () => {
        stats.passes++;
        let window = options.window;
        let pageSize = basePageSize;
        for (let windows = 1;; windows++) {
            const outcome = await readWindow(window, pageSize);
            if (outcome.kind === 'limit')
                return 'limit';
            if (outcome.kind === 'done') {
                const total = outcome.totalItems;
                return windows === 1 && total !== undefined && seen.size >= total ? 'complete' : 'done';
            }
            if (outcome.kind === 'narrow')
                window = outcome.window;
            else
                pageSize = outcome.pageSize;
        }
    };
    const countMatching = async () => {
        const probe = await fetch({ pageNumber: 1, pageSize: 1, window: options.window });
        for (const record of probe.records) {
            if (limit !== undefined && stats.records >= limit)
                break;
            if (seen.add(record)) {
                stats.records++;
                options.onRecord(record);
            }
        }
        return probe.info.totalItems;
    };
    const first = await pass();
    if (first !== 'done' || stats.requests === 1)
        return stats;
    const extraPasses = options.maxExtraPasses ?? 2;
    for (let extra = 0; extra < extraPasses; extra++) {
        const total = await countMatching();
        if (total === undefined || seen.size >= total)
            break;
        const again = await pass();
        if (again !== 'done')
            break;
    }
    return stats;
}
