import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// Placeholder until the credential is implemented.
export class AzureLogIngestionApi implements ICredentialType {
	name = 'azureLogIngestionApi';
	displayName = 'AzureLogIngestionApi';
	properties: INodeProperties[] = [];
}
