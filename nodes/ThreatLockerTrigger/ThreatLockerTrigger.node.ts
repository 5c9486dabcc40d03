import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

// Placeholder until the node is implemented.
export class ThreatLockerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ThreatLockerTrigger',
		name: 'threatLockerTrigger',
		group: ['transform'],
		version: 1,
		description: 'placeholder',
		defaults: { name: 'ThreatLockerTrigger' },
		inputs: [],
		outputs: [],
		properties: [],
	};
}
