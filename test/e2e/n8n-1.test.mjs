// `npm run test:e2e`: the suite in n8n 1.123.5 (or N8N_E2E_VERSION) on the Node running the tests.
import { DEFAULT_N8N_VERSION } from '../../scripts/n8n-install.mjs';
import { realN8nSuite } from './suite.mjs';

realN8nSuite({ version: process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION });
