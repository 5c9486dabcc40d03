"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.triggerProperties = exports.DEFAULT_OVERLAP_MINUTES = exports.MAX_OVERLAP_MINUTES = exports.MAX_LOOK_BACK_HOURS = void 0;
const n8n_workflow_1 = require("n8n-workflow");
const common_descriptions_1 = require("../ThreatLocker/actions/common.descriptions");
const getLoginAttempts = __importStar(require("../ThreatLocker/actions/healthCenter/getLoginAttempts.operation"));
const search = __importStar(require("../ThreatLocker/actions/systemAudit/search.operation"));
exports.MAX_LOOK_BACK_HOURS = 720;
exports.MAX_OVERLAP_MINUTES = 1440;
exports.DEFAULT_OVERLAP_MINUTES = 10;
const showAudit = { show: { event: ['auditEntry'] } };
const showLogins = { show: { event: ['loginAttempt'] } };
function reuse(properties, name, displayOptions) {
    const property = properties.find((candidate) => candidate.name === name);
    if (!property)
        throw new n8n_workflow_1.ApplicationError(`The ThreatLocker node has no parameter "${name}"`);
    return { ...property, displayOptions };
}
exports.triggerProperties = [
    {
        displayName: 'Event',
        name: 'event',
        type: 'options',
        noDataExpression: true,
        options: [
            {
                name: 'New Login Attempt',
                value: 'loginAttempt',
                description: 'A Health Center portal login attempt, successful or denied',
            },
            {
                name: 'New System Audit Entry',
                value: 'auditEntry',
                description: 'An entry of the System Audit (Manage → Users → System Audit)',
            },
        ],
        default: 'auditEntry',
    },
    {
        displayName: 'Each new record is emitted once, oldest first. The first activation starts from now (see Look Back). The API user\'s own requests appear in the System Audit as "Read" entries.',
        name: 'auditNotice',
        type: 'notice',
        default: '',
        displayOptions: showAudit,
    },
    reuse(search.description, 'viewChildOrganizations', showAudit),
    reuse(search.description, 'filters', showAudit),
    reuse(getLoginAttempts.description, 'loginResult', showLogins),
    reuse(getLoginAttempts.description, 'searchText', showLogins),
    {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        options: [
            {
                displayName: 'Look Back (Hours)',
                name: 'lookBackHours',
                type: 'number',
                typeOptions: { minValue: 0, maxValue: exports.MAX_LOOK_BACK_HOURS },
                default: 0,
                description: `On first activation (or after the event or filters change), also emit the records of this many hours before (0 to ${exports.MAX_LOOK_BACK_HOURS}). 0: only records from activation on.`,
            },
            {
                ...common_descriptions_1.managedOrganizationOption,
                description: "The organization to watch, overriding the credential's Managed Organization ID",
            },
            {
                displayName: 'Overlap (Minutes)',
                name: 'overlapMinutes',
                type: 'number',
                typeOptions: { minValue: 0, maxValue: exports.MAX_OVERLAP_MINUTES },
                default: exports.DEFAULT_OVERLAP_MINUTES,
                description: `Each poll reads again this many minutes before the newest record already emitted, so that records ThreatLocker makes available late are not missed (0 to ${exports.MAX_OVERLAP_MINUTES}). Records that arrive later than this are missed.`,
            },
            common_descriptions_1.pageSizeOption,
        ],
    },
];
