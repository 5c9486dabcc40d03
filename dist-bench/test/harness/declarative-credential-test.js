"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PreAuthenticatingCredentialsHelper = void 0;
exports.runDeclarativeCredentialTest = runDeclarativeCredentialTest;
const n8n_core_1 = require("n8n-core");
const n8n_workflow_1 = require("n8n-workflow");
const credentials_helper_1 = require("./credentials-helper");
const index_1 = require("./index");
const NO_OP_TYPE = 'n8n-nodes-base.noOp';
class PreAuthenticatingCredentialsHelper extends credentials_helper_1.TestCredentialsHelper {
    typesByName;
    updates = [];
    constructor(typesByName, credentials) {
        super(typesByName, credentials);
        this.typesByName = typesByName;
    }
    async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
        const type = this.typesByName[typeName];
        const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true);
        if (expirable?.name === undefined)
            return undefined;
        const isTestingCredentials = node?.parameters?.temp === '' && node?.type === NO_OP_TYPE;
        if (typeof type.preAuthentication !== 'function')
            return undefined;
        if (credentials[expirable.name] === '' || credentialsExpired || isTestingCredentials) {
            const output = await type.preAuthentication.call(helpers, credentials);
            if (output[expirable.name] === undefined)
                return undefined;
            if (node.credentials) {
                this.updates.push({ ...credentials, ...output });
                return Object.assign(credentials, output);
            }
        }
        return undefined;
    }
}
exports.PreAuthenticatingCredentialsHelper = PreAuthenticatingCredentialsHelper;
function additionalData(helper) {
    const unsupported = () => {
        throw new Error('not available in the declarative credential test');
    };
    return {
        credentialsHelper: helper,
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
async function runDeclarativeCredentialTest(typeName, data, options = {}) {
    const types = options.types ?? index_1.credentialTypes;
    const type = types[typeName];
    if (!type?.test)
        throw new Error(`${typeName} has no declarative test`);
    const testRequest = type.test;
    const nodeType = {
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
    const nodeTypes = {
        getByName: () => nodeType,
        getByNameAndVersion: () => nodeType,
        getKnownTypes: () => ({}),
    };
    const credentialsDecrypted = {
        id: 'credential-under-test',
        name: typeName,
        type: typeName,
        data: { ...data },
    };
    const node = {
        id: 'temp',
        parameters: {},
        name: 'Temp-Node',
        type: NO_OP_TYPE,
        typeVersion: 1,
        position: [0, 0],
        credentials: { [typeName]: { id: credentialsDecrypted.id ?? null, name: typeName } },
    };
    const workflow = new n8n_workflow_1.Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
    const workflowNode = workflow.getNode(node.name) ?? node;
    const helper = new PreAuthenticatingCredentialsHelper(types, { [typeName]: { ...data } });
    const inputData = { main: [[{ json: {} }]] };
    const executeData = { node: workflowNode, data: {}, source: null };
    const context = new n8n_core_1.ExecuteContext(workflow, workflowNode, additionalData(helper), 'internal', (0, n8n_workflow_1.createRunExecutionData)(), 0, [], inputData, executeData, []);
    const routingNode = new n8n_core_1.RoutingNode(context, nodeType, credentialsDecrypted);
    let response;
    try {
        response = await routingNode.runNode();
    }
    catch (caught) {
        const error = caught;
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
        }
        else if (error.cause?.code) {
            return { status: 'Error', message: String(error.cause.code), helper };
        }
        return { status: 'Error', message: String(error.message), helper };
    }
    for (const rule of testRequest.rules ?? []) {
        if (rule.type !== 'responseSuccessBody')
            continue;
        const json = response?.[0]?.[0]?.json ?? {};
        const value = rule.properties.key
            .split('.')
            .reduce((current, key) => typeof current === 'object' && current !== null
            ? current[key]
            : undefined, json);
        if (value === rule.properties.value) {
            return { status: 'Error', message: rule.properties.message, helper };
        }
    }
    return { status: 'OK', message: 'Connection successful!', helper };
}
