import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from '../../../shared/retry';
import {
	AzureConfigurationError,
	checkIngestionEndpoint,
	resolveAuthSettings,
	type AzureAuthSettings,
} from '../../helpers/cloud';
import { describeFailure, uploadRecords, type SendFailure } from '../../helpers/pipeline';
import {
	RecordError,
	recordsOfItem,
	timeGeneratedOf,
	type RecordOptions,
	type RecordSource,
	type TimeGeneratedMode,
} from '../../helpers/records';
import {
	ingestionUrl,
	parseEndpoint,
	validateApiVersion,
	validateDcrImmutableId,
	validateStreamName,
} from '../../helpers/validation';
import { sendBody } from '../../transport/ingest';
import { getAccessToken, TokenRequestError } from '../../transport/token';

/** The service's limit on one request body, in bytes as sent (after gzip). */
export const REQUEST_BODY_LIMIT = 1_048_576;
/** What this node allows itself: a little under the limit, in case a proxy counts differently. */
export const MAX_BODY_BYTES = REQUEST_BODY_LIMIT - 1_024;
const REQUEST_TIMEOUT_MS = 120_000;

export const description: INodeProperties[] = [
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://my-dce-abcd.eastus-1.ingest.monitor.azure.com',
		description:
			"Logs ingestion URL of the Data Collection Endpoint (DCE), or the DCR's own logs ingestion URL for DCRs of kind Direct",
		displayOptions: { show: { resource: ['log'], operation: ['upload'] } },
	},
	{
		displayName: 'DCR Immutable ID',
		name: 'dcrImmutableId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. dcr-00112233445566778899aabbccddeeff',
		description:
			"Immutable ID of the Data Collection Rule: dcr- followed by 32 hexadecimal characters (DCR's Overview page, JSON View)",
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
				description:
					'Whether to gzip request bodies. The 1 MB request limit counts compressed bytes, so gzip packs several times more records into each request.',
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
				// n8n's standard wording for this option.
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
						description:
							'One item: records accepted, requests, bytes before and after gzip, request IDs, duration',
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
				description:
					'Field of each record holding its time: ISO 8601, "YYYY-MM-DD HH:MM:SS" (UTC) or Unix time',
				displayOptions: { show: { timeGenerated: ['fromField'] } },
			},
		],
	},
];

interface UploadOptions {
	apiVersion?: string;
	gzip?: boolean;
	concurrency?: number;
	allowUnauthorizedCerts?: boolean;
	output?: 'summary' | 'passThrough';
	recordSource?: RecordSource;
	recordsField?: string;
	timeGenerated?: TimeGeneratedMode;
	timeGeneratedField?: string;
}

/** Per input item: how many of its records were accepted, and the first reason for any refusal. */
interface ItemOutcome {
	records: number;
	accepted: number;
	failed: number;
	failure?: SendFailure;
	/** Item-level problem (bad data, oversized record): explained in words. */
	problem?: string;
	problemField?: string;
}

function configurationError(this: IExecuteFunctions, error: unknown): Error {
	if (error instanceof AzureConfigurationError) {
		return new NodeOperationError(this.getNode(), error.message, {
			description: `Check the "${error.field}" setting.`,
		});
	}
	return new NodeOperationError(this.getNode(), error instanceof Error ? error.message : String(error));
}

