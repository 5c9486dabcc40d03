import { createHash } from 'crypto';

/**
 * Remembers which records were already returned. The key is `systemAuditId`; records whose id is
 * null (the API allows it) are keyed by a hash of their whole content, so two reads of the same
 * record still collapse while distinct records never do.
 */
export function recordKey(record: Record<string, unknown>): string {
	const id = record.systemAuditId;
	// GUIDs as they come (V8 returns the same string when it is already lower case); content
	// hashes carry a prefix no GUID has.
	if (typeof id === 'string' && id !== '') return id.toLowerCase();
	return `sha256:${createHash('sha256').update(stableStringify(record)).digest('base64')}`;
}

/** JSON with object keys sorted, so equal content gives equal text whatever the key order. */
export function stableStringify(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value as object)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

export class SeenRecords {
	private readonly keys = new Set<string>();

	/** True when the record is new (and remembers it). */
	add(record: Record<string, unknown>): boolean {
		const key = recordKey(record);
		if (this.keys.has(key)) return false;
		this.keys.add(key);
		return true;
	}

	get size(): number {
		return this.keys.size;
	}
}
