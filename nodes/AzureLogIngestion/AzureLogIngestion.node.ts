import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

// Placeholder until the node is implemented.
export class AzureLogIngestion implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AzureLogIngestion',
		name: 'azureLogIngestion',
		group: ['transform'],
		version: 1,
		description: 'placeholder',
		defaults: { name: 'AzureLogIngestion' },
		inputs: [],
		outputs: [],
		properties: [],
	};
}
