"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AzureConfigurationError = exports.AZURE_CLOUDS = void 0;
exports.isLoopbackHost = isLoopbackHost;
exports.parseSecureUrl = parseSecureUrl;
exports.resolveAuthSettings = resolveAuthSettings;
exports.isTokenAllowedForHost = isTokenAllowedForHost;
exports.checkIngestionEndpoint = checkIngestionEndpoint;
exports.AZURE_CLOUDS = {
    azurePublic: {
        authority: 'https://login.microsoftonline.com',
        audience: 'https://monitor.azure.com',
        ingestionHostSuffix: '.ingest.monitor.azure.com',
    },
    azureChina: {
        authority: 'https://login.chinacloudapi.cn',
        audience: 'https://monitor.azure.cn',
        ingestionHostSuffix: '.ingest.monitor.azure.cn',
    },
    azureUsGovernment: {
        authority: 'https://login.microsoftonline.us',
        audience: 'https://monitor.azure.us',
        ingestionHostSuffix: '.ingest.monitor.azure.us',
    },
};
class AzureConfigurationError extends Error {
    field;
    constructor(message, field) {
        super(message);
        this.field = field;
        this.name = 'AzureConfigurationError';
    }
}
exports.AzureConfigurationError = AzureConfigurationError;
const CLOUD_NAMES = ['azurePublic', 'azureChina', 'azureUsGovernment', 'custom'];
const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
function isLoopbackHost(hostname) {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost'))
        return true;
    if (host === '::1' || host === '0:0:0:0:0:0:0:1')
        return true;
    if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))
        return true;
    return /^::ffff:(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})$/.test(host);
}
function parseSecureUrl(raw, field, label) {
    if (!URL.canParse(raw.trim())) {
        throw new AzureConfigurationError(`${label} "${raw}" is not a valid URL`, field);
    }
    const url = new URL(raw.trim());
    if (url.protocol === 'https:')
        return url;
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname))
        return url;
    if (url.protocol === 'http:') {
        throw new AzureConfigurationError(`${label} ${url.origin} uses plain http: credentials and tokens are only sent over https (plain http is allowed for loopback hosts only)`, field);
    }
    throw new AzureConfigurationError(`${label} must be an https:// URL, not ${url.protocol}`, field);
}
function trimSlashes(value) {
    return value.trim().replace(/\/+$/, '');
}
function requiredString(data, field, label) {
    const value = data[field];
    if (typeof value !== 'string' || value.trim() === '') {
        throw new AzureConfigurationError(`The credential's ${label} is empty`, field);
    }
    return value.trim();
}
function resolveAuthSettings(data) {
    const cloudValue = data.cloud === undefined || data.cloud === '' ? 'azurePublic' : data.cloud;
    if (typeof cloudValue !== 'string' || !CLOUD_NAMES.includes(cloudValue)) {
        throw new AzureConfigurationError(`Unknown Azure cloud "${String(cloudValue)}"`, 'cloud');
    }
    const cloud = cloudValue;
    const tenantId = requiredString(data, 'tenantId', 'Directory (Tenant) ID');
    if (!TENANT_PATTERN.test(tenantId)) {
        throw new AzureConfigurationError(`The Directory (Tenant) ID "${tenantId}" is not a GUID or a domain name`, 'tenantId');
    }
    const clientId = requiredString(data, 'clientId', 'Application (Client) ID');
    const secret = data.clientSecret;
    if (typeof secret !== 'string' || secret === '') {
        throw new AzureConfigurationError("The credential's Client Secret is empty", 'clientSecret');
    }
    let authority;
    let audience;
    if (cloud === 'custom') {
        const rawAuthority = requiredString(data, 'authorityHost', 'Authority Host');
        authority = trimSlashes(parseSecureUrl(rawAuthority, 'authorityHost', 'The authority host').href);
        audience = trimSlashes(requiredString(data, 'audience', 'Audience'));
    }
    else {
        authority = exports.AZURE_CLOUDS[cloud].authority;
        audience = exports.AZURE_CLOUDS[cloud].audience;
    }
    return {
        cloud,
        authority,
        tenantId,
        clientId,
        clientSecret: secret,
        audience,
        scope: `${audience}/.default`,
        tokenUrl: `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    };
}
function isTokenAllowedForHost(cloud, url) {
    if (cloud === 'custom' || isLoopbackHost(url.hostname))
        return true;
    const suffix = exports.AZURE_CLOUDS[cloud].ingestionHostSuffix;
    const host = url.hostname.toLowerCase();
    return host.endsWith(suffix) && host.length > suffix.length;
}
function checkIngestionEndpoint(cloud, url) {
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        throw new AzureConfigurationError(`The endpoint ${url.origin} uses plain http: the bearer token is only sent over https (plain http is allowed for loopback hosts only)`, 'endpoint');
    }
    if (!isTokenAllowedForHost(cloud, url)) {
        const suffix = cloud === 'custom' ? '' : exports.AZURE_CLOUDS[cloud].ingestionHostSuffix;
        throw new AzureConfigurationError(`The endpoint host ${url.hostname} is not a Logs Ingestion host of the credential's cloud (*${suffix}); the bearer token is not sent there. Use the Data Collection Endpoint's or the DCR's logs ingestion URL, or choose the matching cloud in the credential`, 'endpoint');
    }
}
