"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toNodeError = toNodeError;
exports.invalidOption = invalidOption;
const n8n_workflow_1 = require("n8n-workflow");
const pager_1 = require("../ThreatLocker/helpers/pager");
const transport_1 = require("../ThreatLocker/transport");
function toNodeError(node, error) {
    if (error instanceof n8n_workflow_1.NodeApiError || error instanceof n8n_workflow_1.NodeOperationError)
        return error;
    if (error instanceof transport_1.ThreatLockerApiFailure) {
        const status = error.status !== undefined ? String(error.status) : undefined;
        return new n8n_workflow_1.NodeApiError(node, { message: error.message, httpCode: status ?? null, code: error.networkCode ?? null }, {
            message: `ThreatLocker: ${error.message}${status ? ` (HTTP ${status})` : ''}`,
            description: error.hint,
            httpCode: status,
        });
    }
    if (error instanceof transport_1.ThreatLockerCredentialProblem) {
        return new n8n_workflow_1.NodeOperationError(node, `Credential field ${error.field}: ${error.message}`, {
            description: 'Open the ThreatLocker API credential and correct the field.',
        });
    }
    if (error instanceof pager_1.PagingLimitError)
        return new n8n_workflow_1.NodeOperationError(node, error.message);
    return new n8n_workflow_1.NodeOperationError(node, error instanceof Error ? error.message : String(error));
}
function invalidOption(node, field, problem) {
    return new n8n_workflow_1.NodeOperationError(node, `${field} ${problem}`, {
        description: `Fix the "${field}" parameter; nothing was requested from ThreatLocker.`,
    });
}
