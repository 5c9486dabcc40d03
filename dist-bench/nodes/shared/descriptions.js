"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DOCS_BASE_URL = exports.MAIN_CONNECTION = void 0;
const n8n_workflow_1 = require("n8n-workflow");
exports.MAIN_CONNECTION = [n8n_workflow_1.NodeConnectionTypes.Main];
exports.DOCS_BASE_URL = 'https://github.com/n8n-nodes-threatlocker/n8n-nodes-threatlocker';
