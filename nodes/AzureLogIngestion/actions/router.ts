import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as log from './log/Log.resource';

/** Dispatches to the operation; the node class stays thin (n8n's Airtable v2 / Splunk v2 layout). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0);
	const operation = this.getNodeParameter('operation', 0);
	if (resource === 'log' && operation === 'upload') {
		return await log.upload.execute.call(this, items);
	}
	throw new NodeOperationError(
		this.getNode(),
		`The operation "${String(operation)}" of resource "${String(resource)}" is not supported`,
	);
}
