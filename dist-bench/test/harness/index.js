"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PollRunner = exports.nodeTypes = exports.credentialTypes = exports.PACKAGE = void 0;
exports.runWorkflow = runWorkflow;
exports.runNode = runNode;
exports.testCredential = testCredential;
const n8n_core_1 = require("n8n-core");
const n8n_workflow_1 = require("n8n-workflow");
const credentials_helper_1 = require("./credentials-helper");
const ThreatLocker_node_1 = require("../../nodes/ThreatLocker/ThreatLocker.node");
const ThreatLockerTrigger_node_1 = require("../../nodes/ThreatLockerTrigger/ThreatLockerTrigger.node");
const AzureLogIngestion_node_1 = require("../../nodes/AzureLogIngestion/AzureLogIngestion.node");
const ThreatLockerApi_credentials_1 = require("../../credentials/ThreatLockerApi.credentials");
const AzureLogIngestionApi_credentials_1 = require("../../credentials/AzureLogIngestionApi.credentials");
exports.PACKAGE = 'n8n-nodes-threatlocker';
const nodeClasses = {
    [`${exports.PACKAGE}.threatLocker`]: new ThreatLocker_node_1.ThreatLocker(),
    [`${exports.PACKAGE}.threatLockerTrigger`]: new ThreatLockerTrigger_node_1.ThreatLockerTrigger(),
    [`${exports.PACKAGE}.azureLogIngestion`]: new AzureLogIngestion_node_1.AzureLogIngestion(),
};
exports.credentialTypes = {
    threatLockerApi: new ThreatLockerApi_credentials_1.ThreatLockerApi(),
    azureLogIngestionApi: new AzureLogIngestionApi_credentials_1.AzureLogIngestionApi(),
};
class TestNodeTypes {
    getByName(name) {
        const type = nodeClasses[name];
        if (!type)
            throw new Error(`Unknown node type ${name}`);
        return type;
    }
    getByNameAndVersion(name, version) {
        return n8n_workflow_1.NodeHelpers.getVersionedNodeType(this.getByName(name), version);
    }
    getKnownTypes() {
        return {};
    }
}
exports.nodeTypes = new TestNodeTypes();
function toNode(spec, index) {
    const credentialType = spec.type === 'azureLogIngestion' ? 'azureLogIngestionApi' : 'threatLockerApi';
    return {
        id: `node-${index}`,
        name: spec.name ?? spec.type,
        type: `${exports.PACKAGE}.${spec.type}`,
        typeVersion: spec.typeVersion ?? 1,
        position: [index * 200, 0],
        parameters: spec.parameters,
        credentials: { [credentialType]: { id: '1', name: credentialType } },
        continueOnFail: spec.continueOnFail,
        onError: spec.onError ?? (spec.continueOnFail ? 'continueRegularOutput' : undefined),
    };
}
function additionalDataFor(credentialsHelper, hooks) {
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
        logAiEvent: () => { },
        startRunnerTask: unsupported,
    };
}
async function runWorkflow(options) {
    const nodes = options.nodes.map(toNode);
    const connections = {};
    for (let i = 0; i + 1 < nodes.length; i++) {
        connections[nodes[i].name] = {
            main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]],
        };
    }
    const workflow = new n8n_workflow_1.Workflow({
        id: 'test-workflow',
        nodes,
        connections,
        nodeTypes: exports.nodeTypes,
        active: false,
        settings: { executionOrder: 'v1' },
    });
    const credentialsHelper = new credentials_helper_1.TestCredentialsHelper(exports.credentialTypes, options.credentials);
    const mode = options.mode ?? 'manual';
    const hooks = new n8n_core_1.ExecutionLifecycleHooks(mode, 'test-execution', {
        id: 'test-workflow',
        name: 'test',
        active: false,
        activeVersionId: null,
        isArchived: false,
        createdAt: new Date(),
        updatedAt: new Date(),
        nodes,
        connections,
    });
    const finished = (0, n8n_workflow_1.createDeferredPromise)();
    hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
    const additionalData = additionalDataFor(credentialsHelper, hooks);
    const input = (options.input ?? [{}]).map((json) => ({ json }));
    const runExecutionData = (0, n8n_workflow_1.createRunExecutionData)({
        executionData: {
            nodeExecutionStack: [{ node: nodes[0], data: { main: [input] }, source: null }],
        },
    });
    const execute = new n8n_core_1.WorkflowExecute(additionalData, mode, runExecutionData);
    await execute.processRunExecutionData(workflow);
    const run = await finished.promise;
    return {
        run,
        credentialsHelper,
        node(name) {
            const tasks = run.data.resultData.runData[name];
            if (!tasks || tasks.length === 0) {
                const error = run.data.resultData.error;
                throw new Error(`Node ${name} did not run${error ? `: ${error.message}` : ''}`);
            }
            const last = tasks[tasks.length - 1];
            const outputs = (last.data?.main ?? []).map((items) => items ?? []);
            return { outputs, error: last.error };
        },
    };
}
async function runNode(options) {
    const result = await runWorkflow({
        nodes: [options.node],
        credentials: options.credentials,
        input: options.input,
    });
    return { ...result.node(options.node.name ?? options.node.type), run: result };
}
class PollRunner {
    workflow;
    node;
    credentialsHelper;
    constructor(options) {
        this.node = toNode(options.node, 0);
        this.workflow = new n8n_workflow_1.Workflow({
            id: 'poll-workflow',
            nodes: [this.node],
            connections: {},
            nodeTypes: exports.nodeTypes,
            active: true,
            staticData: options.staticData ? structuredClone(options.staticData) : undefined,
            settings: { executionOrder: 'v1' },
        });
        this.credentialsHelper = new credentials_helper_1.TestCredentialsHelper(exports.credentialTypes, options.credentials);
    }
    async poll(mode = 'trigger') {
        const hooks = new n8n_core_1.ExecutionLifecycleHooks(mode, 'poll', {});
        const additionalData = additionalDataFor(this.credentialsHelper, hooks);
        const context = new n8n_core_1.PollContext(this.workflow, this.node, additionalData, mode, 'activate');
        const type = exports.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
        if (!type.poll)
            throw new Error(`${this.node.type} is not a polling node`);
        return await type.poll.call(context);
    }
    savedStaticData() {
        return JSON.parse(JSON.stringify(this.workflow.staticData));
    }
}
exports.PollRunner = PollRunner;
async function testCredential(typeName, data) {
    const type = exports.credentialTypes[typeName];
    for (const nodeType of Object.values(nodeClasses)) {
        const description = 'description' in nodeType ? nodeType.description : undefined;
        const usesIt = description?.credentials?.find((c) => c.name === typeName && c.testedBy !== undefined);
        const testedBy = usesIt?.testedBy;
        if (typeof testedBy === 'string' && nodeType.methods?.credentialTest?.[testedBy]) {
            const credential = { id: '1', name: typeName, type: typeName, data };
            return await nodeType.methods.credentialTest[testedBy].call(new n8n_core_1.CredentialTestContext(), credential);
        }
    }
    if (!type.test)
        throw new Error(`${typeName} has no credential test`);
    throw new Error(`${typeName} uses a declarative test; run it through test/harness/declarative-credential-test.ts`);
}
