import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { recordTime } from '../../helpers/dates';
import { collectAll } from '../../helpers/pager';
import { HEALTH_MAX_PAGE_SIZE, loginOutcomes, loginQuery } from '../../helpers/query';
import { wholeNumberParameter } from '../../parameters';
import { HEALTH_CENTER_PATH } from '../../transport';
import { operationOptions, returnAllOrLimit } from '../common.descriptions';
import { fetchPageWith, isPagingRejection, type OperationConnection } from '../paging';
import { limitOf, optionalGuid, pageSizeOf } from '../validate';

const show = { resource: ['healthCenter'], operation: ['getLoginAttempts'] };

export const MAX_DAYS = 365;

export const description: INodeProperties[] = [
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_DAYS },
		default: 1,
		description: `How many days back to search, today included (1 to ${MAX_DAYS})`,
		displayOptions: { show },
	},
	{
		displayName: 'Login Result',
		name: 'loginResult',
		type: 'options',
		options: [
			{ name: 'Successful and Denied', value: 'both' },
			{ name: 'Successful', value: 'successful' },
			{ name: 'Denied', value: 'denied' },
		],
		default: 'both',
		description: 'Which login attempts to return',
		displayOptions: { show },
	},
	{
		displayName: 'Search Text',
		name: 'searchText',
		type: 'string',
		default: '',
		description:
			'Only attempts whose username, IP address, country, region or city contain this text (or "lat:LAT&long:LONG")',
		displayOptions: { show },
	},
	...returnAllOrLimit('healthCenter', 'getLoginAttempts'),
	operationOptions(show),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: OperationConnection,
): Promise<IDataObject[]> {
	const days = wholeNumberParameter(this.getNode(), 'Days', this.getNodeParameter('days', itemIndex, 1), 1, 1, MAX_DAYS, itemIndex);
	const loginResult = this.getNodeParameter('loginResult', itemIndex, 'both') as string;
	const searchText = (this.getNodeParameter('searchText', itemIndex, '') as string).trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pageSize = pageSizeOf(this, itemIndex, options.pageSize);
	const organizationId = optionalGuid(this, itemIndex, 'Managed Organization ID', options.managedOrganizationId);
	const limit = limitOf(this, itemIndex);

	const outcomes = loginOutcomes(loginResult);
	const records: IDataObject[] = [];
	for (const isLoggedIn of outcomes) {
		const query = loginQuery(days, isLoggedIn, searchText);
		const read = await collectAll({
			fetchPage: fetchPageWith(this, connection, organizationId, HEALTH_CENTER_PATH, () => query),
			pageSize,
			maxPageSize: HEALTH_MAX_PAGE_SIZE,
			limit,
			isPagingRejection,
		});
		for (const record of read) records.push(record as IDataObject);
	}
	if (outcomes.length === 1) return records;
	// Successful and denied attempts are two queries: merge them newest first, then apply the limit.
	const ordered = records
		.map((record, index) => ({ record, index, time: recordTime(record) ?? 0 }))
		.sort((a, b) => b.time - a.time || a.index - b.index)
		.map(({ record }) => record);
	return limit === undefined ? ordered : ordered.slice(0, limit);
}
