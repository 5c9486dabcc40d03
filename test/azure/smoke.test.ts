import { clearTokenCache } from '../../nodes/AzureLogIngestion/transport/token';
import { auditRecords, DCR, STREAM, startSimulator, upload } from './fixtures';

test('smoke', async () => {
	clearTokenCache();
	const sim = await startSimulator({ https: true });
	try {
		const input = auditRecords(50);
		const result = await upload(sim, input);
		console.log(JSON.stringify(result.outputs, null, 1).slice(0, 2000), result.error);
		expect(sim.records(DCR, STREAM)).toHaveLength(50);
	} finally {
		await sim.stop();
	}
});
