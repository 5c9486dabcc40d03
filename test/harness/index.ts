/**
 * A small version of n8n's own node test harness: it runs real node code through n8n-core's
 * execution engine (WorkflowExecute, ExecuteContext, PollContext, CredentialTestContext) with real
 * HTTP (n8n-core's httpRequest helpers), so tests exercise exactly what n8n runs.
 */
import {
	CredentialTestContext,
	ExecutionLifecycleHooks,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import { createDeferredPromise, createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsDecrypted,
	IConnections,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';
import { ThreatLocker } from '../../nodes/ThreatLocker/ThreatLocker.node';
import { ThreatLockerTrigger } from '../../nodes/ThreatLockerTrigger/ThreatLockerTrigger.node';
import { AzureLogIngestion } from '../../nodes/AzureLogIngestion/AzureLogIngestion.node';
import { ThreatLockerApi } from '../../credentials/ThreatLockerApi.credentials';
import { AzureLogIngestionApi } from '../../credentials/AzureLogIngestionApi.credentials';

export const PACKAGE = 'n8n-nodes-threatlocker';

/** Node types of this package, under the names n8n gives community nodes. */
const nodeClasses: Record<string, INodeType> = {
	[`${PACKAGE}.threatLocker`]: new ThreatLocker(),
	[`${PACKAGE}.threatLockerTrigger`]: new ThreatLockerTrigger(),
	[`${PACKAGE}.azureLogIngestion`]: new AzureLogIngestion(),
};

export const credentialTypes: Record<string, ICredentialType> = {
	threatLockerApi: new ThreatLockerApi(),
	azureLogIngestionApi: new AzureLogIngestionApi(),
};

class TestNodeTypes implements INodeTypes {
	getByName(name: string): INodeType | IVersionedNodeType {
		const type = nodeClasses[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes() {
		return {};
	}
}

export const nodeTypes = new TestNodeTypes();

export type NodeSpec = {
	name?: string;
	type: 'threatLocker' | 'threatLockerTrigger' | 'azureLogIngestion';
	parameters: IDataObject;
	continueOnFail?: boolean;
	onError?: INode['onError'];
	typeVersion?: number;
};

export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

function toNode(spec: NodeSpec, index: number): INode {
	const credentialType =
		spec.type === 'azureLogIngestion' ? 'azureLogIngestionApi' : 'threatLockerApi';
	return {
		id: `node-${index}`,
		name: spec.name ?? spec.type,
		type: `${PACKAGE}.${spec.type}`,
		typeVersion: spec.typeVersion ?? 1,
		position: [index * 200, 0],
		parameters: spec.parameters as INode['parameters'],
		credentials: { [credentialType]: { id: '1', name: credentialType } },
		continueOnFail: spec.continueOnFail,
		onError: spec.onError ?? (spec.continueOnFail ? 'continueRegularOutput' : undefined),
	};
}

/** What n8n passes every execution; only the parts our nodes and n8n-core's helpers use. */
export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const unsupported = () => {
		throw new Error('not available in the test harness');
	};
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: unsupported,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export type NodeRunResult = {
	/** Output items per output index of the node's last run. */
	outputs: INodeExecutionData[][];
	/** The node's error when it failed (without continueOnFail). */
	error?: Error & { description?: string | null; httpCode?: string | null };
};

export type WorkflowRunResult = {
	run: IRun;
	node(name: string): NodeRunResult;
	credentialsHelper: TestCredentialsHelper;
};

/**
 * Runs the given nodes as a chain (each one's main output 0 into the next) through WorkflowExecute.
 * The first node receives `input` as its input items, like the output of a previous node.
 */
export async function runWorkflow(options: {
	nodes: NodeSpec[];
	credentials: TestCredentials;
	input?: IDataObject[];
	mode?: WorkflowExecuteMode;
}): Promise<WorkflowRunResult> {
	const nodes = options.nodes.map(toNode);
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = {
			main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]],
		};
	}
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, options.credentials);
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	} as never);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
	const additionalData = additionalDataFor(credentialsHelper, hooks);
	const input = (options.input ?? [{}]).map((json) => ({ json }));
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [input] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(additionalData, mode, runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished.promise;
	return {
		run,
		credentialsHelper,
		node(name: string): NodeRunResult {
			const tasks = run.data.resultData.runData[name];
			if (!tasks || tasks.length === 0) {
				const error = run.data.resultData.error;
				throw new Error(`Node ${name} did not run${error ? `: ${error.message}` : ''}`);
			}
			const last = tasks[tasks.length - 1];
			const outputs = (last.data?.main ?? []).map((items) => items ?? []);
			return { outputs, error: last.error as NodeRunResult['error'] };
		},
	};
}

/** Runs one node with input items; returns its outputs (and error), asserting it ran. */
export async function runNode(options: {
	node: NodeSpec;
	credentials: TestCredentials;
	input?: IDataObject[];
}): Promise<NodeRunResult & { run: WorkflowRunResult }> {
	const result = await runWorkflow({
		nodes: [options.node],
		credentials: options.credentials,
		input: options.input,
	});
	return { ...result.node(options.node.name ?? options.node.type), run: result };
}

/**
 * A polling trigger as n8n's ActiveWorkflows runs it: one PollContext per poll on a workflow whose
 * static data persists between polls (and can be saved and restored to simulate a restart).
 */
export class PollRunner {
	readonly workflow: Workflow;

	readonly node: INode;

	readonly credentialsHelper: TestCredentialsHelper;

	constructor(options: {
		node: NodeSpec;
		credentials: TestCredentials;
		staticData?: IDataObject;
	}) {
		this.node = toNode(options.node, 0);
		this.workflow = new Workflow({
			id: 'poll-workflow',
			nodes: [this.node],
			connections: {},
			nodeTypes,
			active: true,
			staticData: options.staticData ? structuredClone(options.staticData) : undefined,
			settings: { executionOrder: 'v1' },
		});
		this.credentialsHelper = new TestCredentialsHelper(credentialTypes, options.credentials);
	}

	/** One poll. `manual` is the editor's "Fetch test event". Returns the emitted items or null. */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[][] | null> {
		const hooks = new ExecutionLifecycleHooks(mode, 'poll', {} as never);
		const additionalData = additionalDataFor(this.credentialsHelper, hooks);
		const context = new PollContext(this.workflow, this.node, additionalData, mode, 'activate');
		const type = nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		if (!type.poll) throw new Error(`${this.node.type} is not a polling node`);
		return await type.poll.call(context);
	}

	/** The static data n8n would persist after a poll (a deep copy). */
	savedStaticData(): IDataObject {
		// JSON, as n8n stores it (structuredClone cannot copy n8n's static-data proxy).
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}
}

/** Runs a credential type's test the way n8n's credential "Test" button does. */
export async function testCredential(
	typeName: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const type = credentialTypes[typeName];
	for (const nodeType of Object.values(nodeClasses)) {
		const description = 'description' in nodeType ? nodeType.description : undefined;
		const usesIt = description?.credentials?.find(
			(c) => c.name === typeName && c.testedBy !== undefined,
		);
		const testedBy = usesIt?.testedBy;
		if (typeof testedBy === 'string' && nodeType.methods?.credentialTest?.[testedBy]) {
			const credential: ICredentialsDecrypted = { id: '1', name: typeName, type: typeName, data };
			return await nodeType.methods.credentialTest[testedBy].call(
				new CredentialTestContext(),
				credential,
			);
		}
	}
	if (!type.test) throw new Error(`${typeName} has no credential test`);
	throw new Error(
		`${typeName} uses a declarative test; run it through test/harness/declarative-credential-test.ts`,
	);
}
