import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/descriptions';
import * as log from './actions/log/Log.resource';
import { router } from './actions/router';

export class AzureLogIngestion implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azure Log Ingestion',
		name: 'azureLogIngestion',
		icon: { light: 'file:azureLogIngestion.svg', dark: 'file:azureLogIngestion.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["streamName"]}}',
		description:
			'Send records to Microsoft Sentinel / Log Analytics tables through the Azure Monitor Logs Ingestion API',
		defaults: { name: 'Azure Log Ingestion' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'azureLogIngestionApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Log', value: 'log' }],
				default: 'log',
			},
			...log.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
