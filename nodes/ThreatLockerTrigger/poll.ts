import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fetchPageWith, isPagingRejection, type OperationConnection } from '../ThreatLocker/actions/paging';
import { invalidParameter, toNodeError } from '../ThreatLocker/errors';
import { recordTime } from '../ThreatLocker/helpers/dates';
import {
	auditPageQuery,
	auditQuery,
	HEALTH_MAX_PAGE_SIZE,
	loginOutcomes,
	loginQuery,
} from '../ThreatLocker/helpers/query';
import { collectAll, type DateWindow, type PageRequest, type PageResponse } from '../ThreatLocker/helpers/pager';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../ThreatLocker/helpers/validation';
import { guidParameter, wholeNumberParameter } from '../ThreatLocker/parameters';
import { connectionFor, HEALTH_CENTER_PATH, SYSTEM_AUDIT_PATH } from '../ThreatLocker/transport';
import { DEFAULT_OVERLAP_MINUTES, MAX_LOOK_BACK_HOURS, MAX_OVERLAP_MINUTES } from './description';
import {
	advance,
	apiWindow,
	DAY_MS,
	fingerprintOf,
	freshState,
	HOUR_MS,
	loginDays,
	MINUTE_MS,
	parseState,
	readsOldestFirst,
	readWindow,
	selectNew,
	type TriggerEvent,
	type TriggerState,
} from './state';

/** How far back "Fetch Test Event" looks for the newest record. */
export const TEST_EVENT_DAYS = 30;

/** Page size of the probes that find the newest record for "Fetch Test Event". */
const PROBE_PAGE_SIZE = 100;

type ApiRecord = Record<string, unknown>;

/** What the parameters ask for, checked before any request. */
export interface TriggerConfig {
	event: TriggerEvent;
	pageSize: number;
	lookBackMs: number;
	overlapMs: number;
	/** The Managed Organization ID option (overrides the credential's). */
	organizationId?: string;
	/** System Audit: the request fields the filters give (as the search operation sends them). */
	auditQuery: IDataObject;
	/** Login attempts: the `isLoggedIn` values to query. */
	outcomes: boolean[];
	searchText: string;
}

function numberOption(
	context: IPollFunctions,
	options: IDataObject,
	name: string,
	label: string,
	fallback: number,
	min: number,
	max: number,
): number {
	return wholeNumberParameter(context.getNode(), label, options[name], fallback, min, max);
}

function guidOption(context: IPollFunctions, label: string, value: unknown): string | undefined {
	return guidParameter(context.getNode(), label, value);
}

