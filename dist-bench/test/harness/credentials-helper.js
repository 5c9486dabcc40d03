"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TestCredentialsHelper = void 0;
exports.resolveTemplate = resolveTemplate;
const n8n_workflow_1 = require("n8n-workflow");
const n8n_core_1 = require("n8n-core");
class TestCredentialsHelper extends n8n_workflow_1.ICredentialsHelper {
    types;
    credentials;
    authenticatedRequests = [];
    constructor(types, credentials) {
        super();
        this.types = types;
        this.credentials = credentials;
    }
    setCredentials(credentials) {
        this.credentials = credentials;
    }
    getCredentialsProperties() {
        return [];
    }
    async authenticate(credentials, typeName, requestParams) {
        const type = this.types[typeName];
        if (!type)
            throw new Error(`Unknown credential type ${typeName}`);
        const auth = type.authenticate;
        let result = requestParams;
        if (typeof auth === 'function') {
            result = await auth(credentials, requestParams);
        }
        else if (auth && auth.type === 'generic') {
            const props = auth.properties;
            for (const key of ['headers', 'qs', 'body']) {
                const extra = props[key];
                if (!extra)
                    continue;
                const resolved = {};
                for (const [name, value] of Object.entries(extra)) {
                    resolved[name] = resolveTemplate(value, credentials);
                }
                const current = result[key] ?? {};
                result = { ...result, [key]: { ...current, ...resolved } };
            }
        }
        this.authenticatedRequests.push(result);
        return result;
    }
    async preAuthentication(_helpers, _credentials, _typeName, _node, _credentialsExpired) {
        return undefined;
    }
    async runPreAuthentication(_helpers, _credentials, _typeName) {
        return undefined;
    }
    getParentTypes(_name) {
        return [];
    }
    async getDecrypted(_additionalData, _nodeCredentials, type) {
        const data = this.credentials[type];
        if (!data)
            throw new Error(`No test credentials of type ${type}`);
        return { ...data };
    }
    async getCredentials(_nodeCredentials, _type) {
        return new n8n_core_1.Credentials({ id: null, name: '' }, '', '');
    }
    async updateCredentials() { }
    async updateCredentialsOauthTokenData() { }
}
exports.TestCredentialsHelper = TestCredentialsHelper;
function resolveTemplate(value, credentials) {
    if (typeof value !== 'string' || !value.startsWith('='))
        return value;
    const body = value.slice(1);
    const evaluate = (expression) => new Function('$credentials', `return (${expression});`)(credentials);
    const whole = /^\{\{([\s\S]*)\}\}$/.exec(body.trim());
    if (whole && !whole[1].includes('}}'))
        return evaluate(whole[1]);
    return body.replace(/\{\{([\s\S]*?)\}\}/g, (_m, expression) => String(evaluate(expression) ?? ''));
}
