import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../errors';
import { connectionFor } from '../transport';
import * as getLoginAttempts from './healthCenter/getLoginAttempts.operation';
import type { OperationConnection } from './paging';
import * as search from './systemAudit/search.operation';

/** Runs the chosen operation once per input item; every output item is paired to its input. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	// One "now" for the whole run, so that every item's default window ends at the same instant.
	const now = Date.now();
	let connection: OperationConnection | undefined;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			connection ??= await connectionFor(this);
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			let records: IDataObject[];
			if (resource === 'systemAudit' && operation === 'search') {
				records = await search.execute.call(this, itemIndex, connection, now);
			} else if (resource === 'healthCenter' && operation === 'getLoginAttempts') {
				records = await getLoginAttempts.execute.call(this, itemIndex, connection);
			} else {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" of resource "${resource}" is not supported`,
					{ itemIndex },
				);
			}
			// One pairedItem object per input item, shared by its outputs (100,000s of records).
			const pairedItem = { item: itemIndex };
			for (const json of records) output.push({ json, pairedItem });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (this.continueOnFail()) {
				output.push({
					json: { error: nodeError.message, description: nodeError.description ?? null, httpCode: httpCodeOf(nodeError) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw nodeError;
		}
	}
	return [output];
}

function httpCodeOf(error: NodeApiError | NodeOperationError): string | null {
	return error instanceof NodeApiError ? error.httpCode : null;
}
