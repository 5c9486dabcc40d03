// Drives a real n8n (installed by scripts/n8n-install.mjs) around this package: a fresh user folder,
// the package copied in as an installed community package, credentials and workflows imported through
// n8n's own CLI, workflows executed headlessly, and (with `n8n start`) the REST API for credential
// tests, workflow activation and the editor.
//
// Plain Node ESM, no dependencies.
//
//   import { createN8n } from './n8n-runner.mjs';
//   const n8n = await createN8n({ version: '1.123.5' });
//   n8n.installPackage('/work/main');                 // dist/, package.json, index.js
//   await n8n.importCredentials([{ id, name, type, data }]);
//   const id = await n8n.importWorkflow(workflowJson);
//   const { run } = await n8n.execute(id);            // run = n8n's IRun (data.resultData.runData ...)
//   const server = await n8n.start();                 // owner set up, logged in
//   await server.testCredential({ id, name, type, data });
//   await server.stop(); n8n.cleanup();
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { ensureN8n, layoutEnv } from './n8n-install.mjs';

export const PACKAGE_NAME = 'n8n-nodes-threatlocker';
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-Passw0rd!',
};

// Process groups of every n8n this process started: killed if we exit with them still running.
const liveGroups = new Set();
function killGroup(pid, signal = 'SIGKILL') {
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}
let exitHooked = false;
function hookExit() {
	if (exitHooked) return;
	exitHooked = true;
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid);
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			for (const pid of liveGroups) killGroup(pid);
			process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
		});
	}
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Extracts the JSON document n8n prints (`execute --rawOutput`) from stdout that may also hold log
 * lines: the last top-level `{ ... }` block that parses.
 */
export function extractJson(stdout) {
	const lines = stdout.split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i] !== '{') continue;
		// find the matching closing line "}" after i
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n'));
			} catch {
				/* keep looking for a later "}" */
			}
		}
	}
	throw new Error('no JSON document found in n8n output');
}

/** Lines of n8n output that are warnings or errors about this package (its name, nodes or credentials). */
export function packageWarnings(output, names = []) {
	const needles = [PACKAGE_NAME, '.n8n/nodes/node_modules', ...names].map((s) => s.toLowerCase());
	return output
		.split('\n')
		.filter((line) => {
			const l = line.toLowerCase();
			if (!needles.some((n) => l.includes(n))) return false;
			return /warn|error|could not|cannot|failed|deprecat|unknown|not found|invalid/.test(l);
		});
}

const WARNING_WORDS = /warn|error|could not|cannot|failed|deprecat|unknown|not found|invalid|exception|boom/i;

function normalizeLine(line) {
	return line
		.replace(/\x1b\[[0-9;]*m/g, '')
		.replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z?\b/g, '<time>')
		.replace(/127\.0\.0\.1:\d+|port \d+/g, '<port>')
		.replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
		.replace(/\([A-Za-z0-9_-]{16,24}\)/g, '(<id>)')
		.replace(/\/tmp\/n8n-e2e-[^/\s]+/g, '<userFolder>')
		.trim();
}

/**
 * Warning/error lines that n8n printed with the package installed but not without it (`baseline`:
 * the output of the same commands in an n8n without the package). n8n reports a node file that
 * fails to load with the bare error message, which names neither the package nor the file.
 */
export function newWarningLines(output, baseline) {
	const known = new Set(baseline.split('\n').map(normalizeLine));
	return [
		...new Set(
			output
				.split('\n')
				.map(normalizeLine)
				.filter((l) => l && WARNING_WORDS.test(l) && !known.has(l)),
		),
	];
}

/** Copies what the published package holds (dist/, index.js, package.json) into dest. */
export function copyPackage(fromDir, destDir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(fromDir, 'package.json'), 'utf8'));
	if (!fs.existsSync(path.join(fromDir, 'dist'))) {
		throw new Error(`${fromDir}/dist does not exist: run \`npm run build\` first`);
	}
	fs.rmSync(destDir, { recursive: true, force: true });
	fs.mkdirSync(destDir, { recursive: true });
	for (const entry of ['package.json', ...(pkg.files ?? ['dist', 'index.js'])]) {
		const src = path.join(fromDir, entry);
		if (!fs.existsSync(src)) continue;
		fs.cpSync(src, path.join(destDir, entry), { recursive: true });
	}
	// Source maps point at ../../nodes/*.ts, which is not shipped; harmless either way.
	return pkg;
}

