"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.description = exports.MAX_BODY_BYTES = exports.REQUEST_BODY_LIMIT = void 0;
exports.execute = execute;
const n8n_workflow_1 = require("n8n-workflow");
const retry_1 = require("../../../shared/retry");
const cloud_1 = require("../../helpers/cloud");
const ledger_1 = require("../../helpers/ledger");
const pipeline_1 = require("../../helpers/pipeline");
const records_1 = require("../../helpers/records");
const validation_1 = require("../../helpers/validation");
const ingest_1 = require("../../transport/ingest");
const token_1 = require("../../transport/token");
exports.REQUEST_BODY_LIMIT = 1_048_576;
exports.MAX_BODY_BYTES = exports.REQUEST_BODY_LIMIT - 1_024;
const REQUEST_TIMEOUT_MS = 120_000;
exports.description = [
    {
        displayName: 'Endpoint',
        name: 'endpoint',
        type: 'string',
        required: true,
        default: '',
        placeholder: 'e.g. https://my-dce-abcd.eastus-1.ingest.monitor.azure.com',
        description: "Logs ingestion URL of the Data Collection Endpoint (DCE), or the DCR's own logs ingestion URL for DCRs of kind Direct",
        displayOptions: { show: { resource: ['log'], operation: ['upload'] } },
    },
    {
        displayName: 'DCR Immutable ID',
        name: 'dcrImmutableId',
        type: 'string',
        required: true,
        default: '',
        placeholder: 'e.g. dcr-00112233445566778899aabbccddeeff',
        description: "Immutable ID of the Data Collection Rule: dcr- followed by 32 hexadecimal characters (DCR's Overview page, JSON View)",
        displayOptions: { show: { resource: ['log'], operation: ['upload'] } },
    },
    {
        displayName: 'Stream Name',
        name: 'streamName',
        type: 'string',
        required: true,
        default: '',
        placeholder: 'e.g. Custom-ThreatLockerAudit_CL',
        description: 'Input stream declared in the DCR: Custom-… or Microsoft-…',
        displayOptions: { show: { resource: ['log'], operation: ['upload'] } },
    },
    {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add option',
        default: {},
        displayOptions: { show: { resource: ['log'], operation: ['upload'] } },
        options: [
            {
                displayName: 'API Version',
                name: 'apiVersion',
                type: 'string',
                default: '2023-01-01',
                description: 'Version of the Logs Ingestion API',
            },
            {
                displayName: 'Compress with Gzip',
                name: 'gzip',
                type: 'boolean',
                default: true,
                description: 'Whether to gzip request bodies. The 1 MB request limit counts compressed bytes, so gzip packs several times more records into each request.',
            },
            {
                displayName: 'Concurrent Requests',
                name: 'concurrency',
                type: 'number',
                default: 4,
                typeOptions: { minValue: 1, maxValue: 16 },
                description: 'How many requests may be in flight at the same time',
            },
            {
                displayName: 'Ignore SSL Issues (Insecure)',
                name: 'allowUnauthorizedCerts',
                type: 'boolean',
                default: false,
                description: 'Whether to connect even if SSL certificate validation is not possible',
            },
            {
                displayName: 'Output',
                name: 'output',
                type: 'options',
                default: 'summary',
                options: [
                    {
                        name: 'Input Items',
                        value: 'passThrough',
                        description: 'Pass every input item whose records were all accepted through unchanged',
                    },
                    {
                        name: 'Summary',
                        value: 'summary',
                        description: 'One item: records accepted, requests, bytes before and after gzip, request IDs, duration',
                    },
                ],
            },
            {
                displayName: 'Records Field',
                name: 'recordsField',
                type: 'string',
                default: 'records',
                placeholder: 'e.g. records',
                description: 'Field of each item holding the array of records (dot notation for nested fields)',
                displayOptions: { show: { recordSource: ['field'] } },
            },
            {
                displayName: 'Records From',
                name: 'recordSource',
                type: 'options',
                default: 'item',
                options: [
                    {
                        name: 'Each Item',
                        value: 'item',
                        description: "Every input item's JSON is one record",
                    },
                    {
                        name: 'An Array Field of Each Item',
                        value: 'field',
                        description: 'Every element of an array field of each item is one record',
                    },
                ],
            },
            {
                displayName: 'TimeGenerated',
                name: 'timeGenerated',
                type: 'options',
                default: 'nowIfMissing',
                options: [
                    {
                        name: 'Keep',
                        value: 'keep',
                        description: 'Send TimeGenerated as it is (rewritten as ISO 8601 if needed)',
                    },
                    {
                        name: 'Set to Now When Missing',
                        value: 'nowIfMissing',
                        description: 'Records without TimeGenerated get the time of this run',
                    },
                    {
                        name: 'Take From a Field',
                        value: 'fromField',
                        description: 'TimeGenerated is set from another field of each record',
                    },
                ],
                description: 'Every table has a TimeGenerated column; values are always sent as ISO 8601',
            },
            {
                displayName: 'TimeGenerated Field',
                name: 'timeGeneratedField',
                type: 'string',
                default: 'dateTime',
                placeholder: 'e.g. dateTime',
                description: 'Field of each record holding its time: ISO 8601, "YYYY-MM-DD HH:MM:SS" (UTC) or Unix time',
                displayOptions: { show: { timeGenerated: ['fromField'] } },
            },
        ],
    },
];
function configurationError(error) {
    if (error instanceof cloud_1.AzureConfigurationError) {
        return new n8n_workflow_1.NodeOperationError(this.getNode(), error.message, {
            description: `Check the "${error.field}" setting.`,
        });
    }
    return new n8n_workflow_1.NodeOperationError(this.getNode(), error instanceof Error ? error.message : String(error));
}
function plural(count, word) {
    return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}
