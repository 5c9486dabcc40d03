/**
 * Parameter readers shared by the action node (which names the item) and the trigger (which has
 * none): they fail with the field's display name before any request.
 */
import type { INode } from 'n8n-workflow';

import { invalidParameter } from './errors';
import { isGuid, isWholeNumberInRange } from './helpers/validation';

/** A whole number from `min` to `max`; `fallback` when the parameter is not set. */
export function wholeNumberParameter(
	node: INode,
	field: string,
	value: unknown,
	fallback: number,
	min: number,
	max: number,
	itemIndex?: number,
): number {
	const number = value === undefined ? fallback : value;
	if (!isWholeNumberInRange(number, min, max)) {
		throw invalidParameter(node, field, `must be a whole number from ${min} to ${max}, not ${String(number)}`, itemIndex);
	}
	return number;
}

/** A GUID, trimmed; undefined when the parameter is empty. */
export function guidParameter(node: INode, field: string, value: unknown, itemIndex?: number): string | undefined {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '') return undefined;
	if (!isGuid(text)) {
		throw invalidParameter(node, field, `"${text}" is not a GUID (format 00000000-0000-0000-0000-000000000000)`, itemIndex);
	}
	return text;
}
