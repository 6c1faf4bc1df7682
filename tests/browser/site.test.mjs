// Browser tests of the static site: builds data/example.toml in three languages, serves it
// over HTTP on 127.0.0.1 under a sub-path, and drives Debian's Chromium with playwright-core.
//
//   npm ci && node --test tests/browser/
//
// Environment: XROAD_SHARE_BIN runs that binary instead of `cargo run`; CHROMIUM overrides
// /usr/bin/chromium; JAVA overrides `java` (for the Nu Html Checker).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { serve } from './serve.mjs';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INPUT = path.join(REPO, 'data/example.toml');
const ARTIFACTS = path.join(REPO, 'tests/artifacts');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const VNU = String(require('vnu-jar'));
const LANGS = ['fi', 'sv', 'en'];
// The phases of SPEC 6.4 (src/phases.rs); a phase id both sides have is ticked on both.
const MEMBER_PHASES = [
  'agreement',
  'policies',
  'server-details',
  'authorisation',
  'permit',
  'permit-reference',
  'client-tls',
  'sign-cert-confirmed',
];
const OWNER_PHASES = [
  'agreement',
  'policies',
  'server-details',
  'authorisation-received',
  'central-registration',
  'add-subsystem',
  'sign-key',
  'sign-cert-applied',
  'sign-cert-installed',
  'registration-request',
  'sign-cert-registered',
  'client-tls',
  'renewals-scheduled',
];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let out; // the built site
let server; // the HTTP server
let base; // the site's URL, ending in `/`
let context; // the browser
let pages; // every HTML page, relative to `out`
const visits = new Map(); // page → what loading it showed

/** Every file under `dir`, relative, with `/` separators, sorted. */
function walk(dir, rel = '') {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]))
    .sort();
}

