"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ThreatLockerApi = void 0;
class ThreatLockerApi {
    name = 'threatLockerApi';
    displayName = 'ThreatLocker API';
    icon = {
        light: 'file:../nodes/ThreatLocker/threatLocker.svg',
        dark: 'file:../nodes/ThreatLocker/threatLocker.dark.svg',
    };
    documentationUrl = 'https://github.com/n8n-nodes-threatlocker/n8n-nodes-threatlocker#threatlocker-api-credential';
    properties = [
        {
            displayName: 'API Key',
            name: 'apiKey',
            type: 'string',
            typeOptions: { password: true },
            default: '',
            required: true,
            description: 'The API token of a ThreatLocker API user (Administrators → API Users). Paste it as shown, without "Bearer".',
        },
        {
            displayName: 'Instance',
            name: 'instance',
            type: 'string',
            default: 'g',
            required: true,
            placeholder: 'g',
            description: 'The portal instance of your organization: the letter shown in the portal\'s Help menu next to "ThreatLocker Access", e.g. (G) → g. Requests go to https://portalapi.INSTANCE.threatlocker.com.',
        },
        {
            displayName: 'Base URL Override',
            name: 'baseUrl',
            type: 'string',
            default: '',
            placeholder: 'https://betaportalapi.g.threatlocker.com',
            description: 'Optional. Replaces the whole portal API base URL (beta portal, a proxy or a test server). Must be https, except for loopback hosts.',
        },
        {
            displayName: 'Managed Organization ID',
            name: 'managedOrganizationId',
            type: 'string',
            default: '',
            placeholder: '00000000-0000-0000-0000-000000000000',
            description: "Optional. The organization to read by default (sent as the managedOrganizationId header). Empty: the API user's own organization. Nodes can override it per item.",
        },
    ];
    authenticate = {
        type: 'generic',
        properties: {
            headers: {
                Authorization: '={{$credentials.apiKey.trim()}}',
            },
        },
    };
    test = {
        request: {
            baseURL: '={{ $credentials.baseUrl ? $credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/portalapi$/i, "") : "https://portalapi." + $credentials.instance.trim().toLowerCase() + ".threatlocker.com" }}',
            url: '/portalapi/SystemAudit/SystemAuditGetForHealthCenter',
            method: 'POST',
            headers: {
                managedOrganizationId: '={{ $credentials.managedOrganizationId || undefined }}',
            },
            body: { days: 1, isLoggedIn: true, pageSize: 1, pageNumber: 1 },
            json: true,
        },
        rules: [
            statusRule(401, 'ThreatLocker rejected the API key (401). Check that the key is pasted without "Bearer", that it has not expired or been revoked, and that Instance matches your portal (a key sent to the wrong instance is rejected the same way).'),
            statusRule(403, 'ThreatLocker refused access (403). Either Instance is wrong, the key was revoked, the API user\'s role lacks "View Health Center" / "View System Audit", or it cannot access the Managed Organization ID.'),
            statusRule(440, 'ThreatLocker answered TOKEN_REVOKED (440): the key has expired or was revoked, or it belongs to another instance. Check Instance, then create a new key if needed.'),
            statusRule(400, 'ThreatLocker rejected the test request (400). Check that Managed Organization ID is a GUID of an organization this key can see.'),
            ...[404, 405].map((status) => statusRule(status, `No ThreatLocker portal API answered at this address (${status}). Check Instance or the Base URL Override.`)),
            statusRule(429, 'ThreatLocker is rate limiting this key (429). Wait a minute and test again.'),
            ...[500, 502, 503, 504].map((status) => statusRule(status, `ThreatLocker had a server error (${status}). Try again later.`)),
        ],
    };
}
exports.ThreatLockerApi = ThreatLockerApi;
function statusRule(status, message) {
    return { type: 'responseCode', properties: { value: status, message } };
}
