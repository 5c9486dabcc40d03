/**
 * The README's worked example, as written in README.md: its trigger polls the ThreatLocker
 * simulator and each poll's items go through its Azure Log Ingestion node to the Azure simulator
 * (as n8n runs the execution a poll starts). Every entry lands in the table exactly once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode } from 'n8n-workflow';

import { runNode } from '../harness';
import type { AzureSimulator } from '../simulators/azure';
import * as azure from '../azure/fixtures';
import { Clock, isoSeconds, itemsOf, keyOf, startSimulator, triggerRunner } from './support';

const MINUTE = 60_000;

function workedExample(): { trigger: INode; upload: INode } {
	const markdown = readFileSync(join(__dirname, '../../README.md'), 'utf8');
	const block = /```json\n([\s\S]*?)\n```/.exec(markdown);
	expect(block).not.toBeNull();
	const workflow = JSON.parse(block![1]) as { nodes: INode[]; connections: IDataObject };
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-threatlocker.threatLockerTrigger');
	const upload = workflow.nodes.find((n) => n.type === 'n8n-nodes-threatlocker.azureLogIngestion');
	expect(workflow.connections).toEqual({
		[trigger!.name]: { main: [[{ node: upload!.name, type: 'main', index: 0 }]] },
	});
	return { trigger: trigger!, upload: upload! };
}

let azureSim: AzureSimulator;
afterAll(() => azure.releaseEngineTimers());
afterEach(async () => {
	await azureSim.stop();
	Clock.restore();
});

it('the worked example forwards each System Audit entry to the Sentinel table exactly once', async () => {
	const { trigger, upload } = workedExample();
	expect(trigger.parameters).toMatchObject({ pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'auditEntry' });
	const { pollTimes: _pollTimes, ...triggerParameters } = trigger.parameters as IDataObject;

	const clock = new Clock('2026-03-01T09:00:00Z');
	const tl = await startSimulator(clock);
	azureSim = await azure.startSimulator();
	try {
		const runner = triggerRunner(tl, triggerParameters);
		const uploadParameters: IDataObject = {
			...(upload.parameters as IDataObject),
			endpoint: azureSim.ingestionUrl,
			dcrImmutableId: azure.DCR,
			options: { ...((upload.parameters as IDataObject).options as IDataObject), allowUnauthorizedCerts: true },
		};
		expect(uploadParameters.streamName).toBe(azure.STREAM);
		const child = tl.organizations.find((o) => o.parentId !== null)!.id;

		expect(await runner.poll()).toBeNull();
		const sent: IDataObject[] = [];
		for (let minute = 1; minute <= 6; minute++) {
			const now = clock.advance(MINUTE);
			sent.push(
				...(tl.addAudit(
					Array.from({ length: minute * 40 }, (_, n) => ({
						dateTime: isoSeconds(now - (n % 50) * 1000),
						organizationId: n % 2 ? child : undefined,
					})),
				) as unknown as IDataObject[]),
			);
			const items = itemsOf(await runner.poll());
			const run = await runNode({
				node: { name: upload.name, type: 'azureLogIngestion', parameters: uploadParameters },
				credentials: { azureLogIngestionApi: azure.credentialsFor(azureSim) },
				input: items as IDataObject[],
			});
			expect(run.error).toBeUndefined();
		}

		const rows = azureSim.records(azure.DCR, azure.STREAM) as IDataObject[];
		expect(rows.map(keyOf).sort()).toEqual(sent.map(keyOf).sort());
		for (const row of rows) expect(Date.parse(row.TimeGenerated as string)).toBe(Date.parse(row.dateTime as string));
	} finally {
		await tl.stop();
	}
});
