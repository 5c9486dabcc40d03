import { ApplicationError } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { managedOrganizationOption, pageSizeOption } from '../ThreatLocker/actions/common.descriptions';
import * as getLoginAttempts from '../ThreatLocker/actions/healthCenter/getLoginAttempts.operation';
import * as search from '../ThreatLocker/actions/systemAudit/search.operation';

/** Bounds of the trigger's own options. */
export const MAX_LOOK_BACK_HOURS = 720;
export const MAX_OVERLAP_MINUTES = 1440;
export const DEFAULT_OVERLAP_MINUTES = 10;

const showAudit = { show: { event: ['auditEntry'] } };
const showLogins = { show: { event: ['loginAttempt'] } };

/**
 * A parameter of a ThreatLocker node operation, shown here for one event instead. Reusing the
 * definitions keeps names, values and help texts identical to the search operation's.
 */
function reuse(
	properties: INodeProperties[],
	name: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	const property = properties.find((candidate) => candidate.name === name);
	if (!property) throw new ApplicationError(`The ThreatLocker node has no parameter "${name}"`);
	return { ...property, displayOptions };
}

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'New Login Attempt',
				value: 'loginAttempt',
				description: 'A Health Center portal login attempt, successful or denied',
			},
			{
				name: 'New System Audit Entry',
				value: 'auditEntry',
				description: 'An entry of the System Audit (Manage → Users → System Audit)',
			},
		],
		default: 'auditEntry',
	},
	{
		displayName:
			'Each new record is emitted once, oldest first. The first activation starts from now (see Look Back). The API user\'s own requests appear in the System Audit as "Read" entries.',
		name: 'auditNotice',
		type: 'notice',
		default: '',
		displayOptions: showAudit,
	},
	reuse(search.description, 'viewChildOrganizations', showAudit),
	reuse(search.description, 'filters', showAudit),
	reuse(getLoginAttempts.description, 'loginResult', showLogins),
	reuse(getLoginAttempts.description, 'searchText', showLogins),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Look Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_LOOK_BACK_HOURS },
				default: 0,
				description: `On first activation (or after the event or filters change), also emit the records of this many hours before (0 to ${MAX_LOOK_BACK_HOURS}). 0: only records from activation on.`,
			},
			{
				...managedOrganizationOption,
				description:
					"The organization to watch, overriding the credential's Managed Organization ID",
			},
			{
				displayName: 'Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_OVERLAP_MINUTES },
				default: DEFAULT_OVERLAP_MINUTES,
				description: `Each poll reads again this many minutes before the newest record already emitted, so that records ThreatLocker makes available late are not missed (0 to ${MAX_OVERLAP_MINUTES}). Records that arrive later than this are missed.`,
			},
			pageSizeOption,
		],
	},
];
