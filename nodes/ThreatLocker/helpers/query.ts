import type { IDataObject } from 'n8n-workflow';

import { formatApiDate } from './dates';

/** Largest Health Center page the pager may switch to when there is no other way to read all. */
export const HEALTH_MAX_PAGE_SIZE = 10_000;

/**
 * The System Audit request fields for the node's filters (already validated): the search
 * operation and the trigger send exactly the same query for the same settings.
 */
export function auditQuery(
	filters: IDataObject,
	objectId: string | undefined,
	viewChildOrganizations: boolean,
): IDataObject {
	const query: IDataObject = {};
	const actions = Array.isArray(filters.actions) ? (filters.actions as string[]) : [];
	if (actions.length > 0) query.actions = actions;
	for (const field of ['details', 'effectiveAction', 'emailAddress', 'iPAddress'] as const) {
		const value = typeof filters[field] === 'string' ? (filters[field] as string).trim() : '';
		if (value) query[field] = value;
	}
	if (objectId) query.objectId = objectId;
	query.viewChildOrganizations = viewChildOrganizations;
	return query;
}

/** One System Audit page's query: the filters plus the page's date window. */
export function auditPageQuery(query: IDataObject, window: { start: number; end: number }): IDataObject {
	return { ...query, startDate: formatApiDate(window.start), endDate: formatApiDate(window.end) };
}

/** Which Health Center queries a Login Result asks for: isLoggedIn true, false, or both. */
export function loginOutcomes(loginResult: string): boolean[] {
	return loginResult === 'both' ? [true, false] : [loginResult === 'successful'];
}

/** One Health Center query (the search text only when there is one). */
export function loginQuery(days: number, isLoggedIn: boolean, searchText: string): IDataObject {
	const query: IDataObject = { days, isLoggedIn };
	if (searchText) query.searchText = searchText;
	return query;
}
