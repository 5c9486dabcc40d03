import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/descriptions';
import { triggerProperties } from './description';
import { fetchTestEvent, pollForNewRecords, readConfig } from './poll';

/**
 * Polls of one trigger that are still running, by workflow and node. n8n starts a poll on every
 * tick of its schedule even when the previous one has not finished (a long first look-back, or
 * retries with back-off): a second poll reading the same cursor would emit the same records
 * again, so it is skipped. Polling triggers run in the main process only, also in queue mode.
 */
const runningPolls = new Set<string>();

export class ThreatLockerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ThreatLocker Trigger',
		name: 'threatLockerTrigger',
		icon: { light: 'file:../ThreatLocker/threatLocker.svg', dark: 'file:../ThreatLocker/threatLocker.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "loginAttempt" ? "New login attempt" : "New System Audit entry"}}',
		description:
			'Starts the workflow on new ThreatLocker System Audit entries or Health Center login attempts, each exactly once',
		defaults: { name: 'ThreatLocker Trigger' },
		polling: true,
		inputs: [],
		outputs: MAIN_CONNECTION,
		credentials: [{ name: 'threatLockerApi', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const config = readConfig(this);
		if (this.getMode() === 'manual') return await fetchTestEvent(this, config);
		const node = this.getNode();
		const key = `${this.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
		if (runningPolls.has(key)) {
			this.logger.warn('ThreatLocker Trigger: the previous poll is still running; this one is skipped', {
				node: node.name,
			});
			return null;
		}
		runningPolls.add(key);
		try {
			return await pollForNewRecords(this, config);
		} finally {
			runningPolls.delete(key);
		}
	}
}
