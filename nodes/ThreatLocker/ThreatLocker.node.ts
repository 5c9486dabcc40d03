import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/descriptions';
import * as getLoginAttempts from './actions/healthCenter/getLoginAttempts.operation';
import { router } from './actions/router';
import * as search from './actions/systemAudit/search.operation';

export class ThreatLocker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ThreatLocker',
		name: 'threatLocker',
		icon: { light: 'file:threatLocker.svg', dark: 'file:threatLocker.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read ThreatLocker System Audit entries and Health Center login attempts',
		defaults: { name: 'ThreatLocker' },
		usableAsTool: true,
		inputs: MAIN_CONNECTION,
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'threatLockerApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Health Center', value: 'healthCenter' },
					{ name: 'System Audit', value: 'systemAudit' },
				],
				default: 'systemAudit',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['systemAudit'] } },
				options: [
					{
						name: 'Search',
						value: 'search',
						description: 'Search System Audit entries in a time range',
						action: 'Search system audit entries',
					},
				],
				default: 'search',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['healthCenter'] } },
				options: [
					{
						name: 'Get Login Attempts',
						value: 'getLoginAttempts',
						description: 'Get successful and denied portal login attempts',
						action: 'Get login attempts',
					},
				],
				default: 'getLoginAttempts',
			},
			...search.description,
			...getLoginAttempts.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
