/**
 * n8n's credential "Test" button for credentials with a declarative `test` request, as n8n's
 * CredentialsTester runs it: a temporary "n8n-nodes-base.noOp" node whose only parameter routes
 * the test request, executed by n8n-core's real RoutingNode (so `={{ }}` expressions go through
 * n8n's own expression engine, and errors are wrapped exactly as in n8n). Authentication goes
 * through a CredentialsHelper that reproduces n8n's: preAuthentication runs when the expirable
 * property is empty, expired, or — always — when credentials are being tested; then
 * `authenticate`; then the request; then the `rules` (responseCode, responseSuccessBody).
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { additionalDataFor, credentialTypes } from './index';

const NO_OP_TYPE = 'n8n-nodes-base.noOp';

/** preAuthentication as n8n's CredentialsHelper does it (packages/cli/src/credentials-helper.ts). */
export class PreAuthenticatingCredentialsHelper extends TestCredentialsHelper {
	/** Every credential update n8n would persist (the refreshed expirable property). */
	readonly updates: ICredentialDataDecryptedObject[] = [];

	constructor(
		private readonly typesByName: Record<string, ICredentialType>,
		credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super(typesByName, credentials);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.typesByName[typeName];
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined) return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === NO_OP_TYPE;
		if (typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] === '' || credentialsExpired || isTestingCredentials) {
			const output = await type.preAuthentication.call(helpers, credentials);
			if (output[expirable.name] === undefined) return undefined;
			if (node.credentials) {
				this.updates.push({ ...credentials, ...output } as ICredentialDataDecryptedObject);
				return Object.assign(credentials, output);
			}
		}
		return undefined;
	}
}


type ErrorWithCause = Error & {
	cause?: { response?: { status?: number; statusText?: string }; code?: unknown };
};

/** Runs `typeName`'s declarative test with `data`, returning what the Test button shows. */
export async function runDeclarativeCredentialTest(
	typeName: string,
	data: ICredentialDataDecryptedObject,
	options: { types?: Record<string, ICredentialType> } = {},
): Promise<INodeCredentialTestResult & { helper: PreAuthenticatingCredentialsHelper }> {
	const types = options.types ?? credentialTypes;
	const type = types[typeName];
	if (!type?.test) throw new Error(`${typeName} has no declarative test`);
	const testRequest = type.test;

	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: NO_OP_TYPE,
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: 'credential-under-test',
		name: typeName,
		type: typeName,
		data: { ...data },
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: NO_OP_TYPE,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [typeName]: { id: credentialsDecrypted.id ?? null, name: typeName } },
	};
	// The Workflow fills in parameter defaults (temp = ''), which marks the run as a credential test.
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const workflowNode = workflow.getNode(node.name) ?? node;
	const helper = new PreAuthenticatingCredentialsHelper(types, { [typeName]: { ...data } });
	const inputData = { main: [[{ json: {} }] as INodeExecutionData[]] };
	const executeData: IExecuteData = { node: workflowNode, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalDataFor(helper),
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as ErrorWithCause;
		if (error.cause?.response) {
			const statusCode = error.cause.response.status ?? 0;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
					return { status: 'Error', message: rule.properties.message, helper };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}`,
					helper,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: String(error.cause.code), helper };
		}
		return { status: 'Error', message: String(error.message), helper };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const json = response?.[0]?.[0]?.json ?? {};
		const value = rule.properties.key
			.split('.')
			.reduce<unknown>(
				(current, key) =>
					typeof current === 'object' && current !== null
						? (current as Record<string, unknown>)[key]
						: undefined,
				json,
			);
		if (value === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message, helper };
		}
	}
	return { status: 'OK', message: 'Connection successful!', helper };
}
