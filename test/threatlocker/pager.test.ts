import { pullAll, PagingLimitError, type PageRequest, type PageResponse } from '../../nodes/ThreatLocker/helpers/pager';

/**
 * An in-memory portal API with the behaviours the spec leaves open, so the pager is shown to be
 * correct for each of them and not just for the simulator's choices.
 */
type Row = { systemAuditId: string | null; dateTime: string; n: number };

interface FakeOptions {
	order?: 'newest' | 'oldest';
	beyondTen?: 'afterKeys' | 'reject' | 'repeatFirstPage' | 'offset';
	endExclusive?: boolean;
	truncateMs?: boolean;
	totals?: boolean;
	/** Called before each request (1-based count), e.g. to insert rows mid-paging. */
	beforeRequest?: (count: number, rows: Row[]) => void;
}

class FakeApi {
	requests: PageRequest[] = [];

	constructor(
		public rows: Row[],
		private readonly options: FakeOptions = {},
	) {}

	private sorted(): Row[] {
		const copy = [...this.rows].sort((a, b) => Date.parse(b.dateTime) - Date.parse(a.dateTime) || b.n - a.n);
		return this.options.order === 'oldest' ? copy.reverse() : copy;
	}

	fetchPage = async (request: PageRequest): Promise<PageResponse> => {
		this.requests.push(request);
		this.options.beforeRequest?.(this.requests.length, this.rows);
		const trunc = (ms: number) => (this.options.truncateMs ? Math.floor(ms / 1000) * 1000 : ms);
		const matching = this.sorted().filter((row) => {
			if (!request.window) return true;
			const t = Date.parse(row.dateTime);
			const end = trunc(request.window.end);
			return t >= trunc(request.window.start) && (this.options.endExclusive ? t < end : t <= end);
		});
		let offset = (request.pageNumber - 1) * request.pageSize;
		let list = matching;
		if (request.pageNumber > 10) {
			const mode = this.options.beyondTen ?? 'afterKeys';
			if (mode === 'reject') throw Object.assign(new Error('afterKeys required'), { status: 400 });
			if (mode === 'repeatFirstPage') offset = 0;
			if (mode === 'afterKeys') {
				const block = Math.floor((request.pageNumber - 1) / 10) * 10;
				const key = request.afterKeys?.[String(block)];
				if (!key) throw Object.assign(new Error('afterKeys required'), { status: 400 });
				const after = matching.findIndex((row) => row.n === key[1]);
				list = matching.slice(after + 1);
				offset = (request.pageNumber - 1 - block) * request.pageSize;
			}
		}
		const records = list.slice(offset, offset + request.pageSize);
		const last = records[records.length - 1];
		return {
			records: records.map((row) => ({ ...row })),
			info: {
				totalItems: this.options.totals === false ? undefined : matching.length,
				totalPages: this.options.totals === false ? undefined : Math.ceil(matching.length / request.pageSize),
				afterKeyLookup:
					this.options.beyondTen === 'afterKeys' || this.options.beyondTen === undefined
						? last
							? { [String(request.pageNumber)]: [Date.parse(last.dateTime), last.n] }
							: undefined
						: undefined,
			},
		};
	};
}

const T0 = Date.UTC(2024, 0, 1);

/** `count` rows spread one per `stepMs` from T0, `perSecond` sharing each timestamp. */
function makeRows(count: number, perSecond = 1, stepMs = 1000, nullIdEvery = 0): Row[] {
	return Array.from({ length: count }, (_, n) => ({
		systemAuditId: nullIdEvery && n % nullIdEvery === 0 ? null : `id-${n}`,
		dateTime: new Date(T0 + Math.floor(n / perSecond) * stepMs).toISOString(),
		n,
	}));
}

async function pull(api: FakeApi, options: Partial<Parameters<typeof pullAll>[0]> = {}) {
	const out: Array<Record<string, unknown>> = [];
	const stats = await pullAll({
		fetchPage: api.fetchPage,
		pageSize: 10,
		maxPageSize: 5000,
		window: { start: T0, end: T0 + 10_000_000 },
		isPagingRejection: (e) => (e as { status?: number }).status === 400,
		onRecord: (r) => out.push(r),
		...options,
	});
	return { out, stats, ns: out.map((r) => r.n as number) };
}

const all = (count: number) => Array.from({ length: count }, (_, i) => i);
const sortedNs = (ns: number[]) => [...ns].sort((a, b) => a - b);

