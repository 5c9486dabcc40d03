import type { ICredentialType, INodeProperties } from 'n8n-workflow';

// Placeholder until the credential is implemented.
export class ThreatLockerApi implements ICredentialType {
	name = 'threatLockerApi';
	displayName = 'ThreatLockerApi';
	properties: INodeProperties[] = [];
}
