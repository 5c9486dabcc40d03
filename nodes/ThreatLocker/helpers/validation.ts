/** Input checks done before any request, so that a bad parameter never costs an API call. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_PAGE_SIZE = 5000;
/** Page size when the Page Size option is not set. */
export const DEFAULT_PAGE_SIZE = 1000;

/** Ranges are checked here and reported by the caller with the field name and item. */
export function isGuid(value: string): boolean {
	return GUID.test(value.trim());
}

export function isWholeNumberInRange(value: unknown, min: number, max: number): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Instance names are a single DNS label (a–h today; regional names may be longer). */
export function isValidInstance(value: string): boolean {
	return /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/i.test(value.trim());
}