/** The `progress` tables of the input, per member id: phase id → `YYYY-MM-DD`. Only what the test needs of TOML. */
function progressOf(toml) {
  const progress = {};
  let section = '';
  let member = null;
  for (const raw of toml.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      section = line;
      if (line === '[[members]]') member = null;
      continue;
    }
    const m = line.match(/^"?([^"=]+?)"?\s*=\s*"?([^"#]*?)"?\s*(#.*)?$/);
    if (!m) continue;
    if (section === '[[members]]' && m[1] === 'id') {
      member = m[2];
      progress[member] = {};
    } else if (section === '[members.progress]' && member) {
      progress[member][m[1]] = m[2];
    }
  }
  return progress;
}

/** A `YYYY-MM-DD` date as the documents print it. */
function formatDate(iso, lang) {
  const [y, m, d] = iso.split('-').map(Number);
  return lang === 'en' ? `${d} ${MONTHS[m - 1]} ${y}` : `${d}.${m}.${y}`;
}

/** Opens `rel` and records console errors, failed requests, links, ids and axe's violations. */
async function visit(rel) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) errors.push(`request outside the site: ${r.url()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(base + rel, { waitUntil: 'load' });
  assert.equal(response.status(), 200, rel);
  const info = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    links: [...document.querySelectorAll('[href], [src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src')),
    resources: [...document.querySelectorAll('link[href], [src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src')),
    ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
    scripts: document.querySelectorAll('script').length,
    scriptSources: [...document.querySelectorAll('script')].map((e) => e.getAttribute('src')),
  }));
  await page.addScriptTag({ content: AXE });
  const axe = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  await page.close();
  const record = { ...info, errors, axe };
  visits.set(rel, record);
  return record;
}

before(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'xroad-share-site-'));
  const args = ['build', INPUT, '--format', 'md,html', '--lang', 'fi,sv,en', '--out', out];
  const bin = process.env.XROAD_SHARE_BIN;
  const build = bin
    ? spawnSync(bin, args, { cwd: REPO, encoding: 'utf8' })
    : spawnSync('cargo', ['run', '--quiet', '--', ...args], { cwd: REPO, encoding: 'utf8' });
  assert.equal(build.status, 0, `the build failed:\n${build.stderr}`);
  pages = walk(out).filter((f) => f.endsWith('.html'));
  ({ server, base } = await serve(out, { prefix: '/sites/xroad/' }));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xroad-share-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await context?.close();
  server?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

// The build wrote the layout of SPEC §5: the root, an overview page and every document per language, the stylesheet.
test('the site has the pages of every document in every language', () => {
  const files = new Set(walk(out));
  for (const f of ['index.html', 'assets/style.css', 'manifest.json']) assert.ok(files.has(f), f);
  for (const lang of LANGS) {
    for (const doc of ['index', 'overview', 'certificates', 'members/index']) assert.ok(files.has(`${lang}/${doc}.html`), `${lang}/${doc}.html`);
    for (const member of ['pikkula', 'strandby', 'lakeside']) {
      for (const doc of ['agreement', 'data-processing', 'authorisation', 'permit-fields', 'member-checklist', 'owner-checklist']) {
        assert.ok(files.has(`${lang}/members/${member}/${doc}.html`), `${lang}/members/${member}/${doc}.html`);
      }
    }
  }
  for (const f of files) assert.ok(!/^(https?:|\/\/)/.test(f));
});

// From the root's language choice to a member's agreement, by clicking, in each language.
test('a reader walks from the root to an agreement in each language', async () => {
  const page = await context.newPage();
  for (const lang of LANGS) {
    await page.goto(base + 'index.html');
    await page.locator(`.lang-choice a[hreflang="${lang}"]`).click();
    await page.waitForURL(`${base}${lang}/index.html`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await page.locator('main .more a[href="members/index.html"]').click();
    await page.waitForURL(`${base}${lang}/members/index.html`);
    await page.locator('#member-pikkula a.member-name').click();
    await page.waitForURL(`${base}${lang}/members/pikkula/agreement.html`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.ok(await page.locator('main h1').isVisible());
    assert.equal(await page.locator('.breadcrumbs [aria-current="page"]').count(), 1);
  }
  await page.close();
});

// The language switcher leads to the same document in the other language, and back.
test('the language switcher keeps the page', async () => {
  const page = await context.newPage();
  await page.goto(base + 'fi/members/strandby/permit-fields.html');
  await page.locator('.lang-switch a[hreflang="sv"]').click();
  await page.waitForURL(base + 'sv/members/strandby/permit-fields.html');
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  await page.locator('.lang-switch a[hreflang="en"]').click();
  await page.waitForURL(base + 'en/members/strandby/permit-fields.html');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('.lang-switch [aria-current]').textContent(), 'English');
  await page.locator('.lang-switch a[hreflang="fi"]').click();
  await page.waitForURL(base + 'fi/members/strandby/permit-fields.html');
  await page.close();
});

// The checklists tick exactly the phases that `progress` dates, with those dates.
test('checklist checkboxes match the progress of data/example.toml', async () => {
  const progress = progressOf(fs.readFileSync(INPUT, 'utf8'));
  assert.deepEqual(Object.keys(progress), ['pikkula', 'strandby', 'lakeside']);
  const page = await context.newPage();
  for (const [member, done] of Object.entries(progress)) {
    for (const [doc, phases] of [
      ['member-checklist', MEMBER_PHASES],
      ['owner-checklist', OWNER_PHASES],
    ]) {
      const expected = Object.entries(done).filter(([id]) => phases.includes(id.split('/')[0]));
      for (const lang of LANGS) {
        await page.goto(`${base}${lang}/members/${member}/${doc}.html`);
        const boxes = await page.$$eval('main .task-list input[type="checkbox"]', (inputs) =>
          inputs.map((i) => ({ checked: i.checked, disabled: i.disabled, label: i.closest('label')?.textContent ?? '' })),
        );
        const where = `${lang}/members/${member}/${doc}`;
        assert.ok(boxes.length >= expected.length && boxes.length > 0, `${where}: ${boxes.length} checkboxes`);
        assert.ok(boxes.every((b) => b.disabled), `${where}: checkboxes are read-only`);
        const checked = boxes.filter((b) => b.checked);
        assert.equal(checked.length, expected.length, `${where}: ${checked.length} ticked, progress has ${expected.length}`);
        const dates = expected.map(([, d]) => formatDate(d, lang)).sort();
        const shown = checked.map((b) => dates.find((d) => b.label.includes(d)) ?? `no date in "${b.label.trim()}"`).sort();
        assert.deepEqual(shown, dates, `${where}: the dates of the ticked phases`);
      }
    }
  }
  await page.close();
});

// The overview page sums up the members and counts the certificates per status badge; the
// member index shows each member's progress.
test('the overview page sums up, the member index shows each member', async () => {
  const page = await context.newPage();
  await page.goto(base + 'en/index.html');
  assert.equal(await page.locator('main li[id^="member-"]').count(), 0, 'no member listed on the overview');
  const badges = await page.$$eval('.badge', (bs) => bs.map((b) => b.textContent));
  assert.ok(badges.includes('Expired') || badges.includes('Renew now') || badges.includes('Valid'), badges.join());
  await page.goto(base + 'en/members/index.html');
  const progress = await page.$$eval('#member-list .member-progress', (ps) => ps.map((p) => p.textContent));
  assert.equal(progress.length, 3);
  for (const p of progress) {
    const [, done, total] = p.match(/^Progress (\d+) \/ (\d+)$/);
    assert.ok(Number(total) > 0 && Number(done) <= Number(total), p);
  }
  await page.close();
});

// No page but the member index lists the members: a member's document links its own
// member's documents only, and the member index.
test('a document page links only its own member and the member index', async () => {
  const page = await context.newPage();
  await page.goto(base + 'fi/members/pikkula/agreement.html');
  const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('../index.html'), 'the member index');
  assert.ok(links.includes('authorisation.html'), 'its own documents');
  assert.ok(!links.some((l) => /strandby|lakeside/.test(l)), links.join(' '));
  await page.close();
});

// The member index filters as one types, from file:// too; without JavaScript it is the
// whole list and no filter box.
test('the member index filter works with JavaScript, from file://', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const url of [base + 'en/members/index.html', pathToFileURL(path.join(out, 'sv/members/index.html')).href]) {
    await page.goto(url);
    const box = page.locator('#member-filter');
    assert.ok(await box.isVisible(), `${url}: the filter box shows`);
    const visible = () => page.$$eval('#member-list > li', (ls) => ls.filter((l) => !l.hidden).map((l) => l.id));
    assert.deepEqual(await visible(), ['member-pikkula', 'member-strandby', 'member-lakeside']);
    await box.fill('STRAND');
    assert.deepEqual(await visible(), ['member-strandby']);
    assert.equal(await page.locator('#member-count .count').textContent(), '1');
    await box.fill('2847361');
    assert.deepEqual(await visible(), ['member-lakeside'], 'by Business ID');
    await box.fill('nobody here');
    assert.deepEqual(await visible(), []);
    assert.equal(await page.locator('#member-count .count').textContent(), '0');
    await box.press('Enter');
    assert.equal(page.url(), url, 'Enter does not leave the page');
    await box.fill('');
    assert.equal((await visible()).length, 3);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the member index is a plain list without JavaScript', async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const url of [base + 'fi/members/index.html', pathToFileURL(path.join(out, 'en/members/index.html')).href]) {
    await page.goto(url);
    assert.equal(await page.locator('#member-filter').isVisible(), false, 'no filter box');
    const items = await page.$$eval('#member-list > li', (ls) => ls.map((l) => ({ id: l.id, shown: l.offsetParent !== null })));
    assert.deepEqual(items.map((i) => i.id), ['member-pikkula', 'member-strandby', 'member-lakeside']);
    assert.ok(items.every((i) => i.shown));
    assert.equal(await page.locator('#member-list a.member-name').count(), 3);
  }
  await ctx.close();
  await browser.close();
});

// Every page: loads without console errors or failed requests, has its language, ships no
// scripts but the member index's own filter, and has no axe-core violations (WCAG 2.1 AA and
// best practices).
test('every page is clean in the browser and has no axe-core violations', async (t) => {
  for (const rel of pages) {
    await t.test(rel, async () => {
      const v = await visit(rel);
      assert.deepEqual(v.errors, [], 'console errors or failed requests');
      assert.ok(['fi', 'sv', 'en'].includes(v.lang), `lang="${v.lang}"`);
      if (rel.endsWith('members/index.html')) {
        assert.deepEqual(v.scriptSources, ['../../assets/filter.js'], 'only the filter script');
      } else {
        assert.equal(v.scripts, 0, 'no <script> (axe is injected after this count)');
      }
      assert.deepEqual(v.axe, [], 'axe-core violations');
    });
  }
});

// Every href and src of every page resolves: relative targets exist, fragments name an id;
// stylesheets, icons and images come from the site itself.
test('every link and source of every page resolves', async () => {
  if (visits.size < pages.length) for (const rel of pages) if (!visits.has(rel)) await visit(rel);
  const problems = [];
  for (const [rel, v] of visits) {
    for (const res of v.resources) {
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(res)) problems.push(`${rel}: a resource from outside the site: ${res}`);
    }
    for (const link of v.links) {
      if (/^\s*javascript:/i.test(link)) problems.push(`${rel}: ${link}`);
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(link)) {
        if (!/^(https?|mailto|tel):/i.test(link)) problems.push(`${rel}: unexpected scheme ${link}`);
        continue;
      }
      if (link.startsWith('/')) {
        problems.push(`${rel}: absolute path ${link}`);
        continue;
      }
      const target = new URL(link, base + rel);
      const file = decodeURIComponent(target.pathname).slice(new URL(base).pathname.length) || 'index.html';
      if (!fs.existsSync(path.join(out, file))) {
        problems.push(`${rel}: ${link} → missing ${file}`);
        continue;
      }
      const id = decodeURIComponent(target.hash.slice(1));
      if (id && file.endsWith('.html')) {
        const ids = visits.get(file)?.ids ?? [];
        if (!ids.includes(id)) problems.push(`${rel}: ${link} → no id "${id}" in ${file}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

// The Nu Html Checker finds no error in any page.
test('every page is valid HTML (Nu Html Checker)', () => {
  const java = process.env.JAVA ?? 'java';
  const run = spawnSync(java, ['-jar', VNU, '--format', 'json', '--skip-non-html', out], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(run.stderr.trim().startsWith('{'), `vnu did not run: ${run.error ?? run.stderr}`);
  const { messages } = JSON.parse(run.stderr);
  const errors = messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => `${path.relative(out, fileURLToPath(m.url ?? pathToFileURL(out).href))}:${m.lastLine ?? ''} ${m.message}`);
  assert.deepEqual(errors, []);
  const checked = new Set(messages.map((m) => m.url)).size;
  assert.ok(pages.length > 40 && checked <= pages.length);
});

// At phone width and at 200% zoom (half the CSS pixels) nothing scrolls sideways but tables.
test('pages reflow at phone width and at 200% zoom', async () => {
  const page = await context.newPage();
  const sample = ['index.html', 'fi/index.html', 'sv/members/strandby/agreement.html', 'en/certificates.html', 'fi/members/pikkula/owner-checklist.html'];
  for (const width of [390, 640]) {
    await page.setViewportSize({ width, height: 900 });
    for (const rel of sample) {
      await page.goto(base + rel);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${rel} at ${width}px scrolls sideways by ${overflow}px`);
    }
  }
  await page.close();
});

// On paper: no navigation, the signatures on a page of their own, the rest of the look kept.
test('a printed agreement is a document', async () => {
  const page = await context.newPage();
  await page.goto(base + 'fi/members/pikkula/agreement.html');
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.site-header', '.breadcrumbs', '.sidenav', '.site-footer', '.doc-files']) {
    assert.equal(await page.locator(sel).isVisible(), false, `${sel} on paper`);
  }
  const signatures = page.locator('main .signatures');
  assert.equal(await signatures.count(), 1, 'one signatures section');
  assert.equal(await signatures.evaluate((e) => getComputedStyle(e).breakBefore), 'page');
  // Each signatory's block stays on one page, with 15 mm (56.7 CSS px) to sign above each
  // line to write on by hand.
  const blocks = page.locator('main .signatures .signatory');
  assert.ok((await blocks.count()) >= 2, 'a block per signatory');
  for (const b of await blocks.all()) {
    assert.equal(await b.evaluate((e) => getComputedStyle(e).breakInside), 'avoid');
    const lines = b.locator('.sign-line');
    assert.ok((await lines.count()) >= 2, 'lines to write on');
    for (const l of await lines.all()) {
      const margin = await l.evaluate((e) => parseFloat(getComputedStyle(e).marginTop));
      assert.ok(margin >= 56.6, `only ${margin}px above a signature line`);
    }
  }
  await page.pdf({ path: path.join(ARTIFACTS, 'agreement-print.pdf'), format: 'A4', printBackground: true });
  await page.close();
});

// Identifiers are never broken: at phone width and on paper every code span without a space
// is on one line; a table of many columns (the register) is printed on landscape pages.
test('identifiers stay whole at phone width and in print', async () => {
  const page = await context.newPage();
  const sample = ['en/members/pikkula/permit-fields.html', 'fi/members/pikkula/authorisation.html', 'sv/certificates.html'];
  for (const media of ['screen', 'print']) {
    await page.emulateMedia({ media });
    await page.setViewportSize({ width: 375, height: 800 });
    for (const rel of sample) {
      await page.goto(base + rel);
      const broken = await page.evaluate(() => [...document.querySelectorAll('main code:not(.words), main code.words > span')]
        .filter((c) => c.getClientRects().length > 1)
        .map((c) => c.textContent));
      assert.deepEqual(broken, [], `${rel} (${media}) breaks ${broken.join(', ')}`);
    }
  }
  await page.goto(base + 'en/certificates.html');
  await page.emulateMedia({ media: 'print' });
  const wide = page.locator('main .table-wrap.wide');
  assert.ok((await wide.count()) >= 1);
  assert.equal(await wide.first().evaluate((e) => getComputedStyle(e).page), 'wide');
  await page.emulateMedia({ media: 'screen' });
  await page.goto(base + 'en/members/pikkula/authorisation.html');
  const cell = page.locator('main td[data-label]').first();
  assert.equal(await cell.evaluate((e) => getComputedStyle(e).display), 'block', 'stacked at phone width');
  await page.close();
});

// The site also works straight from the disk: styles load over file://.
test('the site works from file://', async () => {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(out, 'sv/members/lakeside/authorisation.html')).href);
  const header = await page.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(header, 'rgb(0, 52, 121)');
  await page.locator('.breadcrumbs a').first().click();
  assert.ok(page.url().endsWith('/sv/index.html'));
  await page.close();
});

// Screenshots for people to look at (tests/artifacts/, not committed).
test('screenshots of the overview and an agreement', async () => {
  const page = await context.newPage();
  const shots = [
    ['overview-fi.png', 'fi/index.html', 1280],
    ['agreement-fi.png', 'fi/members/pikkula/agreement.html', 1280],
    ['overview-en-phone.png', 'en/index.html', 390],
    ['agreement-sv-phone.png', 'sv/members/strandby/agreement.html', 390],
  ];
  for (const [name, rel, width] of shots) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(base + rel);
    await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
    assert.ok(fs.statSync(path.join(ARTIFACTS, name)).size > 10_000, name);
  }
  await page.close();
});
