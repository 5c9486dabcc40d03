import type { IDataObject } from 'n8n-workflow';

import type { PageRequest, PageResponse } from '../helpers/pager';
import { parsePageInfo } from '../helpers/pagination';
import {
	postToThreatLocker,
	ThreatLockerApiFailure,
	type OperationConnection,
	type ThreatLockerConnection,
	type ThreatLockerContext,
} from '../transport';

export type { OperationConnection };

/** One page of an endpoint: the operation's query plus paging fields, rows and page info back. */
export function fetchPageWith(
	context: ThreatLockerContext,
	base: OperationConnection,
	organizationOverride: string | undefined,
	path: string,
	queryFor: (request: PageRequest) => IDataObject,
): (request: PageRequest) => Promise<PageResponse> {
	const connection: ThreatLockerConnection = {
		baseUrl: base.baseUrl,
		organizationId: organizationOverride ?? base.defaultOrganizationId,
		secrets: base.secrets,
		retry: base.retry,
	};
	return async (request) => {
		const body: IDataObject = {
			...queryFor(request),
			pageNumber: request.pageNumber,
			pageSize: request.pageSize,
		};
		if (request.afterKeys) body.afterKeys = request.afterKeys as IDataObject;
		const response = await postToThreatLocker(context, connection, path, body);
		return { records: rowsOf(response.body), info: parsePageInfo(response.headers) };
	};
}

/** The API answers a bare array; "no rows" may come as an empty body or `null`. */
export function rowsOf(body: unknown): Array<Record<string, unknown>> {
	if (body === null || body === undefined || body === '') return [];
	if (Array.isArray(body)) {
		return body.filter((row): row is Record<string, unknown> => !!row && typeof row === 'object');
	}
	throw new ThreatLockerApiFailure(
		'ThreatLocker answered with an object where a list of records was expected',
		200,
		'Check the instance or Base URL Override: the answer did not come from the portal API.',
	);
}

/** A 400/417/422 on a page past 10 means the API did not take our afterKeys. */
export function isPagingRejection(error: unknown): boolean {
	return (
		error instanceof ThreatLockerApiFailure &&
		(error.status === 400 || error.status === 417 || error.status === 422)
	);
}
