"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.description = exports.MAX_DAYS = void 0;
exports.execute = execute;
const dates_1 = require("../../helpers/dates");
const pager_1 = require("../../helpers/pager");
const validation_1 = require("../../helpers/validation");
const transport_1 = require("../../transport");
const common_descriptions_1 = require("../common.descriptions");
const paging_1 = require("../paging");
const validate_1 = require("../validate");
const show = { resource: ['healthCenter'], operation: ['getLoginAttempts'] };
exports.MAX_DAYS = 365;
const HEALTH_MAX_PAGE_SIZE = 10_000;
exports.description = [
    {
        displayName: 'Days',
        name: 'days',
        type: 'number',
        typeOptions: { minValue: 1, maxValue: exports.MAX_DAYS },
        default: 1,
        description: `How many days back to search, today included (1 to ${exports.MAX_DAYS})`,
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
        description: 'Only attempts whose username, IP address, country, region or city contain this text (or "lat:LAT&long:LONG")',
        displayOptions: { show },
    },
    ...(0, common_descriptions_1.returnAllOrLimit)('healthCenter', 'getLoginAttempts'),
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
async function execute(itemIndex, connection) {
    const days = this.getNodeParameter('days', itemIndex, 1);
    if (!(0, validation_1.isWholeNumberInRange)(days, 1, exports.MAX_DAYS)) {
        throw (0, validate_1.invalidParameter)(this, itemIndex, 'Days', `must be a whole number from 1 to ${exports.MAX_DAYS}, not ${String(days)}`);
    }
    const loginResult = this.getNodeParameter('loginResult', itemIndex, 'both');
    const searchText = this.getNodeParameter('searchText', itemIndex, '').trim();
    const options = this.getNodeParameter('options', itemIndex, {});
    const pageSize = (0, validate_1.pageSizeOf)(this, itemIndex, options.pageSize);
    const organizationId = (0, validate_1.optionalGuid)(this, itemIndex, 'Managed Organization ID', options.managedOrganizationId);
    const limit = (0, validate_1.limitOf)(this, itemIndex);
    const outcomes = loginResult === 'both' ? [true, false] : [loginResult === 'successful'];
    const records = [];
    for (const isLoggedIn of outcomes) {
        await (0, pager_1.pullAll)({
            fetchPage: (0, paging_1.fetchPageWith)(this, connection, organizationId, transport_1.HEALTH_CENTER_PATH, () => {
                const query = { days, isLoggedIn };
                if (searchText)
                    query.searchText = searchText;
                return query;
            }),
            pageSize,
            maxPageSize: Math.max(HEALTH_MAX_PAGE_SIZE, validation_1.MAX_PAGE_SIZE),
            limit,
            isPagingRejection: paging_1.isPagingRejection,
            onRecord: (record) => records.push(record),
        });
    }
    if (outcomes.length === 1)
        return records;
    const ordered = records
        .map((record, index) => ({ record, index, time: (0, dates_1.recordTime)(record) ?? 0 }))
        .sort((a, b) => b.time - a.time || a.index - b.index)
        .map(({ record }) => record);
    return limit === undefined ? ordered : ordered.slice(0, limit);
}
