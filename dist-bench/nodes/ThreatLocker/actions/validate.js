"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.invalidParameter = invalidParameter;
exports.optionalDate = optionalDate;
exports.pageSizeOf = pageSizeOf;
exports.optionalGuid = optionalGuid;
exports.limitOf = limitOf;
const n8n_workflow_1 = require("n8n-workflow");
const dates_1 = require("../helpers/dates");
const validation_1 = require("../helpers/validation");
function invalidParameter(context, itemIndex, field, problem) {
    return new n8n_workflow_1.NodeOperationError(context.getNode(), `${field} ${problem} [item ${itemIndex}]`, {
        itemIndex,
        description: `Fix the "${field}" parameter of item ${itemIndex}; nothing was requested from ThreatLocker.`,
    });
}
function optionalDate(context, itemIndex, field, value) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const parsed = (0, dates_1.parseDateParameter)(value);
    if (parsed === undefined) {
        throw invalidParameter(context, itemIndex, field, `"${String(value)}" is not a date (use ISO 8601, e.g. 2024-05-01T12:00:00Z)`);
    }
    return parsed;
}
function pageSizeOf(context, itemIndex, value) {
    const pageSize = value === undefined ? 1000 : value;
    if (!(0, validation_1.isWholeNumberInRange)(pageSize, 1, validation_1.MAX_PAGE_SIZE)) {
        throw invalidParameter(context, itemIndex, 'Page Size', `must be a whole number from 1 to ${validation_1.MAX_PAGE_SIZE}, not ${String(value)}`);
    }
    return pageSize;
}
function optionalGuid(context, itemIndex, field, value) {
    if (value === undefined || value === null)
        return undefined;
    const text = String(value).trim();
    if (text === '')
        return undefined;
    if (!(0, validation_1.isGuid)(text)) {
        throw invalidParameter(context, itemIndex, field, `"${text}" is not a GUID (format 00000000-0000-0000-0000-000000000000)`);
    }
    return text;
}
function limitOf(context, itemIndex) {
    if (context.getNodeParameter('returnAll', itemIndex, false))
        return undefined;
    const limit = context.getNodeParameter('limit', itemIndex, 50);
    if (!(0, validation_1.isWholeNumberInRange)(limit, 1, Number.MAX_SAFE_INTEGER)) {
        throw invalidParameter(context, itemIndex, 'Limit', `must be a whole number of at least 1, not ${String(limit)}`);
    }
    return limit;
}
