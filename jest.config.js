/** Unit and engine tests: everything under test/ except the real-n8n end-to-end suite. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
		// n8n-core pulls in two ESM-only packages (through @langchain/core); jest runs CommonJS.
		'^.+/node_modules/(p-retry|is-network-error)/.+\\.js$': [
			'ts-jest',
			{ tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true },
		],
	},
	transformIgnorePatterns: ['/node_modules/(?!(p-retry|is-network-error)/)'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/teardown.ts'],
	testTimeout: 60000,
};
