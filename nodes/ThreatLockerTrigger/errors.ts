import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { PagingLimitError } from '../ThreatLocker/helpers/pager';
import { ThreatLockerApiFailure, ThreatLockerCredentialProblem } from '../ThreatLocker/transport';

/** Every failure of a poll leaves as an n8n error that says what happened and what to do. */
export function toNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ThreatLockerApiFailure) {
		const status = error.status !== undefined ? String(error.status) : undefined;
		return new NodeApiError(
			node,
			{ message: error.message, httpCode: status ?? null, code: error.networkCode ?? null } as JsonObject,
			{
				message: `ThreatLocker: ${error.message}${status ? ` (HTTP ${status})` : ''}`,
				description: error.hint,
				httpCode: status,
			},
		);
	}
	if (error instanceof ThreatLockerCredentialProblem) {
		return new NodeOperationError(node, `Credential field ${error.field}: ${error.message}`, {
			description: 'Open the ThreatLocker API credential and correct the field.',
		});
	}
	if (error instanceof PagingLimitError) return new NodeOperationError(node, error.message);
	return new NodeOperationError(node, error instanceof Error ? error.message : String(error));
}

/** A parameter problem, found before any request. */
export function invalidOption(node: INode, field: string, problem: string): NodeOperationError {
	return new NodeOperationError(node, `${field} ${problem}`, {
		description: `Fix the "${field}" parameter; nothing was requested from ThreatLocker.`,
	});
}
