"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.description = exports.AUDIT_ACTIONS = void 0;
exports.execute = execute;
const dates_1 = require("../../helpers/dates");
const pager_1 = require("../../helpers/pager");
const validation_1 = require("../../helpers/validation");
const transport_1 = require("../../transport");
const common_descriptions_1 = require("../common.descriptions");
const paging_1 = require("../paging");
const validate_1 = require("../validate");
const show = { resource: ['systemAudit'], operation: ['search'] };
exports.AUDIT_ACTIONS = ['Create', 'Delete', 'Logoff', 'Logon', 'Modify', 'Read'];
exports.description = [
    {
        displayName: 'Start Date',
        name: 'startDate',
        type: 'dateTime',
        default: '',
        description: 'Oldest entry to return (UTC unless the value has an offset). Empty: 24 hours before End Date.',
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
        description: 'Whether to include the entries of all child and grandchild organizations of the managed organization',
        displayOptions: { show },
    },
    ...(0, common_descriptions_1.returnAllOrLimit)('systemAudit', 'search'),
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
                options: exports.AUDIT_ACTIONS.map((action) => ({ name: action, value: action })),
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
    {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        displayOptions: { show },
        options: [common_descriptions_1.managedOrganizationOption, common_descriptions_1.pageSizeOption],
    },
];
const DAY_MS = 24 * 60 * 60 * 1000;
async function execute(itemIndex, connection, now) {
    const end = (0, validate_1.optionalDate)(this, itemIndex, 'End Date', this.getNodeParameter('endDate', itemIndex, '')) ?? now;
    const start = (0, validate_1.optionalDate)(this, itemIndex, 'Start Date', this.getNodeParameter('startDate', itemIndex, '')) ??
        end - DAY_MS;
    if (end < start) {
        throw (0, validate_1.invalidParameter)(this, itemIndex, 'End Date', `(${(0, dates_1.formatApiDate)(end)}) is before Start Date (${(0, dates_1.formatApiDate)(start)})`);
    }
    const filters = this.getNodeParameter('filters', itemIndex, {});
    const options = this.getNodeParameter('options', itemIndex, {});
    const pageSize = (0, validate_1.pageSizeOf)(this, itemIndex, options.pageSize);
    const organizationId = (0, validate_1.optionalGuid)(this, itemIndex, 'Managed Organization ID', options.managedOrganizationId);
    const objectId = (0, validate_1.optionalGuid)(this, itemIndex, 'Object ID', filters.objectId);
    const limit = (0, validate_1.limitOf)(this, itemIndex);
    const query = {};
    const actions = filters.actions ?? [];
    if (actions.length > 0)
        query.actions = actions;
    for (const field of ['details', 'effectiveAction', 'emailAddress', 'iPAddress']) {
        const value = typeof filters[field] === 'string' ? filters[field].trim() : '';
        if (value)
            query[field] = value;
    }
    if (objectId)
        query.objectId = objectId;
    query.viewChildOrganizations = this.getNodeParameter('viewChildOrganizations', itemIndex, false);
    const records = [];
    await (0, pager_1.pullAll)({
        fetchPage: (0, paging_1.fetchPageWith)(this, connection, organizationId, transport_1.SYSTEM_AUDIT_PATH, (request) => ({
            ...query,
            startDate: (0, dates_1.formatApiDate)(request.window.start),
            endDate: (0, dates_1.formatApiDate)(request.window.end),
        })),
        pageSize,
        maxPageSize: validation_1.MAX_PAGE_SIZE,
        window: { start, end },
        limit,
        isPagingRejection: paging_1.isPagingRejection,
        onRecord: (record) => records.push(record),
    });
    return records;
}
