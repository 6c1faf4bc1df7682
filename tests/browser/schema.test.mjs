// The JSON Schema in an editor's validator: taplo (the engine of the Even Better TOML
// extension) checks the files that `xroad-share init` writes, through their `#:schema` line.
// Not a browser test, but a test of the same kind: a tool of the Node world driven over the
// tool's output.
//
// Environment: XROAD_SHARE_BIN runs that binary instead of `cargo run`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TAPLO = path.join(path.dirname(require.resolve('@taplo/cli/package.json')), 'dist/cli.js');

let dir; // the folder `init` wrote in
let starter; // the text of its sharing.toml

function xroadShare(args) {
  const bin = process.env.XROAD_SHARE_BIN;
  return bin
    ? spawnSync(bin, args, { cwd: REPO, encoding: 'utf8' })
    : spawnSync('cargo', ['run', '--quiet', '--', ...args], { cwd: REPO, encoding: 'utf8' });
}

/** Runs `taplo check` on `file` (it finds the schema through the `#:schema` line). */
function taplo(file) {
  const r = spawnSync(process.execPath, [TAPLO, 'check', '--no-auto-config', file], { cwd: dir, encoding: 'utf8' });
  const errors = (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('error'));
  return { status: r.status, errors, output: r.stdout + r.stderr };
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xroad-share-schema-'));
  const r = xroadShare(['init', dir]);
  assert.equal(r.status, 0, r.stderr);
  starter = fs.readFileSync(path.join(dir, 'sharing.toml'), 'utf8');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// The starter that `init` writes passes taplo's schema check through its `#:schema` line.
test('the starter passes taplo with the schema that init writes', () => {
  assert.ok(starter.startsWith('#:schema ./xroad-share.schema.json\n'));
  const r = taplo('sharing.toml');
  assert.equal(r.status, 0, r.output);
});

// An unknown key is one clear message that names it, never an `anyOf` fan-out.
test('an unknown key gives one clear error in taplo', () => {
  fs.writeFileSync(path.join(dir, 'typo.toml'), starter.replace('notice_months = 6', 'notice_month = 6'));
  const r = taplo('typo.toml');
  assert.notEqual(r.status, 0, r.output);
  const messages = [...new Set(r.errors)];
  assert.deepEqual(messages, ["error: Additional properties are not allowed ('notice_month' was unexpected)"], r.output);
  assert.ok(!r.output.includes('anyOf'), r.output);
});

// A value of the wrong type in an optional table is reported as that, not as an `anyOf` failure.
test('a wrong type in an optional table names the type', () => {
  fs.writeFileSync(path.join(dir, 'type.toml'), starter.replace('notice_months = 6', 'notice_months = "six"'));
  const r = taplo('type.toml');
  assert.notEqual(r.status, 0, r.output);
  assert.ok(r.errors.some((e) => e.includes('"six" is not of type "integer"')), r.output);
  assert.ok(!r.output.includes('anyOf'), r.output);
});
