import { recordTime } from './dates';
import { SeenRecords } from './dedupe';
import type { PageInfo } from './pagination';

/**
 * Reads every record of a query exactly once, whatever the API's paging does.
 *
 * The portal API pages by offset and refuses pages past 10 unless the request carries `afterKeys`
 * built from the `afterKeyLookup` values of earlier pages. That cursor's shape is not documented, so
 * it is used only when it looks like `{"<int>": [...]}` and the API accepts it. Otherwise a date
 * window that needs more than 10 pages is narrowed to end just after the oldest record already
 * read (newest-first order; oldest-first is detected and handled the same way from the other
 * side), which never needs afterKeys at all. Offsets shift when records are inserted while we
 * page; the overlap this causes is removed by `SeenRecords`, and a final count check re-reads the
 * range when the API reports more records than were seen.
 */

export const MAX_OFFSET_PAGES = 10;

/** A date window in epoch milliseconds, both ends inclusive. */
export interface DateWindow {
	start: number;
	end: number;
}

export interface PageRequest {
	pageNumber: number;
	pageSize: number;
	afterKeys?: Record<string, unknown[]>;
	/** Undefined for endpoints without a date range (Health Center login attempts). */
	window?: DateWindow;
}

export interface PageResponse {
	records: Array<Record<string, unknown>>;
	info: PageInfo;
}

export interface PullOptions {
	fetchPage: (request: PageRequest) => Promise<PageResponse>;
	pageSize: number;
	/** Largest page size the pager may switch to when it cannot page further otherwise. */
	maxPageSize: number;
	window?: DateWindow;
	/** Stop after this many new records; undefined reads everything. */
	limit?: number;
	/** True when an error means "afterKeys not accepted" (then the pager narrows instead). */
	isPagingRejection: (error: unknown) => boolean;
	/** Receives each new record once, in the order read. */
	onRecord: (record: Record<string, unknown>) => void;
	/** Extra passes allowed when the final count check finds records that were missed. */
	maxExtraPasses?: number;
}

export interface PullStats {
	requests: number;
	records: number;
	duplicates: number;
	windows: number;
	passes: number;
	usedAfterKeys: boolean;
}

export class PagingLimitError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PagingLimitError';
	}
}

const OVERLAP_MS = 1000;

type WindowOutcome =
	| { kind: 'done'; totalItems?: number }
	| { kind: 'limit' }
	| { kind: 'narrow'; window: DateWindow }
	| { kind: 'biggerPages'; pageSize: number };

/** Time of the first (direction 1) or last (-1) record that has a parseable `dateTime`. */
function firstDated(records: Array<Record<string, unknown>>, direction: 1 | -1): number | undefined {
	const count = records.length;
	for (let i = 0; i < count; i++) {
		const time = recordTime(records[direction === 1 ? i : count - 1 - i]);
		if (time !== undefined) return time;
	}
	return undefined;
}

