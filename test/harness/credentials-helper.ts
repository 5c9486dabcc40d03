import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Credentials } from 'n8n-core';

/**
 * Credentials as n8n's CredentialsHelper hands them to nodes: decrypted data by type name, and the
 * credential type's `authenticate` applied to each authenticated request. Generic authentication
 * (`={{$credentials.field}}` templates) is resolved here the way n8n's expression engine would for
 * these simple references; anything more complex fails loudly instead of being guessed.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every request that went through `authenticate`, so tests can check what was sent. */
	readonly authenticatedRequests: IHttpRequestOptions[] = [];

	constructor(
		private readonly types: Record<string, ICredentialType>,
		private credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	setCredentials(credentials: Record<string, ICredentialDataDecryptedObject>) {
		this.credentials = credentials;
	}

	getCredentialsProperties() {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestParams: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		if (!type) throw new Error(`Unknown credential type ${typeName}`);
		const auth = type.authenticate;
		let result = requestParams;
		if (typeof auth === 'function') {
			result = await auth(credentials, requestParams);
		} else if (auth && auth.type === 'generic') {
			const props = auth.properties;
			for (const key of ['headers', 'qs', 'body'] as const) {
				const extra = props[key];
				if (!extra) continue;
				const resolved: IDataObject = {};
				for (const [name, value] of Object.entries(extra)) {
					resolved[name] = resolveTemplate(value, credentials) as IDataObject[string];
				}
				const current = (result[key] as IDataObject | undefined) ?? {};
				result = { ...result, [key]: { ...current, ...resolved } };
			}
		}
		this.authenticatedRequests.push(result);
		return result;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		_credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	getParentTypes(_name: string): string[] {
		return [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async getCredentials(_nodeCredentials: INodeCredentialsDetails, _type: string) {
		return new Credentials({ id: null, name: '' }, '', '');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}

/**
 * Resolves an n8n expression string (`={{ ... }}`, possibly several inside a template) against
 * credential data, as n8n's expression engine does for `$credentials`. Test code only.
 */
export function resolveTemplate(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const body = value.slice(1);
	const evaluate = (expression: string): unknown =>
		// eslint-disable-next-line @typescript-eslint/no-implied-eval
		new Function('$credentials', `return (${expression});`)(credentials) as unknown;
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(body.trim());
	if (whole && !whole[1].includes('}}')) return evaluate(whole[1]);
	return body.replace(/\{\{([\s\S]*?)\}\}/g, (_m, expression: string) => String(evaluate(expression) ?? ''));
}