async function execute(items) {
    const started = Date.now();
    const continueOnFail = this.continueOnFail();
    const options = this.getNodeParameter('options', 0, {});
    const gzip = options.gzip !== false;
    const skipSsl = options.allowUnauthorizedCerts === true;
    const dcrImmutableId = String(this.getNodeParameter('dcrImmutableId', 0, '')).trim();
    const streamName = String(this.getNodeParameter('streamName', 0, '')).trim();
    const recordOptions = {
        source: options.recordSource ?? 'item',
        recordsField: (options.recordsField ?? 'records').trim(),
        timeGenerated: options.timeGenerated ?? 'nowIfMissing',
        timeGeneratedField: (options.timeGeneratedField ?? 'dateTime').trim(),
        nowIso: new Date(started).toISOString(),
    };
    const ledger = new ledger_1.ItemLedger(items.length);
    const output = (stats, endpoint) => buildOutput.call(this, {
        items,
        ledger,
        stats,
        continueOnFail,
        passThrough: options.output === 'passThrough',
        gzip,
        durationMs: Date.now() - started,
        target: { endpoint, dcrImmutableId, streamName },
    });
    let url;
    let auth;
    let endpointOrigin;
    try {
        const endpoint = (0, validation_1.parseEndpoint)(String(this.getNodeParameter('endpoint', 0, '')));
        url = (0, validation_1.ingestionUrl)(endpoint, (0, validation_1.validateDcrImmutableId)(dcrImmutableId), (0, validation_1.validateStreamName)(streamName), (0, validation_1.validateApiVersion)(options.apiVersion ?? '2023-01-01'));
        auth = (0, cloud_1.resolveAuthSettings)(await this.getCredentials('azureLogIngestionApi'));
        (0, cloud_1.checkIngestionEndpoint)(auth.cloud, endpoint);
        if (recordOptions.source === 'field' && recordOptions.recordsField === '') {
            throw new cloud_1.AzureConfigurationError('The Records Field option is empty: name the field of each item that holds the array of records', 'recordsField');
        }
        if (recordOptions.timeGenerated === 'fromField' && recordOptions.timeGeneratedField === '') {
            throw new cloud_1.AzureConfigurationError('The TimeGenerated Field option is empty: name the field of each record that holds its date and time', 'timeGeneratedField');
        }
        endpointOrigin = endpoint.origin;
    }
    catch (error) {
        const problem = configurationError.call(this, error);
        if (!continueOnFail)
            throw problem;
        const field = error instanceof cloud_1.AzureConfigurationError ? error.field : 'parameters';
        for (let item = 0; item < items.length; item++) {
            ledger.setProblem(item, { message: `Nothing was sent: ${problem.message}`, field });
        }
        return output(undefined, '');
    }
    const records = [];
    let times;
    const add = (item) => (record, time) => {
        const index = ledger.addRecord(item);
        records.push(record);
        if (time !== undefined) {
            times ??= [];
            times[index] = time;
        }
    };
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
        try {
            (0, records_1.collectRecords)(items[itemIndex].json, recordOptions, add(itemIndex));
        }
        catch (error) {
            const message = `Item ${itemIndex} ${error instanceof Error ? error.message : String(error)}`;
            const field = error instanceof records_1.RecordError ? error.field : recordOptions.recordsField;
            if (!continueOnFail) {
                throw new n8n_workflow_1.NodeOperationError(this.getNode(), message, {
                    itemIndex,
                    description: `Check the "${field}" field of the item${recordOptions.source === 'item' ? ', or the TimeGenerated option' : ''}. Nothing was sent.`,
                });
            }
            ledger.setProblem(itemIndex, { message, field });
        }
    }
    const cancelSignal = this.getExecutionCancelSignal();
    const tokenOptions = { skipSslCertificateValidation: skipSsl, abortSignal: cancelSignal };
    let stats;
    if (records.length > 0) {
        let tokenFailure;
        try {
            await token_1.getAccessToken.call(this, auth, tokenOptions);
        }
        catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            tokenFailure = {
                ok: false,
                code: error instanceof token_1.TokenRequestError ? error.aadstsCode : undefined,
                message: `No access token: ${message}`,
                attempts: 0,
                bytesOnWire: 0,
            };
            if (!continueOnFail) {
                throw new n8n_workflow_1.NodeApiError(this.getNode(), { message, aadstsCode: tokenFailure.code ?? null }, {
                    message: `Could not get an access token: nothing was sent (0 of ${plural(records.length, 'record')} accepted)`,
                    description: message,
                });
            }
            ledger.fail(0, records.length, tokenFailure);
        }
        if (!tokenFailure) {
            const context = {
                auth,
                url,
                policy: retry_1.DEFAULT_RETRY_POLICY,
                skipSslCertificateValidation: skipSsl,
                abortSignal: cancelSignal,
                timeoutMs: REQUEST_TIMEOUT_MS,
            };
            stats = await (0, pipeline_1.uploadRecords)(records, {
                maxBodyBytes: exports.MAX_BODY_BYTES,
                gzip,
                times,
                concurrency: Math.min(16, Math.max(1, Math.floor(options.concurrency ?? 4))),
                send: async (body, info) => await ingest_1.sendBody.call(this, context, body, info.gzip),
                isCancelled: () => cancelSignal?.aborted === true,
            }, {
                accepted: (start, count) => ledger.accept(start, count),
                failed: (start, count, failure) => ledger.fail(start, count, failure),
                oversized: (recordIndex, bodyBytes, limit, compressed) => {
                    const itemIndex = ledger.itemOf(recordIndex);
                    const position = recordIndex - ledger.firstRecord[itemIndex];
                    const which = recordOptions.source === 'item'
                        ? `The record of item ${itemIndex}`
                        : `Record ${position} of item ${itemIndex} ("${recordOptions.recordsField}[${position}]")`;
                    ledger.reject(recordIndex, {
                        message: `${which} is ${bodyBytes.toLocaleString('en-US')} bytes${compressed ? ' after gzip' : ''} on its own, over the ${limit.toLocaleString('en-US')}-byte limit of one request: it was not sent. Shorten or split it (Azure truncates field values over 64 KB anyway)${compressed ? '' : ', or turn gzip on'}`,
                        field: recordOptions.source === 'item' ? 'json' : recordOptions.recordsField,
                    });
                },
            });
        }
    }
    return output(stats, endpointOrigin);
}
function sentences(first, second) {
    if (!second)
        return first;
    return `${first}${/[.!?]$/.test(first) ? '' : '.'} ${second}`;
}
function failureText(failure) {
    return sentences((0, pipeline_1.describeFailure)(failure), failure.hint);
}
function buildOutput(input) {
    const { items, ledger, stats } = input;
    const { accepted, notAccepted } = ledger.totals();
    const failedItems = ledger.failedItems();
    if (failedItems.length > 0 && !input.continueOnFail) {
        const first = failedItems[0];
        const problem = ledger.problemOf(first);
        const failure = ledger.failureOf(first);
        const cause = problem?.message ?? (failure ? failureText(failure) : '');
        const counts = `Azure accepted ${accepted.toLocaleString('en-US')} of ${plural(ledger.totalRecords, 'record')}; ${plural(notAccepted, 'record')} ${notAccepted === 1 ? 'was' : 'were'} not accepted (${plural(failedItems.length, 'item')}, first: item ${first})`;
        const requestIds = stats?.requestIds.length
            ? ` Accepted requests' x-ms-request-id: ${stats.requestIds.join(', ')}.`
            : '';
        const description = `${cause}${failure?.requestId && !problem ? ` (x-ms-request-id ${failure.requestId})` : ''}.${requestIds}`;
        if (failure && !problem) {
            throw new n8n_workflow_1.NodeApiError(this.getNode(), errorPayload(failure), {
                message: counts,
                description,
                httpCode: failure.status !== undefined ? String(failure.status) : undefined,
                itemIndex: first,
            });
        }
        throw new n8n_workflow_1.NodeOperationError(this.getNode(), counts, { description, itemIndex: first });
    }
    const errorItems = failedItems.map((itemIndex) => errorItem(itemIndex, ledger));
    if (input.passThrough) {
        const passed = [];
        for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
            if (ledger.isFailed(itemIndex))
                continue;
            const item = items[itemIndex];
            passed.push({ json: item.json, binary: item.binary, pairedItem: { item: itemIndex } });
        }
        return [[...passed, ...errorItems]];
    }
    const summary = {
        recordsAccepted: accepted,
        recordsNotAccepted: notAccepted,
        itemsFailed: failedItems.length,
        requests: stats?.requests ?? 0,
        failedRequests: stats?.failedRequests ?? 0,
        attempts: stats?.attempts ?? 0,
        gzip: input.gzip,
        bytesBeforeGzip: stats?.bytesBeforeGzip ?? 0,
        bytesAfterGzip: stats?.bytesAfterGzip ?? 0,
        bytesOnWire: stats?.bytesOnWire ?? 0,
        requestIds: stats?.requestIds ?? [],
        clientRequestIds: stats?.clientRequestIds ?? [],
        durationMs: input.durationMs,
        endpoint: input.target.endpoint,
        dcrImmutableId: input.target.dcrImmutableId,
        streamName: input.target.streamName,
    };
    const pairedItem = items.map((_, item) => ({ item }));
    return [[{ json: summary, pairedItem }, ...errorItems]];
}
function errorPayload(failure) {
    return {
        message: failure.message,
        azureErrorCode: failure.code ?? null,
        httpStatus: failure.status ?? null,
        requestId: failure.requestId ?? null,
    };
}
function errorItem(itemIndex, ledger) {
    const problem = ledger.problemOf(itemIndex);
    const failure = problem ? undefined : ledger.failureOf(itemIndex);
    const records = ledger.records[itemIndex];
    const counts = `${ledger.accepted[itemIndex]} of ${plural(records, 'record')} of item ${itemIndex} accepted`;
    const text = problem?.message ?? (failure ? `Azure did not accept it: ${failureText(failure)}` : '');
    const message = problem && records === 0 ? text : `${text} (${counts})`;
    return {
        json: {
            message,
            error: {
                message,
                itemIndex,
                httpStatus: failure?.status ?? null,
                azureErrorCode: failure?.code ?? null,
                azureErrorMessage: failure?.message ?? null,
                requestId: failure?.requestId ?? null,
                clientRequestId: failure?.clientRequestId ?? null,
                recordsAccepted: ledger.accepted[itemIndex],
                recordsNotAccepted: ledger.failed[itemIndex],
                field: problem?.field ?? null,
            },
        },
        pairedItem: { item: itemIndex },
    };
}
