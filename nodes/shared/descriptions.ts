import { NodeConnectionTypes } from 'n8n-workflow';
import type { NodeConnectionType } from 'n8n-workflow';

/**
 * The single main connection of our nodes. Declared once here because the two lint rule sets we
 * run disagree on how to spell it inline (`'main'` versus `NodeConnectionTypes.Main`).
 */
export const MAIN_CONNECTION: NodeConnectionType[] = [NodeConnectionTypes.Main];