function plural(count: number, word: string): string {
	return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const started = Date.now();
	const continueOnFail = this.continueOnFail();
	const options = this.getNodeParameter('options', 0, {}) as UploadOptions;
	const gzip = options.gzip !== false;
	const skipSsl = options.allowUnauthorizedCerts === true;

	// Parameters and credential are checked before anything is sent or a token is requested.
	let url: string;
	let auth: AzureAuthSettings;
	let endpointOrigin: string;
	const dcrImmutableId = String(this.getNodeParameter('dcrImmutableId', 0, ''));
	const streamName = String(this.getNodeParameter('streamName', 0, ''));
	try {
		const endpoint = parseEndpoint(String(this.getNodeParameter('endpoint', 0, '')));
		url = ingestionUrl(
			endpoint,
			validateDcrImmutableId(dcrImmutableId),
			validateStreamName(streamName),
			validateApiVersion(options.apiVersion ?? '2023-01-01'),
		);
		auth = resolveAuthSettings(await this.getCredentials('azureLogIngestionApi'));
		checkIngestionEndpoint(auth.cloud, endpoint);
		endpointOrigin = endpoint.origin;
	} catch (error) {
		throw configurationError.call(this, error);
	}

	const recordOptions: RecordOptions = {
		source: options.recordSource ?? 'item',
		recordsField: (options.recordsField ?? 'records').trim(),
		timeGenerated: options.timeGenerated ?? 'nowIfMissing',
		timeGeneratedField: (options.timeGeneratedField ?? 'dateTime').trim(),
		nowIso: new Date(started).toISOString(),
	};
	if (recordOptions.source === 'field' && recordOptions.recordsField === '') {
		throw new NodeOperationError(this.getNode(), 'The Records Field option is empty', {
			description: 'Name the field of each item that holds the array of records.',
		});
	}
	if (recordOptions.timeGenerated === 'fromField' && recordOptions.timeGeneratedField === '') {
		throw new NodeOperationError(this.getNode(), 'The TimeGenerated Field option is empty', {
			description: 'Name the field of each record that holds its date and time.',
		});
	}

	// Records of all items, in order; recordItem maps each record back to its input item.
	const outcomes: ItemOutcome[] = items.map(() => ({ records: 0, accepted: 0, failed: 0 }));
	const records: IDataObject[] = [];
	const recordItem: number[] = [];
	const firstRecord: number[] = new Array<number>(items.length).fill(-1);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		let itemRecords: IDataObject[];
		if (recordOptions.source === 'item') {
			const result = timeGeneratedOf(json, recordOptions);
			if (result instanceof RecordError) {
				if (!continueOnFail) {
					throw new NodeOperationError(this.getNode(), `Item ${itemIndex} ${result.message}`, {
						itemIndex,
						description: `Check the "${result.field}" field of the item, or the TimeGenerated option. Nothing was sent.`,
					});
				}
				outcomes[itemIndex].problem = `Item ${itemIndex} ${result.message}`;
				outcomes[itemIndex].problemField = result.field;
				continue;
			}
			itemRecords = [result];
		} else {
			try {
				itemRecords = recordsOfItem(json, recordOptions);
			} catch (error) {
				const message = `Item ${itemIndex} ${error instanceof Error ? error.message : String(error)}`;
				const field = error instanceof RecordError ? error.field : recordOptions.recordsField;
				if (!continueOnFail) {
					throw new NodeOperationError(this.getNode(), message, {
						itemIndex,
						description: `Check the "${field}" field of the item. Nothing was sent.`,
					});
				}
				outcomes[itemIndex].problem = message;
				outcomes[itemIndex].problemField = field;
				continue;
			}
		}
		firstRecord[itemIndex] = records.length;
		outcomes[itemIndex].records = itemRecords.length;
		for (const record of itemRecords) {
			records.push(record);
			recordItem.push(itemIndex);
		}
	}

	const cancelSignal = this.getExecutionCancelSignal();
	const tokenOptions = { skipSslCertificateValidation: skipSsl, abortSignal: cancelSignal };
	let stats: Awaited<ReturnType<typeof uploadRecords>> | undefined;
	if (records.length > 0) {
		// One token up front: a wrong credential fails once, clearly, before any body is built.
		try {
			await getAccessToken.call(this, auth, tokenOptions);
		} catch (error) {
			const message =
				error instanceof TokenRequestError || error instanceof Error ? error.message : String(error);
			const failure: SendFailure = {
				ok: false,
				code: error instanceof TokenRequestError ? error.aadstsCode : undefined,
				message: `No access token: ${message}`,
				attempts: 0,
				bytesOnWire: 0,
			};
			if (!continueOnFail) {
				throw new NodeApiError(this.getNode(), { message, code: failure.code ?? null } as JsonObject, {
					message: `Could not get an access token: nothing was sent (0 of ${plural(records.length, 'record')} accepted)`,
					description: message,
				});
			}
			for (let index = 0; index < records.length; index++) {
				const outcome = outcomes[recordItem[index]];
				outcome.failed++;
				outcome.failure ??= failure;
			}
		}
		const tokenFailed = outcomes.some((outcome) => outcome.failure !== undefined);
		if (!tokenFailed) {
			const context = {
				auth,
				url,
				policy: DEFAULT_RETRY_POLICY,
				skipSslCertificateValidation: skipSsl,
				abortSignal: cancelSignal,
				timeoutMs: REQUEST_TIMEOUT_MS,
			};
			stats = await uploadRecords(
				records,
				{
					maxBodyBytes: MAX_BODY_BYTES,
					gzip,
					concurrency: Math.min(16, Math.max(1, Math.floor(options.concurrency ?? 4))),
					send: async (body, info) => await sendBody.call(this, context, body, info.gzip),
					isCancelled: () => cancelSignal?.aborted === true,
				},
				{
					accepted: (start, count) => {
						for (let index = start; index < start + count; index++) {
							outcomes[recordItem[index]].accepted++;
						}
					},
					failed: (start, count, failure) => {
						for (let index = start; index < start + count; index++) {
							const outcome = outcomes[recordItem[index]];
							outcome.failed++;
							outcome.failure ??= failure;
						}
					},
					oversized: (recordIndex, bodyBytes, limit, compressed) => {
						const itemIndex = recordItem[recordIndex];
						const outcome = outcomes[itemIndex];
						const position = recordIndex - firstRecord[itemIndex];
						const which =
							recordOptions.source === 'item'
								? `The record of item ${itemIndex}`
								: `Record ${position} of item ${itemIndex} ("${recordOptions.recordsField}[${position}]")`;
						outcome.failed++;
						outcome.problem ??= `${which} is ${bodyBytes.toLocaleString('en-US')} bytes${compressed ? ' after gzip' : ''} on its own, over the ${limit.toLocaleString('en-US')}-byte limit of one request: it was not sent. Shorten or split it (Azure truncates field values over 64 KB anyway)${compressed ? '' : ', or turn gzip on'}`;
						outcome.problemField ??= recordOptions.source === 'item' ? 'json' : recordOptions.recordsField;
					},
				},
			);
		}
	}

	return buildOutput.call(this, {
		items,
		outcomes,
		stats,
		continueOnFail,
		passThrough: options.output === 'passThrough',
		totalRecords: records.length,
		gzip,
		durationMs: Date.now() - started,
		target: { endpoint: endpointOrigin, dcrImmutableId: dcrImmutableId.trim(), streamName: streamName.trim() },
	});
}

