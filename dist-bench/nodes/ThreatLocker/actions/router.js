"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.router = router;
const n8n_workflow_1 = require("n8n-workflow");
const pager_1 = require("../helpers/pager");
const transport_1 = require("../transport");
const getLoginAttempts = __importStar(require("./healthCenter/getLoginAttempts.operation"));
const search = __importStar(require("./systemAudit/search.operation"));
async function router() {
    const items = this.getInputData();
    const output = [];
    const now = Date.now();
    let connection;
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
        try {
            if (!connection) {
                connection = { ...(await (0, transport_1.connectionFor)(this)), retry: transport_1.THREATLOCKER_RETRY_POLICY };
            }
            const resource = this.getNodeParameter('resource', itemIndex);
            const operation = this.getNodeParameter('operation', itemIndex);
            let records;
            if (resource === 'systemAudit' && operation === 'search') {
                records = await search.execute.call(this, itemIndex, connection, now);
            }
            else if (resource === 'healthCenter' && operation === 'getLoginAttempts') {
                records = await getLoginAttempts.execute.call(this, itemIndex, connection);
            }
            else {
                throw new n8n_workflow_1.NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`, { itemIndex });
            }
            const pairedItem = { item: itemIndex };
            for (const json of records)
                output.push({ json, pairedItem });
        }
        catch (error) {
            const nodeError = toNodeError(this, error, itemIndex);
            if (this.continueOnFail()) {
                output.push({
                    json: { error: nodeError.message, description: nodeError.description ?? null, httpCode: httpCodeOf(nodeError) },
                    pairedItem: { item: itemIndex },
                });
                continue;
            }
            throw nodeError;
        }
    }
    return [output];
}
function httpCodeOf(error) {
    return error instanceof n8n_workflow_1.NodeApiError ? error.httpCode : null;
}
function toNodeError(context, error, itemIndex) {
    if (error instanceof n8n_workflow_1.NodeApiError || error instanceof n8n_workflow_1.NodeOperationError)
        return error;
    if (error instanceof transport_1.ThreatLockerApiFailure) {
        const status = error.status !== undefined ? String(error.status) : undefined;
        return new n8n_workflow_1.NodeApiError(context.getNode(), { message: error.message, httpCode: status ?? null, code: error.networkCode ?? null }, {
            message: `ThreatLocker: ${error.message}${status ? ` (HTTP ${status})` : ''} [item ${itemIndex}]`,
            description: error.hint,
            httpCode: status,
            itemIndex,
        });
    }
    if (error instanceof transport_1.ThreatLockerCredentialProblem) {
        return new n8n_workflow_1.NodeOperationError(context.getNode(), `Credential field ${error.field}: ${error.message}`, {
            itemIndex,
            description: 'Open the ThreatLocker API credential and correct the field.',
        });
    }
    if (error instanceof pager_1.PagingLimitError) {
        return new n8n_workflow_1.NodeOperationError(context.getNode(), `${error.message} [item ${itemIndex}]`, { itemIndex });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new n8n_workflow_1.NodeOperationError(context.getNode(), `${message} [item ${itemIndex}]`, { itemIndex });
}
