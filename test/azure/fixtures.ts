/** Shared set-up for the Azure Log Ingestion tests: simulator, credentials, node specs, scans. */
import { Container } from '@n8n/di';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

import { runNode, type NodeSpec } from '../harness';
import { AzureSimulator, type SimOptions } from '../simulators/azure';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const SECRET = 'Zx8Q~sim-secret-value-0123456789abcdef';
export const NO_ROLE_CLIENT = 'ffffffff-0000-1111-2222-333333333333';
export const NO_ROLE_SECRET = 'Qq8Q~another-secret-value-987654321';
export const EXPIRED_CLIENT = '99999999-8888-7777-6666-555555555555';
export const EXPIRED_SECRET = 'Ee8Q~expired-secret-value-246813579';
export const DCR = 'dcr-00112233445566778899aabbccddeeff';
export const STREAM = 'Custom-ThreatLockerAudit_CL';
export const OTHER_STREAM = 'Custom-Other_CL';

export function simOptions(overrides: SimOptions = {}): SimOptions {
	return {
		apps: [
			{ tenantId: TENANT, clientId: CLIENT, secret: SECRET },
			{ tenantId: TENANT, clientId: NO_ROLE_CLIENT, secret: NO_ROLE_SECRET },
			{ tenantId: TENANT, clientId: EXPIRED_CLIENT, secret: EXPIRED_SECRET, secretExpired: true },
		],
		dcrs: [{ immutableId: DCR, streams: [STREAM, OTHER_STREAM], allowedClientIds: [CLIENT] }],
		...overrides,
	};
}

export async function startSimulator(overrides: SimOptions = {}): Promise<AzureSimulator> {
	return await AzureSimulator.start(simOptions(overrides));
}

export function credentialsFor(
	sim: AzureSimulator,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		cloud: 'custom',
		tenantId: TENANT,
		clientId: CLIENT,
		clientSecret: SECRET,
		authorityHost: sim.authorityUrl,
		audience: 'https://monitor.azure.com',
		accessToken: '',
		...overrides,
	};
}

export function uploadNode(
	sim: AzureSimulator,
	options: IDataObject = {},
	extra: Partial<NodeSpec> & { parameters?: IDataObject } = {},
): NodeSpec {
	return {
		name: 'Azure Log Ingestion',
		type: 'azureLogIngestion',
		...extra,
		parameters: {
			resource: 'log',
			operation: 'upload',
			endpoint: sim.ingestionUrl,
			dcrImmutableId: DCR,
			streamName: STREAM,
			options: { allowUnauthorizedCerts: true, ...options },
			...(extra.parameters ?? {}),
		},
	};
}

export async function upload(
	sim: AzureSimulator,
	input: IDataObject[],
	options: IDataObject = {},
	extra: Partial<NodeSpec> & {
		parameters?: IDataObject;
		credentials?: ICredentialDataDecryptedObject;
	} = {},
): Promise<Awaited<ReturnType<typeof runNode>>> {
	const { credentials, ...spec } = extra;
	return await runNode({
		node: uploadNode(sim, options, spec),
		credentials: { azureLogIngestionApi: credentials ?? credentialsFor(sim) },
		input,
	});
}

/** Deterministic System-Audit-like records (seeded, so runs compare exactly). */
export function auditRecords(count: number, seed = 1, detailLength = 400): IDataObject[] {
	let state = seed >>> 0 || 1;
	const next = () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 0x100000000;
	};
	const words = ['computer', 'policy', 'group', 'approval', 'request', 'storage', 'elevation', 'portal', 'deny', 'permit', 'ringfence', 'audit', 'network', 'user', 'ticket'];
	const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
	const records: IDataObject[] = [];
	for (let i = 0; i < count; i++) {
		let details = '';
		while (details.length < detailLength) details += `${words[Math.floor(next() * words.length)]} `;
		records.push({
			systemAuditId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
			seq: i,
			emailAddress: `user${Math.floor(next() * 300)}@contoso.com`,
			action: ['Create', 'Delete', 'Logon', 'Logoff', 'Modify', 'Read'][Math.floor(next() * 6)],
			effectiveAction: next() < 0.8 ? 'Permitted' : 'Denied',
			details: { page: 'Computers', function: 'GetComputers', objectId: hex(32), details: details.trim() },
			ipAddress: `10.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`,
			dateTime: new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString(),
			organizationId: `${hex(8)}-0000-4000-8000-${hex(12)}`,
			organizationName: `Contoso ${Math.floor(next() * 20)}`,
			systemAuditObjectTypeId: Math.floor(next() * 12),
			ticketNumber: null,
			notes: null,
			userId: hex(32),
			masterViewOnly: false,
		});
	}
	return records;
}

/** Serialises anything (errors included, with message/description/stack/cause) for scanning. */
export function deepDump(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, current: unknown) => {
		if (typeof current === 'object' && current !== null) {
			if (seen.has(current)) return '[circular]';
			seen.add(current);
		}
		if (current instanceof Error) {
			const extra = current as Error & { description?: unknown; cause?: unknown; messages?: unknown; context?: unknown };
			return {
				...current,
				name: current.name,
				message: current.message,
				description: extra.description,
				messages: extra.messages,
				context: extra.context,
				stack: current.stack,
				cause: extra.cause,
			};
		}
		return current;
	});
}

/** Asserts that no secret or issued token appears anywhere in `value`. */
export function expectNoSecrets(value: unknown, secrets: string[]): void {
	const dump = deepDump(value);
	for (const secret of secrets) {
		expect(dump.includes(secret)).toBe(false);
	}
}

/**
 * n8n-core's SSHClientsManager (created with the first ExecuteContext) keeps a 60 s interval
 * running, which stops Jest from exiting; n8n clears it on shutdown. test/harness/teardown.ts now
 * does this after every test file; kept for suites that call it themselves.
 */
export function releaseEngineTimers(): void {
	Container.get(SSHClientsManager).onShutdown();
}
