import { headerValue, type HeaderBag } from '../../shared/retry';

/** What a page's response headers tell about the whole result set. */
export interface PageInfo {
	totalItems?: number;
	totalPages?: number;
	/** `afterKeyLookup` entries when they have the documented shape `{"<int>": [values]}`. */
	afterKeyLookup?: Record<string, unknown[]>;
}

function toCount(value: unknown): number | undefined {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Reads the `Pagination` header (JSON, any key case) or, failing that, separate
 * `totalItems`/`totalPages` headers. Unknown or malformed shapes yield empty info, never an
 * error: the pager is correct without any of it.
 */
export function parsePageInfo(headers: HeaderBag | undefined): PageInfo {
	const info: PageInfo = {};
	const raw = headerValue(headers, 'pagination');
	if (raw) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			parsed = undefined;
		}
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			const fields = new Map(
				Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
			);
			info.totalItems = toCount(fields.get('totalitems'));
			info.totalPages = toCount(fields.get('totalpages'));
			const lookup = fields.get('afterkeylookup');
			if (lookup && typeof lookup === 'object' && !Array.isArray(lookup)) {
				const entries = Object.entries(lookup as Record<string, unknown>).filter(
					([key, value]) => /^\d+$/.test(key) && Array.isArray(value),
				) as Array<[string, unknown[]]>;
				if (entries.length > 0) info.afterKeyLookup = Object.fromEntries(entries);
			}
		}
	}
	info.totalItems ??= toCount(headerValue(headers, 'totalitems'));
	info.totalPages ??= toCount(headerValue(headers, 'totalpages'));
	return info;
}
