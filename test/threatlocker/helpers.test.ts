import { formatApiDate, parseDateParameter, recordTime } from '../../nodes/ThreatLocker/helpers/dates';
import { recordKey, SeenRecords, stableStringify } from '../../nodes/ThreatLocker/helpers/dedupe';
import { parsePageInfo } from '../../nodes/ThreatLocker/helpers/pagination';
import { isGuid, isValidInstance, isWholeNumberInRange } from '../../nodes/ThreatLocker/helpers/validation';
import { resolveBaseUrl, serviceMessage } from '../../nodes/ThreatLocker/transport';
import { rowsOf } from '../../nodes/ThreatLocker/actions/paging';
import { backoffMs, isTransientNetworkError, retryAfterMs, retryDelayMs } from '../../nodes/shared/retry';
import { redactSecrets } from '../../nodes/shared/redact';
import { isLoopbackHost } from '../../nodes/shared/url';

describe('dates', () => {
	it('parses ISO dates with and without zone, treating zone-less values as UTC', () => {
		expect(parseDateParameter('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
		expect(parseDateParameter('2024-05-01T12:00:00')).toBe(Date.UTC(2024, 4, 1, 12));
		expect(parseDateParameter('2024-05-01 12:00')).toBe(Date.UTC(2024, 4, 1, 12));
		expect(parseDateParameter('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
		expect(parseDateParameter('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
		expect(parseDateParameter('2024-05-01T12:00:00.250Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 250));
	});

	it('accepts Date objects, epoch numbers and Luxon-like objects', () => {
		expect(parseDateParameter(new Date(Date.UTC(2024, 0, 1)))).toBe(Date.UTC(2024, 0, 1));
		expect(parseDateParameter(1_700_000_000_000)).toBe(1_700_000_000_000);
		expect(parseDateParameter({ toISO: () => '2024-01-01T00:00:00.000Z' })).toBe(Date.UTC(2024, 0, 1));
	});

	it('rejects what is not a date', () => {
		for (const bad of ['yesterday', '2024-13-45T00:00:00Z', '', '   ', {}, null, Number.NaN, new Date('x')]) {
			expect(parseDateParameter(bad)).toBeUndefined();
		}
	});

	it('formats for the API, with milliseconds only when there are any', () => {
		expect(formatApiDate(Date.UTC(2024, 4, 1, 12))).toBe('2024-05-01T12:00:00Z');
		expect(formatApiDate(Date.UTC(2024, 4, 1, 12, 0, 0, 5))).toBe('2024-05-01T12:00:00.005Z');
	});

	it('reads record times', () => {
		expect(recordTime({ dateTime: '2024-05-01T12:00:00Z' })).toBe(Date.UTC(2024, 4, 1, 12));
		expect(recordTime({ dateTime: null })).toBeUndefined();
		expect(recordTime({})).toBeUndefined();
	});
});

describe('dedupe', () => {
	it('keys by systemAuditId, case-insensitively', () => {
		expect(recordKey({ systemAuditId: 'ABC-1', x: 1 })).toBe(recordKey({ systemAuditId: 'abc-1', x: 2 }));
	});

	it('keys records without id by their whole content, whatever the key order', () => {
		const a = { systemAuditId: null, dateTime: 't', details: { b: 1, a: 2 } };
		const b = { details: { a: 2, b: 1 }, dateTime: 't', systemAuditId: null };
		const c = { systemAuditId: null, dateTime: 't', details: { a: 2, b: 3 } };
		expect(recordKey(a)).toBe(recordKey(b));
		expect(recordKey(a)).not.toBe(recordKey(c));
		expect(stableStringify(b)).toBe('{"dateTime":"t","details":{"a":2,"b":1},"systemAuditId":null}');
	});

	it('remembers what it has seen', () => {
		const seen = new SeenRecords();
		expect(seen.add({ systemAuditId: '1' })).toBe(true);
		expect(seen.add({ systemAuditId: '1' })).toBe(false);
		expect(seen.add({ systemAuditId: '' , n: 1 })).toBe(true);
		expect(seen.add({ systemAuditId: '' , n: 1 })).toBe(false);
		expect(seen.size).toBe(2);
	});
});

describe('pagination header', () => {
	it('reads the JSON Pagination header with any key case and an object afterKeyLookup', () => {
		const info = parsePageInfo({
			pagination: JSON.stringify({ CurrentPage: 1, TotalItems: 42, totalPages: '5', afterKeyLookup: { '1': [5, 'x'], bad: 1 } }),
		});
		expect(info).toEqual({ totalItems: 42, totalPages: 5, afterKeyLookup: { '1': [5, 'x'] } });
	});

	it('ignores afterKeyLookup of another shape, and malformed JSON', () => {
		expect(parsePageInfo({ Pagination: JSON.stringify({ totalItems: 3, afterKeyLookup: [1, 2] }) })).toEqual({ totalItems: 3, totalPages: undefined });
		expect(parsePageInfo({ pagination: '{not json' })).toEqual({ totalItems: undefined, totalPages: undefined });
	});

	it('falls back to separate totalItems / totalPages headers', () => {
		expect(parsePageInfo({ totalitems: '7', totalpages: '2' })).toEqual({ totalItems: 7, totalPages: 2 });
		expect(parsePageInfo(undefined)).toEqual({ totalItems: undefined, totalPages: undefined });
	});
});

describe('validation', () => {
	it('checks GUIDs, instances and ranges', () => {
		expect(isGuid('00000000-0000-0000-0000-000000000000')).toBe(true);
		expect(isGuid(' 3F2504E0-4F89-11D3-9A0C-0305E82C3301 ')).toBe(true);
		expect(isGuid('3F2504E0-4F89-11D3-9A0C')).toBe(false);
		expect(isValidInstance('g')).toBe(true);
		expect(isValidInstance('eu1')).toBe(true);
		expect(isValidInstance('g.evil.com')).toBe(false);
		expect(isValidInstance('')).toBe(false);
		expect(isWholeNumberInRange(5000, 1, 5000)).toBe(true);
		expect(isWholeNumberInRange(5001, 1, 5000)).toBe(false);
		expect(isWholeNumberInRange(1.5, 1, 5000)).toBe(false);
		expect(isWholeNumberInRange('5', 1, 5000)).toBe(false);
	});

	it('resolves the base URL from the instance or the override', () => {
		expect(resolveBaseUrl({ instance: 'G ' })).toBe('https://portalapi.g.threatlocker.com');
		expect(resolveBaseUrl({ instance: 'g', baseUrl: 'https://betaportalapi.g.threatlocker.com/portalapi/' })).toBe(
			'https://betaportalapi.g.threatlocker.com',
		);
		expect(resolveBaseUrl({ instance: 'g', baseUrl: 'http://127.0.0.1:9000' })).toBe('http://127.0.0.1:9000');
		expect(() => resolveBaseUrl({ instance: 'g', baseUrl: 'http://proxy.example.com' })).toThrow(/https/);
		expect(() => resolveBaseUrl({ instance: 'g', baseUrl: 'ftp://x' })).toThrow(/not an http/);
		expect(() => resolveBaseUrl({ instance: 'g.example.com/x' })).toThrow(/Instance/);
	});

	it('knows loopback hosts', () => {
		for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'api.localhost']) expect(isLoopbackHost(host)).toBe(true);
		for (const host of ['example.com', '10.0.0.1', '127.example.com', 'localhost.example.com']) expect(isLoopbackHost(host)).toBe(false);
	});
});

describe('responses', () => {
	it("extracts ThreatLocker's message in any key case", () => {
		expect(serviceMessage({ LoggerId: 'x', StatusCode: 400, Message: 'Invalid Date Range' })).toBe('Invalid Date Range');
		expect(serviceMessage('{"message":"Unauthorized","error":"TOKEN_REVOKED"}')).toBe('Unauthorized — TOKEN_REVOKED');
		expect(serviceMessage('<html>gateway</html>')).toBe('<html>gateway</html>');
		expect(serviceMessage('')).toBeUndefined();
		expect(serviceMessage([1])).toBeUndefined();
	});

	it('treats empty and null bodies as no rows, and refuses objects', () => {
		expect(rowsOf(null)).toEqual([]);
		expect(rowsOf('')).toEqual([]);
		expect(rowsOf([{ a: 1 }, null, 3])).toEqual([{ a: 1 }]);
		expect(() => rowsOf({ a: 1 })).toThrow(/list of records/);
	});
});

describe('retry timing', () => {
	const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

	it('honours Retry-After seconds and dates, and retry-after-ms', () => {
		expect(retryAfterMs({ 'Retry-After': '2' })).toBe(2000);
		expect(retryAfterMs({ 'retry-after-ms': '150' })).toBe(150);
		expect(retryAfterMs({ 'x-ms-retry-after-ms': '20', 'retry-after': '9' })).toBe(20);
		expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 7_000)).toBe(3000);
		expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
		expect(retryAfterMs({})).toBeUndefined();
	});

	it('backs off exponentially with jitter, bounded', () => {
		expect(backoffMs(1, policy, () => 0)).toBe(50);
		expect(backoffMs(1, policy, () => 1)).toBe(100);
		expect(backoffMs(3, policy, () => 1)).toBe(400);
		expect(backoffMs(10, policy, () => 1)).toBe(1000);
		expect(retryDelayMs(1, policy, { 'retry-after': '30' })).toBe(1000);
		expect(retryDelayMs(1, policy, { 'retry-after': '0' })).toBe(0);
	});

	it('recognises transient network errors, also when wrapped', () => {
		expect(isTransientNetworkError({ code: 'ECONNRESET' })).toBe(true);
		expect(isTransientNetworkError(new Error('socket hang up'))).toBe(true);
		expect(isTransientNetworkError({ cause: { code: 'ETIMEDOUT' } })).toBe(true);
		expect(isTransientNetworkError({ code: 'ENOTFOUND' })).toBe(false);
		expect(isTransientNetworkError('x')).toBe(false);
	});

	it('redacts secrets and bearer tokens', () => {
		const key = 'a'.repeat(64);
		expect(redactSecrets(`key ${key} and Bearer abc.def-ghi`, [key, 'short'])).toBe('key [redacted] and Bearer [redacted]');
	});
});
