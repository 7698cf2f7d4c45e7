// search.test.mjs -- the web search box in a real browser: headless Chromium
// (Debian's /usr/bin/chromium) driven by playwright-core. Indexes the sample
// corpus, starts `corpsearch serve` on a free loopback port, then: type a
// query, see suggestions and highlighted results, page forward and back,
// click a province facet (filtered results, URL changes), open a result,
// switch language, and the same without JavaScript. Screenshots are kept as
// test artefacts. Prints TAP.
//
// usage: node search.test.mjs /path/to/corpsearch [ARTEFACT_DIR]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cs = process.argv[2];
const artefacts = resolve(process.argv[3] || process.env.CS_ARTEFACT_DIR || '.');
const corpus = join(process.env.CS_SOURCE_DIR || join(here, '..', '..'), 'corpus');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let n = 0;
let failed = 0;
function ok(cond, desc, detail) {
  n++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${desc}`);
  if (!cond) {
    failed++;
    if (detail !== undefined) console.log(`#   ${String(detail).slice(0, 400)}`);
  }
}
function skipAll(why) {
  if (process.env.CI === 'true') {
    console.log(`Bail out! ${why} (required under CI)`);
    process.exit(1);
  }
  console.log(`1..0 # SKIP ${why}`);
  process.exit(0);
}

if (!cs) skipAll('usage: search.test.mjs CORPSEARCH [ARTEFACT_DIR]');
if (!existsSync(chromiumPath)) skipAll(`no browser at ${chromiumPath} (apt-get install chromium)`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  skipAll('playwright-core is not installed (npm ci in tests/browser)');
}

const tmp = mkdtempSync(join(tmpdir(), 'cs-browser-'));
const index = join(tmp, 'index');
const built = spawnSync(cs, ['index', '--quiet', '--index', index, corpus], { encoding: 'utf8' });
if (built.status !== 0) {
  console.log(`Bail out! indexing failed: ${built.stderr}`);
  process.exit(1);
}

// Start the daemon on port 0 and read the port it prints.
const server = spawn(cs, ['serve', '--index', index, '--listen', '127.0.0.1:0', '--threads', '2'],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
const base = await new Promise((res, rej) => {
  const timer = setTimeout(() => rej(new Error(`daemon did not start: ${log}`)), 15000);
  server.stderr.on('data', (d) => {
    log += d;
    const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) { clearTimeout(timer); res(m[1]); }
  });
  server.on('exit', (code) => rej(new Error(`daemon exited ${code}: ${log}`)));
}).catch((e) => { console.log(`Bail out! ${e.message}`); process.exit(1); });

// Never leave the daemon behind, whatever happens below.
process.on('exit', () => { if (server.exitCode === null) server.kill('SIGKILL'); });

mkdirSync(artefacts, { recursive: true });
// Playwright gives every launch a new empty profile (it refuses an explicit
// --user-data-dir with launch()).
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
}).catch((e) => {
  server.kill('SIGTERM');
  console.log(`Bail out! cannot start ${chromiumPath}: ${e.message.split('\n')[0]}`);
  process.exit(1);
});

