import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

// Placeholder until the node is implemented.
export class ThreatLocker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ThreatLocker',
		name: 'threatLocker',
		group: ['transform'],
		version: 1,
		description: 'placeholder',
		defaults: { name: 'ThreatLocker' },
		inputs: [],
		outputs: [],
		properties: [],
	};
}
