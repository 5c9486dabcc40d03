// Copies what n8n reads next to the compiled nodes and credentials: icons and the codex files
// (`*.node.json`, which hold the category and documentation links).
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

function copyNodeAssets() {
	return src(path.resolve('nodes', '**', '*.{png,svg,json}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'nodes')),
	);
}

function copyCredentialIcons() {
	return src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'credentials')),
	);
}

task('build:icons', parallel(copyNodeAssets, copyCredentialIcons));
