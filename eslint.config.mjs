// Lint rules of the n8n community-node ecosystem: @n8n/eslint-plugin-community-nodes (recommended)
// and eslint-plugin-n8n-nodes-base (community, credentials and nodes rule sets), all on but one.
//
// The one exception: n8n-nodes-base/cred-class-field-documentation-url-miscased demands that a
// credential's documentationUrl be camelCase (a slug of n8n's own docs site; the rule says it is
// "only applicable to nodes in the main repository"), while @n8n/community-nodes/
// credential-documentation-url demands a valid URL, and n8n-nodes-base/...-missing demands a
// literal. No string is both a URL and camelCase, so the three cannot all pass; the community
// rule is the one written for community packages, and a URL is what users need.
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
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: tsParser,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.nodes.rules },
	},
];
