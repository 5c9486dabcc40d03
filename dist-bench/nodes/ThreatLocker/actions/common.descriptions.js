"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.managedOrganizationOption = exports.pageSizeOption = void 0;
exports.returnAllOrLimit = returnAllOrLimit;
const validation_1 = require("../helpers/validation");
function returnAllOrLimit(resource, operation) {
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
exports.pageSizeOption = {
    displayName: 'Page Size',
    name: 'pageSize',
    type: 'number',
    typeOptions: { minValue: 1, maxValue: validation_1.MAX_PAGE_SIZE },
    default: 1000,
    description: `Records per API request (1 to ${validation_1.MAX_PAGE_SIZE}). Larger pages mean fewer requests; ThreatLocker advises at most ${validation_1.MAX_PAGE_SIZE}.`,
};
exports.managedOrganizationOption = {
    displayName: 'Managed Organization ID',
    name: 'managedOrganizationId',
    type: 'string',
    default: '',
    placeholder: '00000000-0000-0000-0000-000000000000',
    description: "The organization to read for this item, overriding the credential's Managed Organization ID",
};
