"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fetchPageWith = fetchPageWith;
exports.rowsOf = rowsOf;
exports.isPagingRejection = isPagingRejection;
const pagination_1 = require("../helpers/pagination");
const transport_1 = require("../transport");
function fetchPageWith(context, base, organizationOverride, path, queryFor) {
    const connection = {
        baseUrl: base.baseUrl,
        organizationId: organizationOverride ?? base.defaultOrganizationId,
        secrets: base.secrets,
        retry: base.retry,
    };
    return async (request) => {
        const body = {
            ...queryFor(request),
            pageNumber: request.pageNumber,
            pageSize: request.pageSize,
        };
        if (request.afterKeys)
            body.afterKeys = request.afterKeys;
        const response = await (0, transport_1.postToThreatLocker)(context, connection, path, body);
        return { records: rowsOf(response.body), info: (0, pagination_1.parsePageInfo)(response.headers) };
    };
}
function rowsOf(body) {
    if (body === null || body === undefined || body === '')
        return [];
    if (Array.isArray(body)) {
        return body.filter((row) => !!row && typeof row === 'object');
    }
    throw new transport_1.ThreatLockerApiFailure('ThreatLocker answered with an object where a list of records was expected', 200, 'Check the instance or Base URL Override: the answer did not come from the portal API.');
}
function isPagingRejection(error) {
    return (error instanceof transport_1.ThreatLockerApiFailure &&
        (error.status === 400 || error.status === 417 || error.status === 422));
}
