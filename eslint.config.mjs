// Lint rules of the n8n community-node ecosystem, all on and none turned off:
// @n8n/eslint-plugin-community-nodes (recommended) and eslint-plugin-n8n-nodes-base
// (community, credentials and nodes rule sets).
import tseslint from 'typescript-eslint';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const tsParser = {
	parser: tseslint.parser,
	parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] },
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'examples/**'] },
	{
		files: ['package.json'],
		languageOptions: tsParser,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		...communityNodes.configs.recommended,
		files: ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: tsParser,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: tsParser,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.credentials.rules },
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: tsParser,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.nodes.rules },
	},
];
