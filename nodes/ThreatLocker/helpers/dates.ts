/** Date handling for the portal API, which wants UTC `YYYY-MM-DDTHH:MM:SS(.mmm)Z`. */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Milliseconds since the epoch of a date parameter, or undefined when it is not a date. */
export function parseDateParameter(value: unknown): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'object' && value !== null && 'toISO' in value) {
		// Luxon DateTime from an expression such as {{ $now.minus({ hours: 1 }) }}.
		const iso = (value as { toISO: () => string | null }).toISO();
		return iso ? parseDateParameter(iso) : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!text) return undefined;
	// A date-time without a zone would be read in the server's local time: treat it as UTC, the
	// API's own convention, so that the same workflow gives the same window everywhere.
	const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text);
	const isoLocal = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/.test(text);
	let normalized = text;
	if (isoLocal && !hasZone) {
		normalized = text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`;
	}
	const parsed = Date.parse(normalized);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** The API's date format; milliseconds are kept only when there are any. */
export function formatApiDate(epochMs: number): string {
	const iso = new Date(epochMs).toISOString();
	return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Epoch milliseconds of a record's `dateTime`, or undefined when missing or unparseable. */
export function recordTime(record: { dateTime?: unknown }): number | undefined {
	return typeof record.dateTime === 'string' ? parseDateParameter(record.dateTime) : undefined;
}
