#!/usr/bin/env node
// Pictures of each example's canvas for the README, taken from a real n8n editor.
//
//   apt-get install -y chromium        # Debian's headless browser
//   node scripts/screenshots.mjs       # writes examples/screenshots/<example>.png
//
// puppeteer-core (no bundled browser) is installed on first use into the n8n cache folder, never
// into the package. Needs the built package (npm run build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { cacheRoot, DEFAULT_N8N_VERSION } from './n8n-install.mjs';
import { OWNER } from './n8n-runner.mjs';
import { REPO } from './simulators.mjs';
import { exampleFiles, setup } from '../test/e2e/harness.mjs';

const PUPPETEER_VERSION = '25.16.0';
const OUT_DIR = path.join(REPO, 'examples', 'screenshots');

function puppeteer() {
	const dir = path.join(cacheRoot(), 'screenshot-tools');
	const pkgDir = path.join(dir, 'node_modules', 'puppeteer-core');
	if (!fs.existsSync(pkgDir)) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"screenshot-tools","private":true}\n');
		fs.writeFileSync(path.join(dir, '.npmrc'), 'ignore-scripts=true\nfund=false\naudit=false\n');
		const res = spawnSync('npm', ['install', `puppeteer-core@${PUPPETEER_VERSION}`, '--loglevel=error'], {
			cwd: dir,
			stdio: 'inherit',
		});
		if (res.status !== 0) throw new Error('installing puppeteer-core failed');
	}
	return createRequire(path.join(dir, 'package.json'))('puppeteer-core');
}

function chromiumPath() {
	for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
		if (p && fs.existsSync(p)) return p;
	}
	throw new Error('no Chromium found: apt-get install -y chromium (or set CHROMIUM_PATH)');
}

async function main() {
	const only = process.argv.slice(2);
	const files = exampleFiles().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
	const ctx = await setup({ version: DEFAULT_N8N_VERSION, examples: files });
	const server = await ctx.n8n.start();
	const browser = await puppeteer().launch({
		executablePath: chromiumPath(),
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--proxy-server=direct://'],
		defaultViewport: { width: 1600, height: 900, deviceScaleFactor: 1 },
	});
	try {
		const page = await browser.newPage();
		// Sign in through the editor's own form.
		await page.goto(`${server.baseUrl}/signin`, { waitUntil: 'networkidle2', timeout: 120000 });
		await page.waitForSelector('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]', { timeout: 60000 });
		const emailSel = (await page.$('input[name="emailOrLdapLoginId"]')) ? 'input[name="emailOrLdapLoginId"]' : 'input[type="email"]';
		await page.type(emailSel, OWNER.email);
		await page.type('input[type="password"]', OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => !location.pathname.includes('signin'), { timeout: 60000 });
		fs.mkdirSync(OUT_DIR, { recursive: true });
		for (const file of files) {
			await page.goto(`${server.baseUrl}/workflow/${ctx.ids[file]}`, { waitUntil: 'networkidle2', timeout: 120000 });
			await page.waitForSelector('.vue-flow__node', { timeout: 60000 });
			await new Promise((r) => setTimeout(r, 1500));
			// Close anything that pops over the canvas, then "zoom to fit" (shortcut 1).
			await page.keyboard.press('Escape');
			await page.mouse.click(800, 860);
			await page.keyboard.press('1');
			await new Promise((r) => setTimeout(r, 1500));
			const out = path.join(OUT_DIR, file.replace(/\.json$/, '.png'));
			await page.screenshot({ path: out });
			console.log(`wrote ${path.relative(REPO, out)}`);
		}
	} finally {
		await browser.close();
		await server.stop();
		await ctx.close();
	}
}

main().catch((err) => {
	console.error(err.stack ?? err);
	process.exit(1);
});
