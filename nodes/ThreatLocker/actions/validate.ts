import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { invalidParameter as parameterError } from '../errors';
import { parseDateParameter } from '../helpers/dates';
import { DEFAULT_PAGE_SIZE, isWholeNumberInRange, MAX_PAGE_SIZE } from '../helpers/validation';
import { guidParameter, wholeNumberParameter } from '../parameters';

/** Parameter readers that fail with the field's display name and the item, before any request. */

export function invalidParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
): NodeOperationError {
	return parameterError(context.getNode(), field, problem, itemIndex);
}

export function optionalDate(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = parseDateParameter(value);
	if (parsed === undefined) {
		throw invalidParameter(
			context,
			itemIndex,
			field,
			`"${String(value)}" is not a date (use ISO 8601, e.g. 2024-05-01T12:00:00Z)`,
		);
	}
	return parsed;
}

export function pageSizeOf(context: IExecuteFunctions, itemIndex: number, value: unknown): number {
	return wholeNumberParameter(context.getNode(), 'Page Size', value, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, itemIndex);
}

export function optionalGuid(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): string | undefined {
	return guidParameter(context.getNode(), field, value, itemIndex);
}

export function limitOf(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex, 50);
	if (!isWholeNumberInRange(limit, 1, Number.MAX_SAFE_INTEGER)) {
		throw invalidParameter(context, itemIndex, 'Limit', `must be a whole number of at least 1, not ${String(limit)}`);
	}
	return limit;
}
