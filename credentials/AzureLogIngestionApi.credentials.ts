import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	cloudOf,
	isTokenAllowedForHost,
	resolveAuthSettings,
} from '../nodes/AzureLogIngestion/helpers/cloud';
import { requestAccessToken } from '../nodes/AzureLogIngestion/transport/token';
import { isSecureOrLoopback } from '../nodes/shared/url';

/**
 * Microsoft Entra ID app registration (client credentials) for the Azure Monitor Logs Ingestion
 * API. The Test button obtains a token through preAuthentication, which explains Entra ID's
 * refusals (AADSTS codes) in words, then fetches the authority's OpenID configuration.
 */
export class AzureLogIngestionApi implements ICredentialType {
	name = 'azureLogIngestionApi';

	displayName = 'Azure Log Ingestion API';

	icon: Icon = { light: 'file:azureLogIngestion.svg', dark: 'file:azureLogIngestion.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-threatlocker/n8n-nodes-threatlocker#azure-log-ingestion';

	properties: INodeProperties[] = [
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				{ name: 'Azure (Public)', value: 'azurePublic' },
				{ name: 'Azure China (21Vianet)', value: 'azureChina' },
				{ name: 'Azure US Government', value: 'azureUsGovernment' },
				{ name: 'Custom', value: 'custom' },
			],
			default: 'azurePublic',
			description:
				'Azure cloud of the tenant and of the ingestion endpoint; the bearer token is only sent to Logs Ingestion hosts of this cloud',
		},
		{
			displayName: 'Directory (Tenant) ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 00000000-0000-0000-0000-000000000000',
			description: "From the app registration's Overview page in Microsoft Entra ID",
		},
		{
			displayName: 'Application (Client) ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 00000000-0000-0000-0000-000000000000',
			description: "From the app registration's Overview page in Microsoft Entra ID",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The secret's Value (not its Secret ID), from Certificates & secrets",
		},
		{
			displayName: 'Authority Host',
			name: 'authorityHost',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://login.microsoftonline.com',
			description:
				'Token authority of the custom cloud; the token is requested from {authority}/{tenant}/oauth2/v2.0/token. Plain http is accepted for loopback hosts only.',
			displayOptions: { show: { cloud: ['custom'] } },
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://monitor.azure.com',
			description: 'Token audience of the custom cloud; the scope requested is {audience}/.default',
			displayOptions: { show: { cloud: ['custom'] } },
		},
		{
			// Filled by preAuthentication; n8n refreshes it when a request answers 401.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Obtains a token; throws an Error whose message explains Entra ID's refusal in words. */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		// Validates https / loopback and the fields before any request is made.
		const settings = resolveAuthSettings(credentials);
		const token = await requestAccessToken.call(this, settings);
		return { accessToken: token.token };
	}

	/** Adds the bearer token, but only for hosts of the credential's cloud (or loopback). */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const token = credentials.accessToken;
		if (typeof token !== 'string' || token === '') return requestOptions;
		let target: URL;
		try {
			target = new URL(requestOptions.url, requestOptions.baseURL);
		} catch {
			// Not an absolute URL: n8n will fail the request itself; no token goes anywhere.
			return requestOptions;
		}
		// An unknown cloud (a hand-edited or imported credential) gets no token anywhere.
		const cloud = cloudOf(credentials.cloud);
		if (!cloud || !isSecureOrLoopback(target) || !isTokenAllowedForHost(cloud, target)) return requestOptions;
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` },
		};
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '={{ ($credentials.cloud === "custom" ? String($credentials.authorityHost).trim().replace(/\\/+$/, "") : ({ azurePublic: "https://login.microsoftonline.com", azureChina: "https://login.chinacloudapi.cn", azureUsGovernment: "https://login.microsoftonline.us" })[$credentials.cloud || "azurePublic"]) + "/" + encodeURIComponent(String($credentials.tenantId).trim()) + "/v2.0/.well-known/openid-configuration" }}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'A token was issued, but the authority has no OpenID configuration for this tenant: check the Authority Host',
				},
			},
		],
	};
}