async function run() {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));

  // Landing page.
  await page.goto(base + '/');
  ok(await page.locator('.welcome h1').isVisible(), 'landing page shows a welcome');
  ok((await page.getAttribute('html', 'lang')) === 'en', 'English UI for an en-US browser');

  // Suggestions as you type.
  await page.evaluate(() => { window.__noReload = 1; });
  await page.locator('#q').pressSequentially('bac gi', { delay: 40 });
  const sugg = page.locator('#suggest li');
  await sugg.first().waitFor({ timeout: 5000 }).catch(() => {});
  const suggestions = await sugg.allTextContents();
  ok(suggestions.some((s) => s.includes('Bắc Giang')),
     'typing "bac gi" suggests "Bắc Giang" (diacritics-insensitive)', suggestions.join(' | '));

  // Type a query and submit: results with highlights, without a full reload.
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially('tinh', { delay: 30 });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\?q=tinh/);
  await page.locator('.hit').first().waitFor();
  const hits = await page.locator('.hit').count();
  ok(hits === 10, 'a query shows a first page of 10 results', hits);
  const marks = await page.locator('.hit mark').allTextContents();
  ok(marks.some((m) => m.toLowerCase() === 'tỉnh'),
     '"tinh" highlights "tỉnh" written with diacritics', marks.slice(0, 8).join(','));
  ok(await page.evaluate(() => window.__noReload === 1), 'the search ran without a full page reload');
  ok(await page.locator('#q').inputValue() === 'tinh', 'the query stays in the box');

  // Page forward, then back with the browser's back button.
  const firstTitle = await page.locator('.hit h2').first().textContent();
  await page.locator('.pager a.next').click();
  await page.waitForURL(/page=2/);
  await page.locator('.pager .cur', { hasText: '2' }).waitFor();
  const start = await page.getAttribute('ol.hits', 'start');
  ok(start === '11', 'Next goes to page 2 (results from 11)', start);
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('page=2'));
  await page.locator('.pager .cur', { hasText: '1' }).waitFor();
  ok((await page.locator('.hit h2').first().textContent()) === firstTitle,
     'the back button returns to page 1');

  // Click a province facet: filtered results, URL changes, a chip appears.
  const facet = page.locator('[data-facet=province] a.fv').nth(1);
  const prov = (await facet.locator('.name').textContent()).trim();
  const count = Number((await facet.locator('.count').textContent()).replace(/\D/g, ''));
  await facet.click();
  await page.waitForURL(/province=/);
  await page.locator('.chip').first().waitFor();
  const url = decodeURIComponent(page.url().replace(/\+/g, ' '));
  ok(url.includes(`province=${prov}`), `clicking the ${prov} facet puts it in the URL`, url);
  ok((await page.locator('.chip').first().textContent()).includes(prov), 'the filter shows as a chip');
  const filtered = await page.locator('.hit').count();
  ok(filtered === Math.min(count, 10), `the results are filtered to ${count} (${prov})`, filtered);
  const tagsOk = await page.locator('.hit').evaluateAll((els, p) =>
    els.every((e) => [...e.querySelectorAll('.tag.prov')].some((t) => t.textContent === p)), prov);
  ok(tagsOk, `every result is tagged ${prov}`);
  await page.screenshot({ path: join(artefacts, 'browser-results.png'), fullPage: true });

  // Remove the chip.
  await page.locator('.chip').first().click();
  await page.waitForURL((u) => !u.search.includes('province='));
  ok((await page.locator('.chip').count()) === 0, 'clicking the chip removes the filter');

  // Open a result.
  const title = (await page.locator('.hit h2').first().textContent()).trim();
  await page.locator('.hit a.read').first().click();
  await page.waitForURL(/\/doc\//);
  await page.locator('article.doc h1').waitFor();
  ok((await page.locator('article.doc h1').textContent()).trim() === title,
     'opening a result shows the article', title);
  ok((await page.locator('article.doc .text p').count()) > 0, 'the article text is shown');
  await page.locator('a.back').click();
  await page.waitForURL(/\?q=tinh/);
  await page.locator('.hit').first().waitFor();
  ok(true, 'back to results from the article');

  // Switch the interface language.
  await page.locator('#langs a[lang=vi]').click();
  await page.waitForURL(/hl=vi/);
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  ok((await page.locator('.sort a').first().textContent()) === 'Liên quan nhất',
     'the VI switch shows Vietnamese text');

  // No results and a bad request get messages.
  await page.goto(base + '/?q=zzyzxqq&hl=en');
  ok((await page.locator('.message h2').textContent()).includes('No articles match'),
     'no results: a helpful message');
  ok(problems.length === 0, 'no console errors or CSP violations', problems.join(' | '));

  // Phone-sized screen.
  const phone = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 },
                                           isMobile: true, hasTouch: true });
  const pp = await phone.newPage();
  await pp.goto(base + '/?q=bac+giang');
  await pp.locator('.hit').first().waitFor();
  const panelOpen = await pp.evaluate(() => document.getElementById('panel').open);
  ok(!panelOpen, 'on a phone the filter panel starts folded');
  const overflow = await pp.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  ok(!overflow, 'on a phone nothing overflows sideways');
  await pp.screenshot({ path: join(artefacts, 'browser-phone.png'), fullPage: false });
  await phone.close();

  // Without JavaScript: plain server-rendered HTML works.
  const nojs = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const np = await nojs.newPage();
  await np.goto(base + '/');
  await np.locator('#q').fill('bac giang');
  await np.locator('#search-form button').click();
  await np.waitForURL(/q=bac\+giang/);
  ok((await np.locator('.hit mark').count()) > 0, 'without JavaScript: the form searches');
  await np.locator('[data-facet=province] a.fv').first().click();
  await np.waitForURL(/province=/);
  ok((await np.locator('.chip').count()) === 1, 'without JavaScript: facets filter');
  await nojs.close();
  await ctx.close();
}

try {
  await run();
} catch (e) {
  ok(false, 'the browser session ran to the end', e.stack || e);
}
await browser.close();
server.kill('SIGTERM');
const code = await new Promise((res) => server.on('exit', (c) => res(c)));
ok(code === 0, 'the daemon stops cleanly on SIGTERM', code);
rmSync(tmp, { recursive: true, force: true });
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
