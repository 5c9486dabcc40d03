import { NodeConnectionTypes } from 'n8n-workflow';
import type { NodeConnectionType } from 'n8n-workflow';

/**
 * The single main connection of our nodes. Declared once here because the two lint rule sets we
 * run disagree on how to spell it inline (`'main'` versus `NodeConnectionTypes.Main`).
 */
export const MAIN_CONNECTION: NodeConnectionType[] = [NodeConnectionTypes.Main];

/** Where the package's documentation lives (README sections are linked by anchor). */
export const DOCS_BASE_URL = 'https://github.com/n8n-nodes-threatlocker/n8n-nodes-threatlocker';