function baseEnv({ userFolder, encryptionKey, port, brokerPort, extra }) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'true',
		N8N_AI_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// Task runners (the default from n8n 2.0) on a port of our own; no deprecation notices at start.
		N8N_RUNNERS_MODE: 'internal',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NODE_ENV: 'production',
		// no proxies for loopback traffic
		NO_PROXY: '127.0.0.1,localhost',
		no_proxy: '127.0.0.1,localhost',
		...extra,
	};
}

/**
 * A fresh n8n: installs it if needed, makes a temp user folder. Options:
 *  version ('1.123.5'), node24 (bool), env (extra env vars), keep (do not delete the folder), log (fn)
 */
export async function createN8n(opts = {}) {
	const layout = await ensureN8n({ version: opts.version, node24: opts.node24, quiet: opts.quietInstall });
	const userFolder = fs.mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), `n8n-e2e-${layout.version}-`));
	const n8nFolder = path.join(userFolder, '.n8n');
	fs.mkdirSync(n8nFolder, { recursive: true });
	const tmpFolder = path.join(userFolder, 'tmp');
	fs.mkdirSync(tmpFolder, { recursive: true });
	const port = await freePort();
	const brokerPort = await freePort();
	const encryptionKey = crypto.randomBytes(24).toString('hex');
	const log = opts.log ?? (() => {});
	const major = Number(layout.version.split('.')[0]);
	const env = {
		...layoutEnv(layout),
		...baseEnv({ userFolder, encryptionKey, port, brokerPort, extra: opts.env }),
		// n8n's own temp files (data-table uploads, ...) stay inside the user folder
		TMPDIR: tmpFolder,
	};
	if (major < 2) env.N8N_RUNNERS_ENABLED = 'true'; // 2.x: always on (the variable is deprecated)
	// n8n 2.x fetches a public MCP server list at start; nothing but loopback is reachable here.
	if (major >= 2 && env.N8N_DISABLED_MODULES === undefined) env.N8N_DISABLED_MODULES = 'mcp-registry';
	// A stray parent N8N_LOG_LEVEL would hide the execute result (printed at info).
	delete env.N8N_LOG_LEVEL;
	const transcript = []; // every command's output, for warning checks and debugging

	/** Starts `n8n <args>` in its own process group, killed with the others on exit. */
	function spawnN8n(args, stdin) {
		const child = spawn(layout.nodeBin, [layout.n8nBin, ...args], {
			cwd: userFolder,
			env,
			stdio: [stdin, 'pipe', 'pipe'],
			detached: true,
		});
		hookExit();
		liveGroups.add(child.pid);
		return child;
	}

	/** Runs `n8n <args>`; resolves { code, stdout, stderr }. */
	function n8nCli(args, { timeoutMs = 180000, input } = {}) {
		return new Promise((resolve, reject) => {
			const t0 = Date.now();
			const child = spawnN8n(args, 'pipe');
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			if (input) child.stdin.end(input);
			else child.stdin.end();
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {}
				reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
			}, timeoutMs);
			child.on('error', (e) => {
				clearTimeout(timer);
				reject(e);
			});
			child.on('close', (code) => {
				clearTimeout(timer);
				// the task runner may have been left behind in the group
				killGroup(child.pid);
				liveGroups.delete(child.pid);
				const seconds = (Date.now() - t0) / 1000;
				transcript.push({ args, code, stdout, stderr, seconds });
				log(`n8n ${args.join(' ')} -> exit ${code} (${seconds.toFixed(1)}s)`);
				resolve({ code, stdout, stderr, seconds });
			});
		});
	}

	function writeTemp(name, data) {
		const file = path.join(userFolder, name);
		fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
		return file;
	}

	const instance = {
		layout,
		version: layout.version,
		major,
		nodeVersion: layout.nodeVersion,
		userFolder,
		n8nFolder,
		port,
		env,
		transcript,
		cli: n8nCli,

		/** Copies the built package in, as n8n's community-package installer would leave it. */
		installPackage(fromDir) {
			const dest = path.join(n8nFolder, 'nodes', 'node_modules', PACKAGE_NAME);
			const pkg = copyPackage(fromDir, dest);
			// n8n's own installer also leaves a package.json in .n8n/nodes, but n8n (1.123 and 2.35 alike)
			// loads every n8n-nodes-* folder of .n8n/nodes/node_modules without it; opt in to write one.
			const nodesPkg = path.join(n8nFolder, 'nodes', 'package.json');
			if (opts.nodesPackageJson && !fs.existsSync(nodesPkg)) {
				fs.writeFileSync(
					nodesPkg,
					`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pkg.version } }, null, 2)}\n`,
				);
			}
			return dest;
		},

		/** Imports credentials ({id,name,type,data}) with plain data: n8n encrypts them itself. */
		async importCredentials(creds) {
			const list = Array.isArray(creds) ? creds : [creds];
			const file = writeTemp(`credentials-${Date.now()}.json`, list);
			const res = await n8nCli(['import:credentials', `--input=${file}`]);
			fs.rmSync(file, { force: true });
			if (res.code !== 0) throw new Error(`import:credentials failed\n${res.stdout}\n${res.stderr}`);
			return res;
		},

		/** Imports one workflow (gives it an id and versionId if missing); returns its id. */
		async importWorkflow(workflow, { id } = {}) {
			const wf = JSON.parse(JSON.stringify(workflow));
			wf.id = id ?? wf.id ?? crypto.randomBytes(8).toString('hex').slice(0, 16);
			wf.versionId = wf.versionId ?? crypto.randomUUID();
			wf.active = false;
			wf.settings = wf.settings ?? {};
			const file = writeTemp(`workflow-${wf.id}.json`, [wf]);
			const res = await n8nCli(['import:workflow', `--input=${file}`]);
			fs.rmSync(file, { force: true });
			if (res.code !== 0) throw new Error(`import:workflow failed\n${res.stdout}\n${res.stderr}`);
			return wf.id;
		},

		/**
		 * Sets a workflow active with the CLI (takes effect at the next `start`). Works in 2.x
		 * (`publish:workflow`); in 1.123 `update:workflow --active=true` fails on an imported workflow
		 * (no history version: SQLITE_CONSTRAINT) — use server.createWorkflow + server.activate there.
		 */
		async activateWorkflow(id) {
			const args =
				major >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'];
			const res = await n8nCli(args);
			if (res.code !== 0) throw new Error(`${args[0]} failed\n${res.stdout}\n${res.stderr}`);
			return res;
		},

		/**
		 * `n8n execute --id=<id> --rawOutput`: resolves { ok, run, stdout, stderr, code, seconds, error }.
		 * `run` is n8n's IRun ({ data: { resultData: { runData, error? } }, status, ... }).
		 */
		async execute(id, { timeoutMs = 300000 } = {}) {
			const res = await n8nCli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
			let run = null;
			try {
				run = extractJson(res.stdout);
			} catch {
				/* failed executions print the run at info before the error */
			}
			const error = run?.data?.resultData?.error ?? null;
			return { ...res, ok: res.code === 0 && run !== null && !error, run, error };
		},

		/** Output of every command so far, joined. */
		output() {
			return transcript.map((t) => `$ n8n ${t.args.join(' ')}\n${t.stdout}\n${t.stderr}`).join('\n');
		},

		/** `n8n start`: resolves a server handle once /healthz answers and the owner is set up and logged in. */
		async start({ timeoutMs = 180000, setupOwner = true } = {}) {
			const t0 = Date.now();
			const child = spawnN8n(['start'], 'ignore');
			const entry = { args: ['start'], code: null, stdout: '', stderr: '', seconds: 0 };
			transcript.push(entry);
			child.stdout.on('data', (d) => (entry.stdout += d));
			child.stderr.on('data', (d) => (entry.stderr += d));
			let exited = false;
			const exitPromise = new Promise((resolve) =>
				child.on('close', (code) => {
					exited = true;
					killGroup(child.pid);
					liveGroups.delete(child.pid);
					entry.code = code;
					entry.seconds = (Date.now() - t0) / 1000;
					resolve(code);
				}),
			);
			const baseUrl = `http://127.0.0.1:${port}`;
			for (;;) {
				if (exited) throw new Error(`n8n start exited early (${entry.code})\n${entry.stdout}\n${entry.stderr}`);
				if (Date.now() - t0 > timeoutMs) {
					try {
						process.kill(-child.pid, 'SIGKILL');
					} catch {}
					throw new Error(`n8n start did not become ready in ${timeoutMs} ms\n${entry.stdout}\n${entry.stderr}`);
				}
				// n8n answers "n8n is starting up" until it prints this line.
				if (/Editor is now accessible via/.test(entry.stdout + entry.stderr)) {
					try {
						const r = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
						if (r.ok) break;
					} catch {}
				}
				await new Promise((r) => setTimeout(r, 500));
			}
			log(`n8n start ready on ${baseUrl} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
			const browserId = crypto.randomUUID();
			let cookie = '';
			async function request(method, urlPath, body, { raw = false } = {}) {
				const headers = { 'browser-id': browserId };
				if (cookie) headers.cookie = cookie;
				if (body !== undefined) headers['content-type'] = 'application/json';
				const r = await fetch(`${baseUrl}${urlPath}`, {
					method,
					headers,
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				const setCookie = r.headers.getSetCookie?.() ?? [];
				const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
				if (auth) cookie = auth.split(';')[0];
				if (raw) return r;
				const text = await r.text();
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = text;
				}
				if (!r.ok) {
					const err = new Error(`${method} ${urlPath} -> ${r.status}: ${text.slice(0, 500)}`);
					err.status = r.status;
					err.body = json;
					throw err;
				}
				return json && typeof json === 'object' && 'data' in json ? json.data : json;
			}
			const server = {
				baseUrl,
				child,
				request,
				get cookie() {
					return cookie;
				},
				browserId,
				output: () => `${entry.stdout}\n${entry.stderr}`,
				async setupOwner() {
					await request('POST', '/rest/owner/setup', OWNER);
					if (!cookie) await request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
				},
				/** n8n's own credential test (the "Test" button): { status: 'OK' | 'Error', message }. */
				async testCredential({ id, name, type, data }) {
					return request('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
				},
				/** Node and credential types as n8n serves them to the editor. */
				async types() {
					const nodes = await request('GET', '/types/nodes.json');
					const credentials = await request('GET', '/types/credentials.json');
					return { nodes, credentials };
				},
				/** Creates a workflow through the REST API (which also writes its history version). */
				async createWorkflow(workflow) {
					const { name, nodes, connections, settings, pinData } = workflow;
					const created = await request('POST', '/rest/workflows', {
						name,
						nodes,
						connections,
						settings: settings ?? {},
						pinData: pinData ?? {},
						active: false,
					});
					return created;
				},
				/**
				 * Activates (1.x) / publishes (2.x) a workflow in the running n8n; its triggers start at
				 * once (a polling trigger polls right away). A workflow from `import:workflow` has no
				 * history row in 1.123, which makes this (and `update:workflow --active`) fail with
				 * SQLITE_CONSTRAINT; create it with createWorkflow instead.
				 */
				async activate(id) {
					const wf = await request('GET', `/rest/workflows/${id}`);
					return request('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId });
				},
				async executions(workflowId) {
					const q = encodeURIComponent(JSON.stringify({ workflowId }));
					const res = await request('GET', `/rest/executions?filter=${q}`);
					return res.results ?? res;
				},
				async execution(id) {
					return request('GET', `/rest/executions/${id}`);
				},
				async stop() {
					if (exited) return entry.code;
					try {
						process.kill(-child.pid, 'SIGTERM');
					} catch {}
					const timer = setTimeout(() => {
						try {
							process.kill(-child.pid, 'SIGKILL');
						} catch {}
					}, 15000);
					const code = await exitPromise;
					clearTimeout(timer);
					try {
						process.kill(-child.pid, 'SIGKILL');
					} catch {}
					return code;
				},
			};
			if (setupOwner) await server.setupOwner();
			return server;
		},

		cleanup() {
			if (!opts.keep) fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
	return instance;
}

/** Node results of a run: { nodeName: json[] } from the last run of each node's main output 0. */
export function nodeOutputs(run) {
	const out = {};
	const runData = run?.data?.resultData?.runData ?? {};
	for (const [name, runs] of Object.entries(runData)) {
		const last = runs[runs.length - 1];
		const items = last?.data?.main?.[0] ?? [];
		out[name] = items.map((i) => i.json);
	}
	return out;
}
