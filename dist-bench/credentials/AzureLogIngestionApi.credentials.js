"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AzureLogIngestionApi = void 0;
const cloud_1 = require("../nodes/AzureLogIngestion/helpers/cloud");
const token_1 = require("../nodes/AzureLogIngestion/transport/token");
class AzureLogIngestionApi {
    name = 'azureLogIngestionApi';
    displayName = 'Azure Log Ingestion API';
    icon = { light: 'file:azureLogIngestion.svg', dark: 'file:azureLogIngestion.dark.svg' };
    documentationUrl = 'https://github.com/n8n-nodes-threatlocker/n8n-nodes-threatlocker#azure-log-ingestion';
    properties = [
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
            description: 'Azure cloud of the tenant and of the ingestion endpoint; the bearer token is only sent to Logs Ingestion hosts of this cloud',
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
            description: 'Token authority of the custom cloud; the token is requested from {authority}/{tenant}/oauth2/v2.0/token. Plain http is accepted for loopback hosts only.',
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
            displayName: 'Access Token',
            name: 'accessToken',
            type: 'hidden',
            typeOptions: { expirable: true, password: true },
            default: '',
        },
    ];
    async preAuthentication(credentials) {
        const settings = (0, cloud_1.resolveAuthSettings)(credentials);
        const token = await token_1.requestAccessToken.call(this, settings);
        return { accessToken: token.token };
    }
    authenticate = async (credentials, requestOptions) => {
        const token = credentials.accessToken;
        if (typeof token !== 'string' || token === '')
            return requestOptions;
        let target;
        try {
            target = new URL(requestOptions.url, requestOptions.baseURL);
        }
        catch {
            return requestOptions;
        }
        const cloud = credentials.cloud ?? 'azurePublic';
        const secure = target.protocol === 'https:' || (target.protocol === 'http:' && (0, cloud_1.isLoopbackHost)(target.hostname));
        if (!secure || !(0, cloud_1.isTokenAllowedForHost)(cloud, target))
            return requestOptions;
        return {
            ...requestOptions,
            headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` },
        };
    };
    test = {
        request: {
            method: 'GET',
            url: '={{ ($credentials.cloud === "custom" ? String($credentials.authorityHost).trim().replace(/\\/+$/, "") : ({ azurePublic: "https://login.microsoftonline.com", azureChina: "https://login.chinacloudapi.cn", azureUsGovernment: "https://login.microsoftonline.us" })[$credentials.cloud || "azurePublic"]) + "/" + encodeURIComponent(String($credentials.tenantId).trim()) + "/v2.0/.well-known/openid-configuration" }}',
        },
        rules: [
            {
                type: 'responseCode',
                properties: {
                    value: 404,
                    message: 'A token was issued, but the authority has no OpenID configuration for this tenant: check the Authority Host',
                },
            },
        ],
    };
}
exports.AzureLogIngestionApi = AzureLogIngestionApi;
