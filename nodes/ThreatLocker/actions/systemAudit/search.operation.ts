import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DAY_MS, formatApiDate } from '../../helpers/dates';
import { collectAll } from '../../helpers/pager';
import { auditPageQuery, auditQuery } from '../../helpers/query';
import { MAX_PAGE_SIZE } from '../../helpers/validation';
import { SYSTEM_AUDIT_PATH } from '../../transport';
import { operationOptions, returnAllOrLimit } from '../common.descriptions';
import { fetchPageWith, isPagingRejection, type OperationConnection } from '../paging';
import { invalidParameter, limitOf, optionalDate, optionalGuid, pageSizeOf } from '../validate';

const show = { resource: ['systemAudit'], operation: ['search'] };

export const AUDIT_ACTIONS = ['Create', 'Delete', 'Logoff', 'Logon', 'Modify', 'Read'];

export const description: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		description:
			'Oldest entry to return (UTC unless the value has an offset). Empty: 24 hours before End Date.',
		displayOptions: { show },
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Newest entry to return. Empty: the moment the node runs.',
		displayOptions: { show },
	},
	{
		displayName: 'Include Child Organizations',
		name: 'viewChildOrganizations',
		type: 'boolean',
		default: false,
		description:
			'Whether to include the entries of all child and grandchild organizations of the managed organization',
		displayOptions: { show },
	},
	...returnAllOrLimit('systemAudit', 'search'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'multiOptions',
				options: AUDIT_ACTIONS.map((action) => ({ name: action, value: action })),
				default: [],
				description: 'Only entries with one of these actions. None selected: every action.',
			},
			{
				displayName: 'Details Contain',
				name: 'details',
				type: 'string',
				default: '',
				description: 'Text the entry details contain, e.g. "Viewed page" (no wildcards needed)',
			},
			{
				displayName: 'Effective Action',
				name: 'effectiveAction',
				type: 'options',
				options: [
					{ name: 'Any', value: '' },
					{ name: 'Permitted', value: 'Permitted' },
					{ name: 'Denied', value: 'Denied' },
				],
				default: '',
				description: 'Only permitted or only denied entries',
			},
			{
				displayName: 'Email Address Contains',
				name: 'emailAddress',
				type: 'string',
				default: '',
				placeholder: 'name@example.com',
				description: 'Full or partial username of the administrator or API user',
			},
			{
				displayName: 'IP Address Contains',
				name: 'iPAddress',
				type: 'string',
				default: '',
				description: 'IP address the action came from (full or partial)',
			},
			{
				displayName: 'Object ID',
				name: 'objectId',
				type: 'string',
				default: '',
				placeholder: '00000000-0000-0000-0000-000000000000',
				description: 'Only entries about this ThreatLocker object (computer, policy, application, organization…)',
			},
		],
	},
	operationOptions(show),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	connection: OperationConnection,
	now: number,
): Promise<IDataObject[]> {
	const end = optionalDate(this, itemIndex, 'End Date', this.getNodeParameter('endDate', itemIndex, '')) ?? now;
	const start =
		optionalDate(this, itemIndex, 'Start Date', this.getNodeParameter('startDate', itemIndex, '')) ??
		end - DAY_MS;
	if (end < start) {
		throw invalidParameter(
			this,
			itemIndex,
			'End Date',
			`(${formatApiDate(end)}) is before Start Date (${formatApiDate(start)})`,
		);
	}
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pageSize = pageSizeOf(this, itemIndex, options.pageSize);
	const organizationId = optionalGuid(this, itemIndex, 'Managed Organization ID', options.managedOrganizationId);
	const objectId = optionalGuid(this, itemIndex, 'Object ID', filters.objectId);
	const limit = limitOf(this, itemIndex);

	const query = auditQuery(
		filters,
		objectId,
		this.getNodeParameter('viewChildOrganizations', itemIndex, false) as boolean,
	);

	// Every page request carries its window (the pager narrows it), never undefined here.
	return (await collectAll({
		fetchPage: fetchPageWith(this, connection, organizationId, SYSTEM_AUDIT_PATH, (request) =>
			auditPageQuery(query, request.window!),
		),
		pageSize,
		maxPageSize: MAX_PAGE_SIZE,
		window: { start, end },
		limit,
		isPagingRejection,
	})) as IDataObject[];
}