interface OutputInput {
	items: INodeExecutionData[];
	outcomes: ItemOutcome[];
	stats: Awaited<ReturnType<typeof uploadRecords>> | undefined;
	continueOnFail: boolean;
	passThrough: boolean;
	totalRecords: number;
	gzip: boolean;
	durationMs: number;
	target: { endpoint: string; dcrImmutableId: string; streamName: string };
}

function failureText(failure: SendFailure): string {
	const hint = failure.hint ? `. ${failure.hint}` : '';
	return `${describeFailure(failure)}${hint}`;
}

function buildOutput(this: IExecuteFunctions, input: OutputInput): INodeExecutionData[][] {
	const { items, outcomes, stats } = input;
	let accepted = 0;
	let notAccepted = 0;
	const failedItems: number[] = [];
	outcomes.forEach((outcome, itemIndex) => {
		accepted += outcome.accepted;
		notAccepted += outcome.failed;
		if (outcome.failed > 0 || outcome.problem !== undefined) failedItems.push(itemIndex);
	});

	if (failedItems.length > 0 && !input.continueOnFail) {
		const first = failedItems[0];
		const outcome = outcomes[first];
		const cause = outcome.problem ?? (outcome.failure ? failureText(outcome.failure) : '');
		const counts = `Azure accepted ${accepted.toLocaleString('en-US')} of ${plural(input.totalRecords, 'record')}; ${plural(notAccepted, 'record')} ${notAccepted === 1 ? 'was' : 'were'} not accepted (${plural(failedItems.length, 'item')}, first: item ${first})`;
		const requestIds = stats?.requestIds.length
			? ` Accepted requests' x-ms-request-id: ${stats.requestIds.join(', ')}.`
			: '';
		const description = `${cause}${outcome.failure?.requestId ? ` (x-ms-request-id ${outcome.failure.requestId})` : ''}.${requestIds}`;
		if (outcome.failure && outcome.problem === undefined) {
			throw new NodeApiError(this.getNode(), errorPayload(outcome.failure), {
				message: counts,
				description,
				httpCode: outcome.failure.status !== undefined ? String(outcome.failure.status) : undefined,
				itemIndex: first,
			});
		}
		throw new NodeOperationError(this.getNode(), counts, { description, itemIndex: first });
	}

	const errorItems: INodeExecutionData[] = failedItems.map((itemIndex) =>
		errorItem.call(this, itemIndex, outcomes[itemIndex]),
	);

	if (input.passThrough) {
		const passed: INodeExecutionData[] = [];
		outcomes.forEach((outcome, itemIndex) => {
			if (outcome.failed > 0 || outcome.problem !== undefined) return;
			const item = items[itemIndex];
			passed.push({ json: item.json, binary: item.binary, pairedItem: { item: itemIndex } });
		});
		return [[...passed, ...errorItems]];
	}

	const summary: IDataObject = {
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
	// The summary stands for every input item, so it is paired with all of them.
	const pairedItem = items.map((_, item) => ({ item }));
	return [[{ json: summary, pairedItem }, ...errorItems]];
}

function errorPayload(failure: SendFailure): JsonObject {
	return {
		message: failure.message,
		code: failure.code ?? null,
		httpCode: failure.status ?? null,
		requestId: failure.requestId ?? null,
	};
}

function errorItem(this: IExecuteFunctions, itemIndex: number, outcome: ItemOutcome): INodeExecutionData {
	const failure = outcome.problem === undefined ? outcome.failure : undefined;
	const counts = `${outcome.accepted} of ${plural(outcome.records, 'record')} of item ${itemIndex} accepted`;
	const text = outcome.problem ?? (failure ? `Azure did not accept it: ${failureText(failure)}` : '');
	const message = outcome.problem !== undefined && outcome.records === 0 ? text : `${text} (${counts})`;
	const error = failure
		? new NodeApiError(this.getNode(), errorPayload(failure), {
				message,
				description: failure.hint,
				httpCode: failure.status !== undefined ? String(failure.status) : undefined,
				itemIndex,
			})
		: new NodeOperationError(this.getNode(), message, {
				itemIndex,
				description: outcome.problemField ? `Check the "${outcome.problemField}" field.` : undefined,
			});
	return {
		json: {
			error: message,
			itemIndex,
			httpStatus: failure?.status ?? null,
			azureErrorCode: failure?.code ?? null,
			azureErrorMessage: failure?.message ?? null,
			requestId: failure?.requestId ?? null,
			clientRequestId: failure?.clientRequestId ?? null,
			recordsAccepted: outcome.accepted,
			recordsNotAccepted: outcome.failed,
		},
		error,
		pairedItem: { item: itemIndex },
	};
}
