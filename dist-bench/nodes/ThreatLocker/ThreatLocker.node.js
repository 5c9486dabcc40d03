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
exports.ThreatLocker = void 0;
const descriptions_1 = require("../shared/descriptions");
const getLoginAttempts = __importStar(require("./actions/healthCenter/getLoginAttempts.operation"));
const router_1 = require("./actions/router");
const search = __importStar(require("./actions/systemAudit/search.operation"));
class ThreatLocker {
    description = {
        displayName: 'ThreatLocker',
        name: 'threatLocker',
        icon: { light: 'file:threatLocker.svg', dark: 'file:threatLocker.dark.svg' },
        group: ['input'],
        version: 1,
        subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
        description: 'Read ThreatLocker System Audit entries and Health Center login attempts',
        defaults: { name: 'ThreatLocker' },
        usableAsTool: true,
        inputs: descriptions_1.MAIN_CONNECTION,
        outputs: descriptions_1.MAIN_CONNECTION,
        credentials: [{ name: 'threatLockerApi', required: true }],
        properties: [
            {
                displayName: 'Resource',
                name: 'resource',
                type: 'options',
                noDataExpression: true,
                options: [
                    { name: 'Health Center', value: 'healthCenter' },
                    { name: 'System Audit', value: 'systemAudit' },
                ],
                default: 'systemAudit',
            },
            {
                displayName: 'Operation',
                name: 'operation',
                type: 'options',
                noDataExpression: true,
                displayOptions: { show: { resource: ['systemAudit'] } },
                options: [
                    {
                        name: 'Search',
                        value: 'search',
                        description: 'Search System Audit entries in a time range',
                        action: 'Search system audit entries',
                    },
                ],
                default: 'search',
            },
            {
                displayName: 'Operation',
                name: 'operation',
                type: 'options',
                noDataExpression: true,
                displayOptions: { show: { resource: ['healthCenter'] } },
                options: [
                    {
                        name: 'Get Login Attempts',
                        value: 'getLoginAttempts',
                        description: 'Get successful and denied portal login attempts',
                        action: 'Get login attempts',
                    },
                ],
                default: 'getLoginAttempts',
            },
            ...search.description,
            ...getLoginAttempts.description,
        ],
    };
    async execute() {
        return await router_1.router.call(this);
    }
}
exports.ThreatLocker = ThreatLocker;
