import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../helpers/validation';

/** Return All / Limit, the n8n convention, for one operation. */
export function returnAllOrLimit(resource: string, operation: string): INodeProperties[] {
	const displayOptions = { show: { resource: [resource], operation: [operation] } };
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
		},
	];
}

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
	default: DEFAULT_PAGE_SIZE,
	description: `Records per API request (1 to ${MAX_PAGE_SIZE}). Larger pages mean fewer requests; ThreatLocker advises at most ${MAX_PAGE_SIZE}.`,
};

export const managedOrganizationOption: INodeProperties = {
	displayName: 'Managed Organization ID',
	name: 'managedOrganizationId',
	type: 'string',
	default: '',
	placeholder: '00000000-0000-0000-0000-000000000000',
	description:
		"The organization to read for this item, overriding the credential's Managed Organization ID",
};

/** The Options collection of both operations: organization override and page size. */
export function operationOptions(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [managedOrganizationOption, pageSizeOption],
	};
}