export function readConfig(context: IPollFunctions): TriggerConfig {
	const event = context.getNodeParameter('event', 'auditEntry') as string;
	if (event !== 'auditEntry' && event !== 'loginAttempt') {
		throw invalidParameter(context.getNode(), 'Event', `"${event}" is not supported`);
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const config: TriggerConfig = {
		event,
		pageSize: numberOption(context, options, 'pageSize', 'Page Size', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
		lookBackMs:
			numberOption(context, options, 'lookBackHours', 'Look Back (Hours)', 0, 0, MAX_LOOK_BACK_HOURS) * HOUR_MS,
		overlapMs:
			numberOption(
				context,
				options,
				'overlapMinutes',
				'Overlap (Minutes)',
				DEFAULT_OVERLAP_MINUTES,
				0,
				MAX_OVERLAP_MINUTES,
			) * MINUTE_MS,
		organizationId: guidOption(context, 'Managed Organization ID', options.managedOrganizationId),
		auditQuery: {},
		outcomes: [],
		searchText: '',
	};
	if (event === 'auditEntry') {
		// The same request fields as the search operation sends for the same filters.
		const filters = context.getNodeParameter('filters', {}) as IDataObject;
		const objectId = guidOption(context, 'Object ID', filters.objectId);
		config.auditQuery = auditQuery(
			filters,
			objectId,
			context.getNodeParameter('viewChildOrganizations', false) as boolean,
		);
	} else {
		const loginResult = context.getNodeParameter('loginResult', 'both') as string;
		if (!['both', 'successful', 'denied'].includes(loginResult)) {
			throw invalidParameter(context.getNode(), 'Login Result', `"${loginResult}" is not supported`);
		}
		config.outcomes = loginOutcomes(loginResult);
		config.searchText = (context.getNodeParameter('searchText', '') as string).trim();
	}
	return config;
}

/** Everything that decides which records match: a change means a new feed, started afresh. */
export function configurationOf(
	config: TriggerConfig,
	connection: OperationConnection,
): Record<string, unknown> {
	return {
		event: config.event,
		baseUrl: connection.baseUrl.toLowerCase(),
		organization: (config.organizationId ?? connection.defaultOrganizationId ?? '').toLowerCase(),
		query:
			config.event === 'auditEntry'
				? config.auditQuery
				: { outcomes: config.outcomes, searchText: config.searchText },
	};
}

/** System Audit pages; every request here carries its window (the pager's or the probe's). */
function auditPages(
	context: IPollFunctions,
	connection: OperationConnection,
	config: TriggerConfig,
): (request: PageRequest) => Promise<PageResponse> {
	return fetchPageWith(context, connection, config.organizationId, SYSTEM_AUDIT_PATH, (request) =>
		auditPageQuery(config.auditQuery, request.window!),
	);
}

function loginPages(
	context: IPollFunctions,
	connection: OperationConnection,
	config: TriggerConfig,
	days: number,
	isLoggedIn: boolean,
): (request: PageRequest) => Promise<PageResponse> {
	const query = loginQuery(days, isLoggedIn, config.searchText);
	return fetchPageWith(context, connection, config.organizationId, HEALTH_CENTER_PATH, () => query);
}

/** Every record of the window (System Audit) or of the days (login attempts), one list per query. */
async function readAll(
	context: IPollFunctions,
	connection: OperationConnection,
	config: TriggerConfig,
	window: DateWindow,
	now: number,
): Promise<ApiRecord[][]> {
	if (config.event === 'auditEntry') {
		const range = apiWindow(window);
		return [
			await collectAll({
				fetchPage: auditPages(context, connection, config),
				pageSize: config.pageSize,
				maxPageSize: MAX_PAGE_SIZE,
				window: range,
				isPagingRejection,
			}),
		];
	}
	const days = loginDays(window.start, now);
	const batches: ApiRecord[][] = [];
	for (const isLoggedIn of config.outcomes) {
		batches.push(
			await collectAll({
				fetchPage: loginPages(context, connection, config, days, isLoggedIn),
				pageSize: config.pageSize,
				maxPageSize: HEALTH_MAX_PAGE_SIZE,
				isPagingRejection,
			}),
		);
	}
	return batches;
}

/** Replaces the node's static data with `state` (n8n persists it with the workflow). */
function writeState(staticData: IDataObject, state: TriggerState): void {
	for (const key of Object.keys(staticData)) {
		if (!(key in state)) delete staticData[key];
	}
	staticData.v = state.v;
	staticData.event = state.event;
	staticData.fingerprint = state.fingerprint;
	staticData.start = state.start;
	staticData.cursor = state.cursor;
	staticData.seen = { ...state.seen };
}

/**
 * One scheduled poll: read from the cursor minus the overlap up to now, emit what was not
 * emitted before (oldest first), then move the cursor. The static data is written only after a
 * complete, successful read, so a failed poll changes nothing and the next one catches up.
 */
export async function pollForNewRecords(
	context: IPollFunctions,
	config: TriggerConfig,
): Promise<INodeExecutionData[][] | null> {
	const now = Date.now();
	const node = context.getNode();
	const staticData = context.getWorkflowStaticData('node');
	let batches: ApiRecord[][];
	let state: TriggerState;
	let window: DateWindow;
	try {
		const connection = await connectionFor(context);
		const fingerprint = fingerprintOf(configurationOf(config, connection));
		const stored = parseState(staticData);
		state =
			stored && stored.fingerprint === fingerprint && stored.event === config.event
				? stored
				: freshState(config.event, fingerprint, now, config.lookBackMs);
		window = readWindow(state, config.overlapMs, now);
		batches = await readAll(context, connection, config, window, now);
	} catch (error) {
		throw toNodeError(node, error);
	}
	const fresh = selectNew(batches, window, state.seen);
	writeState(staticData, advance(state, fresh, config.overlapMs, window.end));
	if (fresh.length === 0) return null;
	return [fresh.map(({ record }) => ({ json: record as IDataObject }))];
}

/** The newest of some records (ties: the first in newest-first order, else the last). */
function newestIn(records: ApiRecord[], oldestFirst: boolean): ApiRecord | undefined {
	let best: ApiRecord | undefined;
	let bestTime = Number.NEGATIVE_INFINITY;
	for (const record of records) {
		const time = recordTime(record) ?? Number.NEGATIVE_INFINITY;
		if (best === undefined || time > bestTime || (oldestFirst && time === bestTime)) {
			best = record;
			bestTime = time;
		}
	}
	return best;
}

function isOldestFirst(records: ApiRecord[]): boolean {
	return readsOldestFirst(records.map((record) => recordTime(record)));
}

/**
 * The newest record of a query, in a few requests whatever order the API answers in: a newest-
 * first page starts with it; an oldest-first page that is full means newer records follow, so the
 * window is narrowed to start at the newest record of the page (or, without a window, everything
 * is read).
 */
async function newestRecord(
	fetchPage: (request: PageRequest) => Promise<PageResponse>,
	window: DateWindow | undefined,
	readEverything: () => Promise<ApiRecord[]>,
): Promise<ApiRecord | undefined> {
	let range = window;
	let best: ApiRecord | undefined;
	for (let probe = 0; probe < 100; probe++) {
		const page = await fetchPage({ pageNumber: 1, pageSize: PROBE_PAGE_SIZE, window: range });
		if (page.records.length === 0) return best;
		const oldestFirst = isOldestFirst(page.records);
		best = newestIn(best ? [best, ...page.records] : page.records, oldestFirst);
		if (!oldestFirst || page.records.length < PROBE_PAGE_SIZE) return best;
		const newestTime = recordTime(best ?? {});
		if (!range) return newestIn(await readEverything(), true);
		if (newestTime === undefined || newestTime <= range.start) return best;
		range = { start: newestTime, end: range.end };
	}
	return best;
}

/**
 * "Fetch Test Event": the newest matching record of the last days, as one item. The static data
 * is not touched, and failures are shown, never swallowed.
 */
export async function fetchTestEvent(
	context: IPollFunctions,
	config: TriggerConfig,
): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const now = Date.now();
	let newest: ApiRecord | undefined;
	try {
		const connection = await connectionFor(context);
		if (config.event === 'auditEntry') {
			const window = apiWindow({ start: now - TEST_EVENT_DAYS * DAY_MS, end: now });
			newest = await newestRecord(auditPages(context, connection, config), window, async () => []);
		} else {
			const candidates: ApiRecord[] = [];
			for (const isLoggedIn of config.outcomes) {
				const fetchPage = loginPages(context, connection, config, TEST_EVENT_DAYS, isLoggedIn);
				const found = await newestRecord(
					fetchPage,
					undefined,
					async () =>
						await collectAll({
							fetchPage,
							pageSize: config.pageSize,
							maxPageSize: HEALTH_MAX_PAGE_SIZE,
							isPagingRejection,
						}),
				);
				if (found) candidates.push(found);
			}
			newest = newestIn(candidates, false);
		}
	} catch (error) {
		throw toNodeError(node, error);
	}
	if (!newest) {
		const what = config.event === 'auditEntry' ? 'System Audit entries' : 'login attempts';
		throw new NodeOperationError(node, `No ${what} match in the last ${TEST_EVENT_DAYS} days`, {
			description:
				'Fetch Test Event shows the newest matching record. Check the filters and the organization, or wait until a matching record exists.',
		});
	}
	return [[{ json: newest as IDataObject }]];
}
