"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.auditRecords = auditRecords;
const ACTIONS = ['Create', 'Delete', 'Logon', 'Logoff', 'Modify', 'Read'];
const PAGES = ['Computers', 'Application Control', 'Approval Center', 'Storage Control', 'Elevation', 'Ringfencing', 'Network Control', 'Users', 'Unified Audit', 'Health Center'];
const FUNCTIONS = ['GetComputers', 'UpdatePolicy', 'ApproveRequest', 'DenyRequest', 'CreatePolicy', 'DeletePolicy', 'GetSystemAudit', 'ModifyComputerGroup', 'Login', 'ExportReport'];
const WORDS = ['policy', 'computer', 'group', 'application', 'request', 'approved', 'denied', 'storage', 'elevation', 'ringfence', 'network', 'port', 'user', 'organization', 'ticket', 'maintenance', 'mode', 'learning', 'installation', 'secured', 'updated', 'created', 'deleted', 'permit', 'deny', 'audit', 'file', 'path', 'hash', 'certificate', 'publisher', 'process'];
function prng(seed) {
    let state = seed >>> 0 || 1;
    return () => {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        return state / 0x100000000;
    };
}
function auditRecords(count, seed = 42, withTimeGenerated = true) {
    const next = prng(seed);
    const pick = (list) => list[Math.floor(next() * list.length)];
    const hex = (n) => {
        let out = '';
        for (let i = 0; i < n; i++)
            out += Math.floor(next() * 16).toString(16);
        return out;
    };
    const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
    const orgs = Array.from({ length: 40 }, () => ({ id: guid(), name: `${pick(['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Wingtip', 'Adatum'])} ${pick(['Health', 'Legal', 'Retail', 'Logistics', 'Finance'])} ${Math.floor(next() * 90) + 10}` }));
    const users = Array.from({ length: 500 }, () => ({ id: guid(), email: `${pick(['alex', 'sam', 'jordan', 'taylor', 'casey', 'morgan', 'riley', 'jamie'])}.${hex(4)}@${pick(['contoso.com', 'fabrikam.net', 'northwind.org'])}` }));
    const start = Date.UTC(2024, 4, 1);
    const records = new Array(count);
    for (let i = 0; i < count; i++) {
        const org = pick(orgs);
        const user = pick(users);
        const time = new Date(start + i * 431 + Math.floor(next() * 400)).toISOString();
        const target = 30 + Math.floor(next() * 320);
        const path = next() < 0.3 ? ` C:\\Program Files\\${pick(['Vendor', 'Tools', 'App'])}\\${hex(6)}.exe sha256:${hex(64)}` : '';
        const words = [pick(['User', 'Administrator', 'Technician']), pick(['updated', 'created', 'viewed', 'approved', 'denied'])];
        let length = words[0].length + words[1].length + 1 + path.length;
        while (length < target) {
            const word = pick(WORDS);
            words.push(word);
            length += word.length + 1;
        }
        const text = words.join(' ') + path;
        const record = {
            systemAuditId: guid(),
            emailAddress: user.email,
            action: pick(ACTIONS),
            effectiveAction: next() < 0.85 ? 'Permitted' : 'Denied',
            details: { page: pick(PAGES), function: pick(FUNCTIONS), objectId: guid(), details: text },
            ipAddress: `${pick(['10', '172', '192'])}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`,
            dateTime: time,
            organizationId: org.id,
            organizationName: org.name,
            systemAuditObjectTypeId: Math.floor(next() * 12) + 1,
            ticketNumber: next() < 0.1 ? `TKT-${Math.floor(next() * 100000)}` : null,
            notes: next() < 0.15 ? `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}` : null,
            userId: user.id,
            masterViewOnly: next() < 0.05,
        };
        if (withTimeGenerated)
            record.TimeGenerated = time;
        records[i] = record;
    }
    const parsed = [];
    for (let i = 0; i < records.length; i += 1000) {
        for (const record of JSON.parse(JSON.stringify(records.slice(i, i + 1000)))) {
            parsed.push(record);
        }
    }
    return parsed;
}
