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
exports.AzureLogIngestion = void 0;
const n8n_workflow_1 = require("n8n-workflow");
const log = __importStar(require("./actions/log/Log.resource"));
const router_1 = require("./actions/router");
const MAIN_INPUT = [n8n_workflow_1.NodeConnectionTypes.Main];
const MAIN_OUTPUT = [n8n_workflow_1.NodeConnectionTypes.Main];
class AzureLogIngestion {
    description = {
        displayName: 'Azure Log Ingestion',
        name: 'azureLogIngestion',
        icon: { light: 'file:azureLogIngestion.svg', dark: 'file:azureLogIngestion.dark.svg' },
        group: ['output'],
        version: 1,
        subtitle: '={{$parameter["operation"] + ": " + $parameter["streamName"]}}',
        description: 'Send records to Microsoft Sentinel / Log Analytics tables through the Azure Monitor Logs Ingestion API',
        defaults: { name: 'Azure Log Ingestion' },
        usableAsTool: true,
        inputs: MAIN_INPUT,
        outputs: MAIN_OUTPUT,
        credentials: [{ name: 'azureLogIngestionApi', required: true }],
        properties: [
            {
                displayName: 'Resource',
                name: 'resource',
                type: 'options',
                noDataExpression: true,
                options: [{ name: 'Log', value: 'log' }],
                default: 'log',
            },
            ...log.description,
        ],
    };
    async execute() {
        return await router_1.router.call(this);
    }
}
exports.AzureLogIngestion = AzureLogIngestion;
