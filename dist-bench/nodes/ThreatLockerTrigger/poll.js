"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TEST_EVENT_DAYS = void 0;
exports.readConfig = readConfig;
exports.configurationOf = configurationOf;
exports.pollForNewRecords = pollForNewRecords;
exports.fetchTestEvent = fetchTestEvent;
const n8n_workflow_1 = require("n8n-workflow");
const paging_1 = require("../ThreatLocker/actions/paging");
const dates_1 = require("../ThreatLocker/helpers/dates");
const pager_1 = require("../ThreatLocker/helpers/pager");
const validation_1 = require("../ThreatLocker/helpers/validation");
const transport_1 = require("../ThreatLocker/transport");
const description_1 = require("./description");
const errors_1 = require("./errors");
const state_1 = require("./state");
const HEALTH_MAX_PAGE_SIZE = 10_000;
exports.TEST_EVENT_DAYS = 30;
const PROBE_PAGE_SIZE = 100;
function numberOption(context, options, name, label, fallback, min, max) {
    const value = options[name] === undefined ? fallback : options[name];
    if (!(0, validation_1.isWholeNumberInRange)(value, min, max)) {
        throw (0, errors_1.invalidOption)(context.getNode(), label, `must be a whole number from ${min} to ${max}, not ${String(value)}`);
    }
    return value;
}
function guidOption(context, label, value) {
    const text = value === undefined || value === null ? '' : String(value).trim();
    if (text === '')
        return undefined;
    if (!(0, validation_1.isGuid)(text)) {
        throw (0, errors_1.invalidOption)(context.getNode(), label, `"${text}" is not a GUID (format 00000000-0000-0000-0000-000000000000)`);
    }
    return text;
}
function readConfig(context) {
    const event = context.getNodeParameter('event', 'auditEntry');
    if (event !== 'auditEntry' && event !== 'loginAttempt') {
        throw (0, errors_1.invalidOption)(context.getNode(), 'Event', `"${event}" is not supported`);
    }
    const options = context.getNodeParameter('options', {});
    const config = {
        event,
        pageSize: numberOption(context, options, 'pageSize', 'Page Size', 1000, 1, validation_1.MAX_PAGE_SIZE),
        lookBackMs: numberOption(context, options, 'lookBackHours', 'Look Back (Hours)', 0, 0, description_1.MAX_LOOK_BACK_HOURS) * state_1.HOUR_MS,
        overlapMs: numberOption(context, options, 'overlapMinutes', 'Overlap (Minutes)', description_1.DEFAULT_OVERLAP_MINUTES, 0, description_1.MAX_OVERLAP_MINUTES) * state_1.MINUTE_MS,
        organizationId: guidOption(context, 'Managed Organization ID', options.managedOrganizationId),
        auditQuery: {},
        outcomes: [],
        searchText: '',
    };
    if (event === 'auditEntry') {
        const filters = context.getNodeParameter('filters', {});
        const query = {};
        const actions = Array.isArray(filters.actions) ? filters.actions : [];
        if (actions.length > 0)
            query.actions = actions;
        for (const field of ['details', 'effectiveAction', 'emailAddress', 'iPAddress']) {
            const value = typeof filters[field] === 'string' ? filters[field].trim() : '';
            if (value)
                query[field] = value;
        }
        const objectId = guidOption(context, 'Object ID', filters.objectId);
        if (objectId)
            query.objectId = objectId;
        query.viewChildOrganizations = context.getNodeParameter('viewChildOrganizations', false);
        config.auditQuery = query;
    }
    else {
        const loginResult = context.getNodeParameter('loginResult', 'both');
        if (!['both', 'successful', 'denied'].includes(loginResult)) {
            throw (0, errors_1.invalidOption)(context.getNode(), 'Login Result', `"${loginResult}" is not supported`);
        }
        config.outcomes = loginResult === 'both' ? [true, false] : [loginResult === 'successful'];
        config.searchText = context.getNodeParameter('searchText', '').trim();
    }
    return config;
}
function configurationOf(config, connection) {
    return {
        event: config.event,
        baseUrl: connection.baseUrl.toLowerCase(),
        organization: (config.organizationId ?? connection.defaultOrganizationId ?? '').toLowerCase(),
        query: config.event === 'auditEntry'
            ? config.auditQuery
            : { outcomes: config.outcomes, searchText: config.searchText },
    };
}
async function connect(context) {
    return { ...(await (0, transport_1.connectionFor)(context)), retry: transport_1.THREATLOCKER_RETRY_POLICY };
}
function auditPages(context, connection, config, window) {
    return (0, paging_1.fetchPageWith)(context, connection, config.organizationId, transport_1.SYSTEM_AUDIT_PATH, (request) => {
        const range = request.window ?? window;
        return {
            ...config.auditQuery,
            startDate: (0, dates_1.formatApiDate)(range.start),
            endDate: (0, dates_1.formatApiDate)(range.end),
        };
    });
}
function loginPages(context, connection, config, days, isLoggedIn) {
    return (0, paging_1.fetchPageWith)(context, connection, config.organizationId, transport_1.HEALTH_CENTER_PATH, () => {
        const query = { days, isLoggedIn };
        if (config.searchText)
            query.searchText = config.searchText;
        return query;
    });
}
async function readAll(context, connection, config, window, now) {
    const batches = [];
    if (config.event === 'auditEntry') {
        const range = (0, state_1.apiWindow)(window);
        const records = [];
        await (0, pager_1.pullAll)({
            fetchPage: auditPages(context, connection, config, range),
            pageSize: config.pageSize,
            maxPageSize: validation_1.MAX_PAGE_SIZE,
            window: range,
            isPagingRejection: paging_1.isPagingRejection,
            onRecord: (record) => records.push(record),
        });
        batches.push(records);
        return batches;
    }
    const days = (0, state_1.loginDays)(window.start, now);
    for (const isLoggedIn of config.outcomes) {
        const records = [];
        await (0, pager_1.pullAll)({
            fetchPage: loginPages(context, connection, config, days, isLoggedIn),
            pageSize: config.pageSize,
            maxPageSize: HEALTH_MAX_PAGE_SIZE,
            isPagingRejection: paging_1.isPagingRejection,
            onRecord: (record) => records.push(record),
        });
        batches.push(records);
    }
    return batches;
}
function writeState(staticData, state) {
    for (const key of Object.keys(staticData)) {
        if (!(key in state))
            delete staticData[key];
    }
    staticData.v = state.v;
    staticData.event = state.event;
    staticData.fingerprint = state.fingerprint;
    staticData.start = state.start;
    staticData.cursor = state.cursor;
    staticData.seen = { ...state.seen };
}
async function pollForNewRecords(context, config) {
    const now = Date.now();
    const node = context.getNode();
    const staticData = context.getWorkflowStaticData('node');
    let batches;
    let state;
    let window;
    try {
        const connection = await connect(context);
        const fingerprint = (0, state_1.fingerprintOf)(configurationOf(config, connection));
        const stored = (0, state_1.parseState)(staticData);
        state =
            stored && stored.fingerprint === fingerprint && stored.event === config.event
                ? stored
                : (0, state_1.freshState)(config.event, fingerprint, now, config.lookBackMs);
        window = (0, state_1.readWindow)(state, config.overlapMs, now);
        batches = await readAll(context, connection, config, window, now);
    }
    catch (error) {
        throw (0, errors_1.toNodeError)(node, error);
    }
    const fresh = (0, state_1.selectNew)(batches, window, state.seen);
    writeState(staticData, (0, state_1.advance)(state, fresh, config.overlapMs, window.end));
    if (fresh.length === 0)
        return null;
    return [fresh.map(({ record }) => ({ json: record }))];
}
function newestIn(records, oldestFirst) {
    let best;
    let bestTime = Number.NEGATIVE_INFINITY;
    for (const record of records) {
        const time = (0, dates_1.recordTime)(record) ?? Number.NEGATIVE_INFINITY;
        if (best === undefined || time > bestTime || (oldestFirst && time === bestTime)) {
            best = record;
            bestTime = time;
        }
    }
    return best;
}
function isOldestFirst(records) {
    return (0, state_1.readsOldestFirst)(records.map((record) => (0, dates_1.recordTime)(record)));
}
async function newestRecord(fetchPage, window, readEverything) {
    let range = window;
    let best;
    for (let probe = 0; probe < 100; probe++) {
        const page = await fetchPage({ pageNumber: 1, pageSize: PROBE_PAGE_SIZE, window: range });
        if (page.records.length === 0)
            return best;
        const oldestFirst = isOldestFirst(page.records);
        best = newestIn(best ? [best, ...page.records] : page.records, oldestFirst);
        if (!oldestFirst || page.records.length < PROBE_PAGE_SIZE)
            return best;
        const newestTime = (0, dates_1.recordTime)(best ?? {});
        if (!range)
            return newestIn(await readEverything(), true);
        if (newestTime === undefined || newestTime <= range.start)
            return best;
        range = { start: newestTime, end: range.end };
    }
    return best;
}
async function fetchTestEvent(context, config) {
    const node = context.getNode();
    const now = Date.now();
    let newest;
    try {
        const connection = await connect(context);
        if (config.event === 'auditEntry') {
            const window = (0, state_1.apiWindow)({ start: now - exports.TEST_EVENT_DAYS * state_1.DAY_MS, end: now });
            newest = await newestRecord(auditPages(context, connection, config, window), window, async () => []);
        }
        else {
            const candidates = [];
            for (const isLoggedIn of config.outcomes) {
                const fetchPage = loginPages(context, connection, config, exports.TEST_EVENT_DAYS, isLoggedIn);
                const found = await newestRecord(fetchPage, undefined, async () => {
                    const records = [];
                    await (0, pager_1.pullAll)({
                        fetchPage,
                        pageSize: config.pageSize,
                        maxPageSize: HEALTH_MAX_PAGE_SIZE,
                        isPagingRejection: paging_1.isPagingRejection,
                        onRecord: (record) => records.push(record),
                    });
                    return records;
                });
                if (found)
                    candidates.push(found);
            }
            newest = newestIn(candidates, false);
        }
    }
    catch (error) {
        throw (0, errors_1.toNodeError)(node, error);
    }
    if (!newest) {
        const what = config.event === 'auditEntry' ? 'System Audit entries' : 'login attempts';
        throw new n8n_workflow_1.NodeOperationError(node, `No ${what} match in the last ${exports.TEST_EVENT_DAYS} days`, {
            description: 'Fetch Test Event shows the newest matching record. Check the filters and the organization, or wait until a matching record exists.',
        });
    }
    return [[{ json: newest }]];
}