describe('pullAll', () => {
	it('reads a small result with one request', async () => {
		const api = new FakeApi(makeRows(7));
		const { ns, stats } = await pull(api);
		expect(sortedNs(ns)).toEqual(all(7));
		expect(stats.requests).toBe(1);
	});

	it('pages past 10 with afterKeys when the API offers them', async () => {
		const api = new FakeApi(makeRows(257));
		const { ns, stats } = await pull(api);
		expect(ns).toEqual(all(257).reverse());
		expect(stats.usedAfterKeys).toBe(true);
		expect(api.requests.some((r) => r.pageNumber === 21 && r.afterKeys?.['20'])).toBe(true);
	});

	it.each(['reject', 'repeatFirstPage'] as const)(
		'narrows the date window when pages past 10 are %s',
		async (beyondTen) => {
			const api = new FakeApi(makeRows(257, 3), { beyondTen });
			const { ns, stats } = await pull(api);
			expect(ns).toHaveLength(257);
			expect(sortedNs(ns)).toEqual(all(257));
			expect(stats.windows).toBeGreaterThan(2);
		},
	);

	it('narrows without any paging headers at all', async () => {
		const api = new FakeApi(makeRows(333, 4), { beyondTen: 'reject', totals: false });
		const { ns } = await pull(api);
		expect(sortedNs(ns)).toEqual(all(333));
	});

	it.each([
		{ endExclusive: true, truncateMs: false },
		{ endExclusive: false, truncateMs: true },
		{ endExclusive: true, truncateMs: true },
	])('loses nothing at window edges when the API compares dates differently (%o)', async (edge) => {
		const api = new FakeApi(makeRows(500, 7, 250), { beyondTen: 'reject', ...edge });
		const { ns } = await pull(api, { window: { start: T0, end: T0 + 1_000_000 } });
		expect(sortedNs(ns)).toEqual(all(500));
	});

	it('handles oldest-first order too', async () => {
		const api = new FakeApi(makeRows(260, 2), { order: 'oldest', beyondTen: 'reject' });
		const { ns } = await pull(api);
		expect(sortedNs(ns)).toEqual(all(260));
	});

	it('switches to bigger pages when more than 10 pages share one second', async () => {
		const api = new FakeApi(makeRows(150, 150), { beyondTen: 'reject' });
		const { ns } = await pull(api);
		expect(sortedNs(ns)).toEqual(all(150));
		expect(api.requests.some((r) => r.pageSize >= 15)).toBe(true);
	});

	it('fails clearly when even the largest page size cannot fit', async () => {
		const api = new FakeApi(makeRows(150, 150), { beyondTen: 'reject' });
		await expect(pull(api, { maxPageSize: 10 })).rejects.toThrow(PagingLimitError);
	});

	it('reads endpoints without dates (Health Center) by growing the page size', async () => {
		const api = new FakeApi(makeRows(123), { beyondTen: 'reject' });
		const { ns } = await pull(api, { window: undefined });
		expect(sortedNs(ns)).toEqual(all(123));
	});

	it('dedupes records without id by content', async () => {
		const rows = makeRows(40, 1, 1000, 5);
		const api = new FakeApi(rows);
		const { ns } = await pull(api);
		expect(sortedNs(ns)).toEqual(all(40));
	});

	it('stops at the limit', async () => {
		const api = new FakeApi(makeRows(500));
		const { ns } = await pull(api, { limit: 25, pageSize: 100 });
		expect(ns).toEqual(all(500).reverse().slice(0, 25));
		expect(api.requests[0].pageSize).toBe(25);
		expect(api.requests).toHaveLength(1);
	});

	it('never passes on more than the limit, also when the re-read after inserts reaches it', async () => {
		let inserted = false;
		const insertOnce = (count: number, rows: Row[]) => {
			if (count !== 2 || inserted) return;
			inserted = true;
			// Newer rows arrive after page 1: the first pass misses some, the count probe finds them.
			for (let n = 100; n < 105; n++) rows.push({ systemAuditId: `late-${n}`, dateTime: new Date(T0 + n * 1000).toISOString(), n });
		};
		for (const limit of [46, 47, 50]) {
			inserted = false;
			const api = new FakeApi(makeRows(45), { beforeRequest: insertOnce });
			const { ns } = await pull(api, { limit, pageSize: 20 });
			expect(new Set(ns).size).toBe(ns.length);
			expect(ns).toHaveLength(Math.min(limit, 50));
		}
	});

	it('neither loses nor repeats records when new ones are inserted between pages', async () => {
		let next = 1000;
		const insert = (count: number, rows: Row[]) => {
			if (count % 3 !== 0 || next >= 1060) return;
			// Late-indexed rows inside the window, at varied positions of the newest-first list.
			for (let i = 0; i < 6; i++) {
				rows.push({ systemAuditId: `late-${next}`, dateTime: new Date(T0 + (next % 200) * 1000).toISOString(), n: next });
				next++;
			}
		};
		const api = new FakeApi(makeRows(200), { beyondTen: 'reject', beforeRequest: insert });
		const { ns, stats } = await pull(api);
		expect(new Set(ns).size).toBe(ns.length);
		expect(sortedNs(ns)).toEqual(sortedNs(api.rows.map((r) => r.n)));
		expect(stats.passes).toBeGreaterThan(1);
	});
});
