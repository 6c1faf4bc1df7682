// Browser test of `xroad-share serve`: starts the server on a free port over a copy of
// data/example.toml, opens a page in Debian's Chromium, edits the copy and waits for the
// page to reload with the change; a broken input shows the error page, and fixing it brings
// the document back. Every wait is bounded, and the server is stopped at the end.
//
// Environment: XROAD_SHARE_BIN runs that binary instead of `cargo run`; CHROMIUM overrides
// /usr/bin/chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE = 'fi/members/pikkula/agreement.html';

let dir; // the folder with the copy of the input
let input; // the copy
let original; // its text
let server; // the `serve` process
let exited; // resolves with the exit code of `serve`
let base; // the server's URL, ending in `/`
let context; // the browser
let log = ''; // what `serve` printed

/** Resolves with the first line of `serve` that has the URL, or fails after `ms`. */
function urlOf(child, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${ms} ms:\n${log}`)), ms);
    child.stdout.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.stderr.on('data', (chunk) => (log += chunk));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xroad-share-serve-'));
  input = path.join(dir, 'sharing.toml');
  fs.copyFileSync(path.join(REPO, 'data/example.toml'), input);
  fs.cpSync(path.join(REPO, 'data/certs'), path.join(dir, 'certs'), { recursive: true });
  original = fs.readFileSync(input, 'utf8');
  const args = ['serve', input, '--port', '0', '--format', 'md,html'];
  const bin = process.env.XROAD_SHARE_BIN;
  server = bin
    ? spawn(bin, args, { cwd: dir })
    : spawn('cargo', ['run', '--quiet', '--manifest-path', path.join(REPO, 'Cargo.toml'), '--', ...args], { cwd: dir });
  exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(code ?? signal)));
  // `cargo run` may have to build first.
  base = await urlOf(server, 600_000);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xroad-share-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

after(async () => {
  await context?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    if (code === 'timeout') server.kill('SIGKILL');
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes the input and resolves when `page` has loaded again, failing after `ms`. */
async function editAndWaitForReload(page, text, ms) {
  const loaded = page.waitForEvent('load', { timeout: ms });
  const started = Date.now();
  fs.writeFileSync(input, text);
  await loaded;
  return Date.now() - started;
}

// `serve` answers on 127.0.0.1 with the built page, and a change to the input reaches the open page within 2 s.
test('a change to the input reaches the served page within 2 seconds', async () => {
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await context.newPage();
  const response = await page.goto(base + PAGE, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  assert.ok((await page.textContent('body')).includes('Kunnantie 1, 99998 Pikkula'));
  // Let the page's poll reach the server before the edit.
  await page.waitForTimeout(300);
  const changed = original.replace('Kunnantie 1, 99998 Pikkula', 'Kunnantie 7, 99998 Pikkula');
  assert.notEqual(changed, original);
  const ms = await editAndWaitForReload(page, changed, 2000);
  assert.ok(ms <= 2000, `reloaded after ${ms} ms`);
  const body = await page.textContent('body');
  assert.ok(body.includes('Kunnantie 7, 99998 Pikkula'), body.slice(0, 500));
  await page.close();
});

// While the input is invalid, the page shows the build's error; fixing the input brings the document back.
test('a build error is shown in the browser until it is fixed', async () => {
  const page = await context.newPage();
  await page.goto(base + PAGE, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  await editAndWaitForReload(page, original.replace('2345678-0', '2345678-9'), 5000);
  const error = await page.textContent('#build-error');
  assert.ok(error.includes('error[business-id]'), error);
  assert.ok(log.includes('error[business-id]'), 'the terminal shows it too');
  await page.waitForTimeout(300);
  await editAndWaitForReload(page, original, 5000);
  assert.equal(await page.$('#build-error'), null);
  assert.ok((await page.textContent('body')).includes('Pikkulan kunta'));
  await page.close();
});

// Ctrl-C (SIGINT) stops the server cleanly.
test('Ctrl-C stops the server', async () => {
  server.kill('SIGINT');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
  assert.equal(code, 0, log);
});
