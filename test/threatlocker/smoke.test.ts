import { ThreatLockerSimulator } from '../simulators/threatlocker';
import { runNode } from '../harness';

describe('smoke', () => {
	let sim: ThreatLockerSimulator;
	beforeAll(async () => {
		sim = await ThreatLockerSimulator.start();
	});
	afterAll(async () => sim.stop());

	it('reads records', async () => {
		const end = new Date('2026-01-02T00:00:00Z');
		sim.generateAudit(25, { start: new Date('2026-01-01T00:00:00Z'), end });
		const result = await runNode({
			node: {
				type: 'threatLocker',
				parameters: {
					resource: 'systemAudit',
					operation: 'search',
					startDate: '2026-01-01T00:00:00Z',
					endDate: '2026-01-02T00:00:00Z',
					returnAll: true,
					options: { pageSize: 2 },
				},
			},
			credentials: { threatLockerApi: { apiKey: sim.apiKey, instance: 'g', baseUrl: sim.baseUrl } },
		});
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(25);
	});
});
