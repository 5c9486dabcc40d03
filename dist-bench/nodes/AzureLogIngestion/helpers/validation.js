"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.validateDcrImmutableId = validateDcrImmutableId;
exports.validateStreamName = validateStreamName;
exports.validateApiVersion = validateApiVersion;
exports.parseEndpoint = parseEndpoint;
exports.ingestionUrl = ingestionUrl;
const cloud_1 = require("./cloud");
const DCR_IMMUTABLE_ID = /^dcr-[0-9a-f]{32}$/i;
const STREAM_NAME = /^(Custom|Microsoft)-[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
function validateDcrImmutableId(value) {
    const id = value.trim();
    if (!DCR_IMMUTABLE_ID.test(id)) {
        throw new cloud_1.AzureConfigurationError(`The DCR Immutable ID "${value}" is not valid: it is "dcr-" followed by 32 hexadecimal characters, shown on the Data Collection Rule's Overview page (JSON View: "immutableId")`, 'dcrImmutableId');
    }
    return id;
}
function validateStreamName(value) {
    const name = value.trim();
    if (!STREAM_NAME.test(name)) {
        throw new cloud_1.AzureConfigurationError(`The stream name "${value}" is not valid: it starts with "Custom-" (e.g. Custom-ThreatLockerAudit_CL) or "Microsoft-" and is listed under "streamDeclarations" / "dataFlows" in the DCR's JSON View`, 'streamName');
    }
    return name;
}
function validateApiVersion(value) {
    const version = value.trim();
    if (!API_VERSION.test(version)) {
        throw new cloud_1.AzureConfigurationError(`The API version "${value}" is not valid: use a date such as 2023-01-01`, 'apiVersion');
    }
    return version;
}
function parseEndpoint(value) {
    if (value.trim() === '') {
        throw new cloud_1.AzureConfigurationError('The endpoint is empty: use the logs ingestion URL of the Data Collection Endpoint or of the DCR', 'endpoint');
    }
    const url = (0, cloud_1.parseSecureUrl)(value, 'endpoint', 'The endpoint');
    const cut = url.pathname.search(/\/dataCollectionRules(\/|$)/i);
    const path = (cut >= 0 ? url.pathname.slice(0, cut) : url.pathname).replace(/\/+$/, '');
    return new URL(`${url.protocol}//${url.host}${path}`);
}
function ingestionUrl(endpoint, dcrImmutableId, streamName, apiVersion) {
    const base = endpoint.href.replace(/\/+$/, '');
    return `${base}/dataCollectionRules/${encodeURIComponent(dcrImmutableId)}/streams/${encodeURIComponent(streamName)}?api-version=${encodeURIComponent(apiVersion)}`;
}