export async function pullAll(options: PullOptions): Promise<PullStats> {
	const seen = new SeenRecords();
	const stats: PullStats = {
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

	const atLimit = () => limit !== undefined && stats.records >= limit;
	/** Passes a record on once; 'limit' when the limit was already reached (nothing passed on). */
	const accept = (record: Record<string, unknown>): 'fresh' | 'seen' | 'limit' => {
		if (atLimit()) return 'limit';
		if (!seen.add(record)) return 'seen';
		stats.records++;
		options.onRecord(record);
		return 'fresh';
	};

	const fetch = async (request: PageRequest) => {
		stats.requests++;
		return await options.fetchPage(request);
	};

	const readWindow = async (window: DateWindow | undefined, pageSize: number): Promise<WindowOutcome> => {
		stats.windows++;
		const afterKeys: Record<string, unknown[]> = {};
		let firstTime: number | undefined;
		let lastTime: number | undefined;
		let lastInfo: PageInfo = {};
		for (let pageNumber = 1; ; pageNumber++) {
			const beyondOffsetPaging = pageNumber > MAX_OFFSET_PAGES;
			if (beyondOffsetPaging && (!afterKeysUsable || Object.keys(afterKeys).length === 0)) {
				return fallback(window, pageSize, firstTime, lastTime, lastInfo);
			}
			const request = fetch({
				pageNumber,
				pageSize,
				window,
				afterKeys: beyondOffsetPaging ? { ...afterKeys } : undefined,
			});
			// Past page 10 a rejection means "afterKeys not accepted": narrow instead of failing.
			const page = beyondOffsetPaging
				? await request.catch((error: unknown) => {
						if (options.isPagingRejection(error)) return undefined;
						return Promise.reject(error);
					})
				: await request;
			if (!page) {
				afterKeysUsable = false;
				return fallback(window, pageSize, firstTime, lastTime, lastInfo);
			}
			lastInfo = page.info;
			if (page.info.afterKeyLookup) Object.assign(afterKeys, page.info.afterKeyLookup);
			// Only the first and the last dated record matter for narrowing: no per-record parsing.
			firstTime ??= firstDated(page.records, 1);
			lastTime = firstDated(page.records, -1) ?? lastTime;
			let fresh = 0;
			for (const record of page.records) {
				const fate = accept(record);
				if (fate === 'limit') return { kind: 'limit' };
				if (fate === 'seen') stats.duplicates++;
				else fresh++;
			}
			if (atLimit()) return { kind: 'limit' };
			if (beyondOffsetPaging) {
				stats.usedAfterKeys = true;
				// A full page of nothing new: the API ignored the cursor. Stop trusting it.
				if (fresh === 0 && page.records.length > 0) {
					afterKeysUsable = false;
					return fallback(window, pageSize, firstTime, lastTime, lastInfo);
				}
			}
			if (page.records.length < pageSize) return { kind: 'done', totalItems: page.info.totalItems };
			if (page.info.totalPages !== undefined && pageNumber >= page.info.totalPages) {
				return { kind: 'done', totalItems: page.info.totalItems };
			}
		}
	};

	const fallback = (
		window: DateWindow | undefined,
		pageSize: number,
		firstTime: number | undefined,
		lastTime: number | undefined,
		info: PageInfo,
	): WindowOutcome => {
		if (window && firstTime !== undefined && lastTime !== undefined && firstTime !== lastTime) {
			// Everything strictly newer (or older) than the last record read has been seen; keep
			// one second of overlap so that records sharing that second are not lost whether the
			// API compares dates inclusively or not, or truncates milliseconds.
			const narrowed =
				firstTime > lastTime
					? { start: window.start, end: Math.min(window.end, lastTime + OVERLAP_MS) }
					: { start: Math.max(window.start, lastTime - OVERLAP_MS), end: window.end };
			if (narrowed.end - narrowed.start < window.end - window.start) {
				return { kind: 'narrow', window: narrowed };
			}
		}
		// No date to narrow by (or every record of 10 pages shares one second): read the window
		// again with pages large enough to fit in 10.
		const needed =
			info.totalItems !== undefined
				? Math.ceil(info.totalItems / MAX_OFFSET_PAGES)
				: pageSize * MAX_OFFSET_PAGES;
		const bigger = Math.min(options.maxPageSize, Math.max(needed, pageSize * 2));
		if (bigger <= pageSize) {
			throw new PagingLimitError(
				`More than ${MAX_OFFSET_PAGES * pageSize} records match and the API offers no usable afterKeys cursor${
					window ? ' and they share one second' : ''
				}. Narrow the query (filters${window ? ' or a shorter date range' : ' or fewer days'}).`,
			);
		}
		return { kind: 'biggerPages', pageSize: bigger };
	};

	/** 'complete' when the pass read the whole range in one window and saw all it counted. */
	const pass = async (): Promise<'complete' | 'done' | 'limit'> => {
		stats.passes++;
		let window = options.window;
		let pageSize = basePageSize;
		for (let windows = 1; ; windows++) {
			const outcome = await readWindow(window, pageSize);
			if (outcome.kind === 'limit') return 'limit';
			if (outcome.kind === 'done') {
				// The last page's total counts every record inserted before it was served, so
				// having seen that many means no insert shifted a record past us.
				const total = outcome.totalItems;
				return windows === 1 && total !== undefined && seen.size >= total ? 'complete' : 'done';
			}
			if (outcome.kind === 'narrow') window = outcome.window;
			else pageSize = outcome.pageSize;
		}
	};

	const countMatching = async (): Promise<number | undefined> => {
		const probe = await fetch({ pageNumber: 1, pageSize: 1, window: options.window });
		for (const record of probe.records) if (accept(record) === 'limit') break;
		return probe.info.totalItems;
	};

	const first = await pass();
	// A single request cannot have been disturbed by records arriving between pages.
	if (first !== 'done' || stats.requests === 1) return stats;
	const extraPasses = options.maxExtraPasses ?? 2;
	for (let extra = 0; extra < extraPasses; extra++) {
		const total = await countMatching();
		if (total === undefined || seen.size >= total || atLimit()) break;
		const again = await pass();
		if (again !== 'done') break;
	}
	return stats;
}

/** Every record pullAll passes on, in the order it passes them on. */
export async function collectAll(options: Omit<PullOptions, 'onRecord'>): Promise<Array<Record<string, unknown>>> {
	const records: Array<Record<string, unknown>> = [];
	await pullAll({ ...options, onRecord: (record) => records.push(record) });
	return records;
}
