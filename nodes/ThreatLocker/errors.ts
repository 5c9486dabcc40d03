/**
 * n8n errors for both ThreatLocker nodes: the action node names the item (`itemIndex`), the
 * trigger has no items and leaves it out.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { ThreatLockerApiFailure, ThreatLockerCredentialProblem } from './transport';

const itemSuffix = (itemIndex?: number) => (itemIndex === undefined ? '' : ` [item ${itemIndex}]`);
const itemOption = (itemIndex?: number) => (itemIndex === undefined ? {} : { itemIndex });

/** Every failure leaves as an n8n error that says what happened and what to do. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ThreatLockerApiFailure) {
		const status = error.status !== undefined ? String(error.status) : undefined;
		return new NodeApiError(
			node,
			{ message: error.message, httpCode: status ?? null, code: error.networkCode ?? null } as JsonObject,
			{
				message: `ThreatLocker: ${error.message}${status ? ` (HTTP ${status})` : ''}${itemSuffix(itemIndex)}`,
				description: error.hint,
				httpCode: status,
				...itemOption(itemIndex),
			},
		);
	}
	if (error instanceof ThreatLockerCredentialProblem) {
		return new NodeOperationError(node, `Credential field ${error.field}: ${error.message}`, {
			...itemOption(itemIndex),
			description: 'Open the ThreatLocker API credential and correct the field.',
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${message}${itemSuffix(itemIndex)}`, itemOption(itemIndex));
}

/** A parameter problem, found before any request. */
export function invalidParameter(
	node: INode,
	field: string,
	problem: string,
	itemIndex?: number,
): NodeOperationError {
	const ofItem = itemIndex === undefined ? '' : ` of item ${itemIndex}`;
	return new NodeOperationError(node, `${field} ${problem}${itemSuffix(itemIndex)}`, {
		...itemOption(itemIndex),
		description: `Fix the "${field}" parameter${ofItem}; nothing was requested from ThreatLocker.`,
	});
}
