// End-to-end tests of the page lecternd serves at "/": a real lecternd over
// the bundled data, driven by a headless Chromium through playwright-core.
//
//   node --test --test-concurrency=1 tests/web/browser_test.mjs
//
// Environment (defaults suit a local build in build/):
//   LECTERND            lecternd binary
//   LECTERN_INDEX_TOOL  lectern-index binary
//   LECTERN_CONFIG      data/lectern.textproto
//   LECTERN_SCREENSHOTS directory for the PNGs every test saves
//   LECTERN_CHROMIUM    Chromium binary (default /usr/bin/chromium)
//
// The tests rely only on the page's DOM contract (ids, classes, data-*
// attributes and URL parameters), never on its internals.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LECTERND = process.env.LECTERND || path.join(ROOT, 'build/service/lecternd/lecternd');
const INDEX_TOOL = process.env.LECTERN_INDEX_TOOL || path.join(ROOT, 'build/indexer/tool/lectern-index');
const CONFIG = process.env.LECTERN_CONFIG || path.join(ROOT, 'data/lectern.textproto');
const SCREENSHOTS = process.env.LECTERN_SCREENSHOTS || path.join(ROOT, 'build/screenshots');
const CHROMIUM = process.env.LECTERN_CHROMIUM || '/usr/bin/chromium';

const WAIT_MS = 10_000; // the longest any single expectation may wait
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

// Facts about the bundled data (data/), checked against the JSON API.
const FALL = 'fall-2024';
const FALL_NAME = '2024 Fall';
const SIBLING_NAME = 'Paper presentation list';
const OPEN_DATES = ['2024-12-24', '2024-12-31', '2025-01-14', '2025-01-21'];
const POWERINFER = { date: '2024-12-10', alsoOn: '2025-01-07', venue: 'SOSP 2024' };
const DISTSERVE = { date: '2025-01-07', alsoOn: '2024-12-24', venue: 'OSDI 2024',
  id: 'osdi24-distserve-disaggregating-prefill' };
// A "1+N" session: the first name presents, the others assist.
const PARROT_TEAM = { date: '2024-09-03', main: 'Chaoyi Ruan', assist: ['Kunzhao Xu', 'Bosen Yang'] };
// fall-2024 reads SOSP and OSDI papers at most 24 months old: for dates in
// Dec 2024 and Jan 2025 that is SOSP/OSDI 2023 or 2024.
const ALLOWED_VENUE = /^(SOSP|OSDI) (2023|2024)$/;

let tmpDir;
let server;
let serverLog = '';
let baseUrl;
let browser;
let presented; // papers fall-2024 and its sibling presented: { ids, titleKeys }
const requestsSeen = []; // every URL any page asked for, across all tests

// ------------------------------------------------------------ processes

// Runs a command to completion; rejects with its output when it fails.
function run(command, args) {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${tail(output)}`));
    });
  });
}

function tail(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls until fn() returns something truthy, or throws message after ms.
async function pollFor(fn, ms, message) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(message());
    await sleep(50);
  }
}

async function isExecutable(file) {
  return fs.access(file, fsConstants.X_OK).then(() => true, () => false);
}

async function startServer() {
  const index = path.join(tmpDir, 'index');
  const portFile = path.join(tmpDir, 'http.port');
  server = spawn(LECTERND, [
    '--index', index,
    '--listen', '127.0.0.1:0',
    '--port_file', path.join(tmpDir, 'grpc.port'),
    '--http_listen', '127.0.0.1:0',
    '--http_port_file', portFile,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (chunk) => { serverLog += chunk; });
  let exited = null;
  server.on('exit', (code, signal) => { exited = code ?? signal; });
  server.on('error', (error) => { exited = error.message; });
  const port = await pollFor(async () => {
    if (exited !== null) {
      throw new Error(`lecternd exited (${exited}) before writing its HTTP port:\n${tail(serverLog)}`);
    }
    const text = await fs.readFile(portFile, 'utf8').catch(() => '');
    return text.trim();
  }, 20_000, () => `lecternd wrote no HTTP port to ${portFile} within 20 s:\n${tail(serverLog)}`);
  return `http://127.0.0.1:${port}`;
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// A crash of the test process must not leave lecternd running.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

async function launchChromium() {
  // Chromium may still be being installed when the suite starts: wait a bit.
  await pollFor(() => isExecutable(CHROMIUM), 30_000,
    () => `no Chromium at ${CHROMIUM} (install the "chromium" package, or set LECTERN_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // We run as root, and the network is closed: keep Chromium from
    // sandboxing (impossible as root) and from phoning home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// The papers either group already presented, straight from the JSON API, so
// the suggestion tests can check the page never proposes one of them.
async function presentedPapers() {
  const ids = new Set();
  const titleKeys = new Set();
  for (const group of [FALL, 'paper-list-2024']) {
    const response = await fetch(`${baseUrl}/v1/groups/${group}/schedule`);
    assert.equal(response.status, 200, `GET /v1/groups/${group}/schedule`);
    for (const { session } of (await response.json()).sessions || []) {
      if (session.paper?.paperId) ids.add(session.paper.paperId);
      if (session.paper?.titleKey) titleKeys.add(session.paper.titleKey);
      if (session.paper?.title) titleKeys.add(titleKey(session.paper.title));
    }
  }
  return { ids, titleKeys };
}

function titleKey(title) {
  return title.normalize('NFKD').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

before(async () => {
  for (const [name, file] of [['LECTERND', LECTERND], ['LECTERN_INDEX_TOOL', INDEX_TOOL]]) {
    assert.ok(await isExecutable(file), `${name}: no executable at ${file} (build it, or set ${name})`);
  }
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-web-'));
  await run(INDEX_TOOL, ['--config', CONFIG, '--index', path.join(tmpDir, 'index')]);
  baseUrl = await startServer();
  presented = await presentedPapers();
  browser = await launchChromium();
}, { timeout: 90_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer();
  if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
}, { timeout: 30_000 });

// ------------------------------------------------------------ test wrapper

// Records everything that went wrong in the page: uncaught exceptions,
// console errors, failed requests, HTTP errors, and requests that left the
// lecternd origin. allow lists URL patterns a test expects to fail.
function watchPage(page, allow) {
  const problems = [];
  const foreign = [];
  const allowed = (url) => allow.some((pattern) => pattern.test(url));
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location()?.url || '';
    // Chromium logs every HTTP error as "Failed to load resource"; those
    // are reported (or allowed) below, by URL.
    if (/Failed to load resource/.test(message.text()) && allowed(url)) return;
    problems.push(`console error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    requestsSeen.push(url);
    // data: URLs never reach the network.
    if (!url.startsWith(`${baseUrl}/`) && !url.startsWith('data:')) foreign.push(url);
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText || '';
    // Cancelled, not failed: the page aborts superseded API calls (typing,
    // quick clicks), and a test's navigation aborts what is still loading
    // (the favicon, say).
    if (error === 'net::ERR_ABORTED') return;
    if (allowed(request.url())) return;
    problems.push(`request failed: ${request.method()} ${request.url()}: ${error}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowed(response.url())) {
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  return { problems, foreign };
}

// Declares a test that gets a fresh browser context and page. body(page,
// snap) drives it; snap(name) saves a screenshot (default: the test's shot
// name). Afterwards the page must have reported no problem.
function browserTest(title, shot, body, { viewport = DESKTOP, allow = [] } = {}) {
  test(title, { timeout: 60_000 }, async (t) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    const { problems, foreign } = watchPage(page, allow);
    const snap = (name = shot) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
    try {
      await body(page, snap);
      assert.deepEqual(problems, [], `the page reported problems during "${title}"`);
      assert.deepEqual(foreign, [], `the page requested URLs outside ${baseUrl}`);
      // A picture of an earlier failure would only mislead.
      await fs.rm(path.join(SCREENSHOTS, `${shot}-failure.png`), { force: true });
    } catch (error) {
      await snap(`${shot}-failure`).catch(() => {});
      t.diagnostic(`page URL: ${page.url()}`);
      if (problems.length) t.diagnostic(`page problems:\n${problems.join('\n')}`);
      t.diagnostic(`lecternd stderr (tail):\n${tail(serverLog, 15)}`);
      throw error;
    } finally {
      await context.close();
    }
  });
}

// ------------------------------------------------------------ page helpers

const panelSelector = (view) => `main [data-view-panel="${view}"]`;

// Waits until view's panel is shown and not busy.
async function waitIdle(page, view) {
  try {
    await page.waitForFunction((selector) => {
      const panel = document.querySelector(selector);
      return panel && !panel.hidden && panel.getAttribute('aria-busy') === 'false';
    }, panelSelector(view), { timeout: WAIT_MS });
  } catch (error) {
    const state = await page.evaluate((selector) => {
      const panel = document.querySelector(selector);
      return panel ? `hidden=${panel.hidden}, aria-busy=${panel.getAttribute('aria-busy')}` : 'missing';
    }, panelSelector(view)).catch(() => '?');
    throw new Error(`${panelSelector(view)} did not become visible with aria-busy="false" within ` +
      `${WAIT_MS / 1000} s (it is ${state}; URL ${page.url()})`);
  }
}

// Performs action, waits for the page's GET of api to be answered and then
// for view to finish rendering. api is a path prefix, or { label, test }
// with test a predicate on the request URL. Waiting for the request first
// avoids mistaking the state before a debounced search for its result.
async function settle(page, view, api, action) {
  const { label, test: wanted } = typeof api === 'string'
    ? { label: api, test: (url) => url.pathname.startsWith(api) } : api;
  const answered = page.waitForResponse((response) => wanted(new URL(response.url())), { timeout: WAIT_MS })
    .catch(() => {
      throw new Error(`the page did not call ${label} within ${WAIT_MS / 1000} s (URL ${page.url()})`);
    });
  await action();
  await answered;
  await waitIdle(page, view);
}

// Loads "/"+query in the page, as if the URL had been shared.
function open(page, query, view, apiPath) {
  return settle(page, view, apiPath, () => page.goto(`${baseUrl}/${query}`));
}

// Types into the focused search box like a person and waits for the results.
// Only the search for the whole text counts: an earlier search (say, the
// page's first) may still be on its way when typing starts.
async function typeSearch(page, text) {
  const searchesFor = {
    label: `/v1/search?q=${text}`,
    test: (url) => url.pathname === '/v1/search' && url.searchParams.get('q') === text,
  };
  await settle(page, 'search', searchesFor, () => page.keyboard.type(text));
  await waitForParam(page, 'q', text);
}

async function waitForParam(page, name, value) {
  try {
    await page.waitForFunction(([n, v]) => new URLSearchParams(location.search).get(n) === v,
      [name, value], { timeout: WAIT_MS });
  } catch (error) {
    throw new Error(`the URL never got ${name}=${JSON.stringify(value)} (URL ${page.url()})`);
  }
}

const params = (page) => new URL(page.url()).searchParams;

async function totalResults(page) {
  const total = await page.locator('#result-count').getAttribute('data-total');
  assert.match(total ?? '', /^\d+$/, `#result-count[data-total] should be a number, got ${total}`);
  return Number(total);
}

function hits(page) {
  return page.$$eval('#results li.hit', (items) => items.map((item) => ({
    id: item.dataset.id,
    type: item.dataset.type,
    title: item.querySelector('.hit-title')?.textContent.trim() ?? '',
  })));
}

async function hitIds(page) {
  return (await hits(page)).map((hit) => hit.id);
}

function chipLocator(page, facet, value) {
  return page.locator(`#facets .facet[data-facet="${facet}"] button.chip[data-value=${JSON.stringify(value)}]`);
}

function chips(page, facet) {
  return page.$$eval(`#facets .facet[data-facet="${facet}"] button.chip`, (buttons) => buttons.map((b) => ({
    value: b.dataset.value,
    pressed: b.getAttribute('aria-pressed'),
    count: Number((b.querySelector('.chip-count')?.textContent ?? '').replace(/[^\d]/g, '')),
  })));
}

// Does text name the date iso, in any of the usual English spellings?
function mentionsDate(text, iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  const spell = (locale, options) => date.toLocaleDateString(locale, { timeZone: 'UTC', ...options });
  const forms = [iso];
  for (const month of ['short', 'long']) {
    for (const locale of ['en-GB', 'en-US']) {
      forms.push(spell(locale, { day: 'numeric', month, year: 'numeric' }));
      forms.push(spell(locale, { day: 'numeric', month }));
    }
  }
  return forms.some((form) => text.includes(form));
}

function timeline(page) {
  return page.$$eval('#timeline li.entry', (entries) => entries.map((entry) => {
    const text = (selector) => entry.querySelector(selector)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    return {
      date: entry.dataset.date,
      kind: entry.dataset.kind,
      open: entry.classList.contains('open'),
      title: text('.entry-title') ?? '',
      venue: text('.venue'),
      presenters: text('.presenters'),
      repeat: text('.repeat'),
      hasSuggestLink: Boolean(entry.querySelector('a.suggest-link')),
      links: [...entry.querySelectorAll('.links a')].map((a) => a.textContent.trim()),
    };
  }));
}

function entryOn(entries, date, titlePattern) {
  const entry = entries.find((e) => e.date === date && titlePattern.test(e.title));
  assert.ok(entry, `no #timeline li.entry[data-date="${date}"] with a title matching ${titlePattern}; ` +
    `entries on that date: ${JSON.stringify(entries.filter((e) => e.date === date))}`);
  return entry;
}

function suggestionSections(page) {
  return page.$$eval('#suggestions section.date-suggestions', (sections) => sections.map((section) => ({
    date: section.dataset.date,
    heading: section.querySelector('h1, h2, h3, h4')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
    candidates: [...section.querySelectorAll('li.candidate')].map((c) => ({
      id: c.dataset.paperId,
      title: c.querySelector('.candidate-title')?.textContent.trim() ?? '',
      venue: c.querySelector('.candidate-venue')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
      explanation: c.querySelector('.explanation')?.textContent.trim() ?? '',
      rules: [...c.querySelectorAll('ul.rules li.rule')].map((r) => ({
        rule: r.dataset.rule, passed: r.dataset.passed,
      })),
    })),
  })));
}

// Every candidate must be explained, pass every rule, fit the group's venue
// and recency rules, and not be a paper either group already presented.
function assertCandidatesObeyRules(sections) {
  for (const section of sections) {
    assert.ok(section.candidates.length > 0, `no li.candidate for ${section.date}`);
    for (const c of section.candidates) {
      const where = `candidate ${c.id} ("${c.title}") for ${section.date}`;
      assert.ok(c.id, `${where}: li.candidate has no data-paper-id`);
      assert.ok(c.title, `${where}: empty .candidate-title`);
      assert.ok(c.explanation, `${where}: empty .explanation`);
      assert.ok(c.rules.length > 0, `${where}: no ul.rules li.rule`);
      const failed = c.rules.filter((r) => r.passed !== 'true');
      assert.deepEqual(failed, [], `${where}: rules not data-passed="true"`);
      assert.match(c.venue, ALLOWED_VENUE, `${where}: .candidate-venue breaks the rules (SOSP/OSDI, 24 months)`);
      assert.doesNotMatch(c.title, /PowerInfer|DistServe/, `${where}: already presented`);
      assert.ok(!presented.ids.has(c.id), `${where}: a group already presented this paper id`);
      assert.ok(!presented.titleKeys.has(titleKey(c.title)), `${where}: a group already presented this title`);
    }
  }
}

// ------------------------------------------------------------ the tests

browserTest('search: typing "kv cache" finds the InfiniGen session first', 'search', async (page, snap) => {
  await open(page, '', 'search', '/v1/stats');
  await page.locator('#q').click();
  await typeSearch(page, 'kv cache');

  const list = await hits(page);
  assert.ok(list.length > 0, 'no #results li.hit after typing "kv cache"');
  assert.match(list[0].title, /^InfiniGen: Efficient Generative Inference of Large/, 'first hit title');
  assert.equal(list[0].type, 'session', 'first hit data-type');
  assert.equal(params(page).get('q'), 'kv cache', 'q in the URL');
  assert.ok(await totalResults(page) >= list.length, '#result-count[data-total] below the hits shown');
  assert.match(await page.locator('#result-count').innerText(), /\d+ results?/, '#result-count text');
  const marks = await page.locator('#results li.hit .snippet mark').allInnerTexts();
  assert.ok(marks.some((m) => /kv|cache/i.test(m)), `no <mark> around "kv" or "cache" in snippets: ${marks}`);
  assert.ok(await page.locator('#facets .facet[data-facet="venue"] button.chip').count() > 0, 'no venue chips');
  assert.equal(await page.locator('nav a[data-view="search"]').getAttribute('aria-current'), 'page');
  await snap();
});

browserTest('search: a facet chip filters, is shareable by URL, and toggles off', 'facets', async (page, snap) => {
  await open(page, '', 'search', '/v1/stats');
  await page.locator('#q').click();
  await typeSearch(page, 'memory');
  const total = await totalResults(page);

  // A chip that narrows the results: a venue, or else a type.
  let facet = 'venue';
  let chip = (await chips(page, facet)).find((c) => c.count > 0 && c.count < total);
  if (!chip) {
    facet = 'type';
    chip = (await chips(page, facet)).find((c) => c.count > 0 && c.count < total);
  }
  assert.ok(chip, `no venue or type chip with a .chip-count between 1 and ${total - 1}`);
  assert.equal(chip.pressed, 'false', `chip ${chip.value} aria-pressed before clicking`);

  await settle(page, 'search', '/v1/search', () => chipLocator(page, facet, chip.value).click());
  await waitForParam(page, facet, chip.value);
  assert.equal(await totalResults(page), chip.count, `data-total after choosing ${facet}=${chip.value}`);
  assert.notEqual(chip.count, total);
  assert.equal(await chipLocator(page, facet, chip.value).getAttribute('aria-pressed'), 'true');
  assert.equal(params(page).get('q'), 'memory', 'q kept in the URL');
  await snap();

  // The filtered URL is shareable: loading it again shows the same results.
  await settle(page, 'search', '/v1/search', () => page.reload());
  assert.equal(await totalResults(page), chip.count, 'data-total after reloading the filtered URL');
  assert.equal(await chipLocator(page, facet, chip.value).getAttribute('aria-pressed'), 'true',
    'chip aria-pressed after reload');
  assert.equal(await page.locator('#q').inputValue(), 'memory', '#q after reload');

  await settle(page, 'search', '/v1/search', () => chipLocator(page, facet, chip.value).click());
  await page.waitForFunction((f) => !new URLSearchParams(location.search).has(f), facet);
  assert.equal(await totalResults(page), total, 'data-total after removing the filter');
  assert.equal(await chipLocator(page, facet, chip.value).getAttribute('aria-pressed'), 'false');
});

browserTest('search: a Chinese query highlights Chinese words in a summary', 'chinese', async (page, snap) => {
  await open(page, '', 'search', '/v1/stats');
  await page.locator('#q').click();
  await typeSearch(page, '显存'); // "GPU memory": in the InfiniGen and PowerInfer Q&A summaries
  assert.ok((await hits(page)).length > 0, 'no hits for 显存');
  const marks = await page.locator('#results li.hit .snippet mark').allInnerTexts();
  assert.ok(marks.some((m) => /[\u4e00-\u9fff]/.test(m)),
    `no .snippet mark with Chinese characters; marks: ${JSON.stringify(marks)}`);
  await snap();
});

browserTest('search: "did you mean" offers a correction that searches when clicked', 'did-you-mean', async (page, snap) => {
  await open(page, '', 'search', '/v1/stats');
  await page.locator('#q').click();
  await typeSearch(page, 'memroy');
  const dym = page.locator('#did-you-mean');
  assert.ok(await dym.isVisible(), '#did-you-mean is not shown for "memroy"');
  const link = dym.locator('a');
  assert.equal((await link.innerText()).trim(), 'memory', '#did-you-mean a text');
  await snap();

  await settle(page, 'search', '/v1/search', () => link.click());
  await waitForParam(page, 'q', 'memory');
  assert.ok((await hits(page)).length > 0, 'no hits after following the correction');
  assert.ok(await dym.isHidden(), '#did-you-mean still shown for the corrected query "memory"');
});

browserTest('search: paging and sorting', 'sort-paging', async (page, snap) => {
  await open(page, '?q=memory', 'search', '/v1/search');
  const first = await hitIds(page);
  const firstInfo = await page.locator('#page-info').innerText();
  assert.ok(first.length > 0, 'no hits for "memory"');
  assert.ok(await page.locator('#prev-page').isDisabled(), '#prev-page enabled on the first page');
  assert.ok(await page.locator('#next-page').isEnabled(), `#next-page disabled with ${await totalResults(page)} results`);

  await settle(page, 'search', '/v1/search', () => page.locator('#next-page').click());
  const second = await hitIds(page);
  assert.ok(second.length > 0, 'no hits on page 2');
  assert.deepEqual(second.filter((id) => first.includes(id)), [], 'page 2 repeats hits of page 1');
  assert.notEqual(await page.locator('#page-info').innerText(), firstInfo, '#page-info unchanged on page 2');
  assert.ok(await page.locator('#prev-page').isEnabled(), '#prev-page disabled on page 2');

  await settle(page, 'search', '/v1/search', () => page.locator('#prev-page').click());
  assert.deepEqual(await hitIds(page), first, 'previous page differs from page 1');
  assert.equal(await page.locator('#page-info').innerText(), firstInfo, '#page-info back on page 1');

  await settle(page, 'search', '/v1/search', () => page.locator('#sort').selectOption('newest'));
  await waitForParam(page, 'sort', 'newest');
  assert.ok((await hitIds(page)).length > 0, 'no hits sorted newest first');
  assert.equal(params(page).get('q'), 'memory', 'q kept when sorting');
  await snap();
});

browserTest('search: aria-busy stays "true" until the latest search is shown', 'busy', async (page, snap) => {
  await open(page, '', 'search', '/v1/stats');
  // Hold every search back, so that a superseded one and the latest one
  // overlap for certain.
  const held = new Map(); // q -> route
  await page.route((url) => url.pathname === '/v1/search', (route) => {
    held.set(new URL(route.request().url()).searchParams.get('q'), route);
  });
  const sent = (q) => pollFor(() => held.has(q), WAIT_MS, () => `no /v1/search?q=${q} was sent`);
  await page.locator('#q').click();
  await page.keyboard.type('mem');
  await sent('mem');
  await page.keyboard.type('ory');
  await sent('memory'); // by now the page has given up on "mem"
  const panel = page.locator(panelSelector('search'));
  assert.equal(await panel.getAttribute('aria-busy'), 'true',
    'aria-busy is not "true" while the search for "memory" is still unanswered ' +
    '(did the abandoned search for "mem" reset it?)');

  await settle(page, 'search', '/v1/search', () => held.get('memory').continue());
  assert.ok(await totalResults(page) > 0, 'no results for "memory" once answered');
  await snap();
});

// The fall-2024 timeline as the brief describes it.
async function assertFallTimeline(page) {
  const entries = await timeline(page);
  assert.ok(entries.length > 10, `only ${entries.length} #timeline li.entry`);
  const open = entries.filter((e) => e.kind === 'open');
  assert.deepEqual(open.map((e) => e.date).sort(), OPEN_DATES, 'dates of li.entry[data-kind="open"]');
  for (const entry of open) {
    assert.ok(entry.open, `open entry ${entry.date} lacks class "open"`);
    assert.ok(entry.hasSuggestLink, `open entry ${entry.date} has no a.suggest-link`);
  }
  const christmasEve = open.find((e) => e.date === '2024-12-24');
  assert.match(christmasEve.presenters ?? '', /Yinhe Chen/, '.presenters of the 2024-12-24 open entry');

  for (const [paper, fact] of [[/PowerInfer/, POWERINFER], [/DistServe/, DISTSERVE]]) {
    const entry = entryOn(entries, fact.date, paper);
    assert.equal(entry.kind, 'paper', `${paper} data-kind`);
    assert.equal(entry.venue, fact.venue, `${paper} .venue`);
    assert.ok(entry.repeat, `${paper} entry has no .repeat`);
    assert.ok(entry.repeat.includes(SIBLING_NAME), `${paper} .repeat "${entry.repeat}" lacks "${SIBLING_NAME}"`);
    assert.ok(mentionsDate(entry.repeat, fact.alsoOn), `${paper} .repeat "${entry.repeat}" lacks ${fact.alsoOn}`);
  }
  const infinigen = entryOn(entries, '2024-10-15', /InfiniGen/);
  assert.equal(infinigen.repeat, null, 'InfiniGen was presented once, yet has .repeat');
  assert.ok(infinigen.links.some((text) => /Q&A|summary/i.test(text)),
    `InfiniGen .links lack its Q&A summary: ${JSON.stringify(infinigen.links)}`);
  assert.equal(entryOn(entries, '2024-10-08', /./).kind, 'talk', 'the 2024-10-08 talk data-kind');
}

browserTest('schedule: open dates, presenters and papers read twice', 'schedule', async (page, snap) => {
  await open(page, `?view=schedule&group=${FALL}`, 'schedule', `/v1/groups/${FALL}/schedule`);
  assert.equal(await page.locator('#schedule-group').inputValue(), FALL, '#schedule-group value');
  assert.match(await page.locator('#schedule-title').innerText(), new RegExp(FALL_NAME), '#schedule-title');
  assert.ok(await page.locator(panelSelector('search')).isHidden(), 'search panel visible on the schedule');
  await assertFallTimeline(page);

  // The same through the navigation and the group select.
  await open(page, '', 'search', '/v1/stats');
  await settle(page, 'schedule', '/v1/groups/', () => page.locator('nav a[data-view="schedule"]').click());
  assert.equal(await page.locator('nav a[data-view="schedule"]').getAttribute('aria-current'), 'page');
  assert.equal(await page.locator('nav a[data-view="search"]').getAttribute('aria-current'), null,
    'nav search link still aria-current');
  await settle(page, 'schedule', '/v1/groups/paper-list-2024/schedule',
    () => page.locator('#schedule-group').selectOption('paper-list-2024'));
  await waitForParam(page, 'group', 'paper-list-2024');
  assert.match(await page.locator('#schedule-title').innerText(), new RegExp(SIBLING_NAME), '#schedule-title');
  await settle(page, 'schedule', `/v1/groups/${FALL}/schedule`,
    () => page.locator('#schedule-group').selectOption(FALL));
  await waitForParam(page, 'group', FALL);
  await assertFallTimeline(page);
  await page.locator('#timeline li.entry[data-date="2024-12-10"]').scrollIntoViewIfNeeded();
  await snap();
});

browserTest('suggest: candidates for open dates follow the group\'s rules', 'suggestions-all', async (page, snap) => {
  await open(page, `?view=schedule&group=${FALL}`, 'schedule', `/v1/groups/${FALL}/schedule`);
  await settle(page, 'suggest', `/v1/groups/${FALL}/suggestions`,
    () => page.locator('#timeline li.entry[data-date="2024-12-24"] a.suggest-link').click());
  assert.equal(params(page).get('view'), 'suggest', 'view in the URL');
  assert.equal(params(page).get('date'), '2024-12-24', 'date in the URL');
  assert.equal(await page.locator('#suggest-group').inputValue(), FALL, '#suggest-group value');
  assert.equal(await page.locator('#suggest-date').inputValue(), '2024-12-24', '#suggest-date value');
  assert.equal(await page.locator('nav a[data-view="suggest"]').getAttribute('aria-current'), 'page');

  const one = await suggestionSections(page);
  assert.deepEqual(one.map((s) => s.date), ['2024-12-24'], 'section.date-suggestions[data-date]');
  assert.ok(mentionsDate(one[0].heading, '2024-12-24'), `heading "${one[0].heading}" lacks the date`);
  assert.match(one[0].heading, /Yinhe Chen/, 'heading lacks the presenter');
  assertCandidatesObeyRules(one);

  // Show why the first candidates were chosen, for the README picture.
  const candidates = page.locator('#suggestions li.candidate');
  for (let i = 0; i < Math.min(2, await candidates.count()); i++) {
    const explanation = candidates.nth(i).locator('.explanation');
    const folded = candidates.nth(i).locator('details:not([open]) > summary');
    if (!(await explanation.isVisible()) && await folded.count()) await folded.first().click();
  }
  await snap('suggestions');

  // All open dates at once: no paper is proposed twice.
  await settle(page, 'suggest', `/v1/groups/${FALL}/suggestions`,
    () => page.locator('#suggest-date').selectOption(''));
  const all = await suggestionSections(page);
  assert.deepEqual(all.map((s) => s.date).sort(), OPEN_DATES, 'one section per open date');
  assertCandidatesObeyRules(all);
  const ids = all.flatMap((s) => s.candidates.map((c) => c.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'papers suggested for two dates');

  // A topic steers the choice: the first pick for 2024-12-24 changes.
  await page.locator('#topic').fill('memory disaggregation');
  await settle(page, 'suggest', `/v1/groups/${FALL}/suggestions`, () => page.locator('#topic').press('Enter'));
  await waitForParam(page, 'topic', 'memory disaggregation');
  const steered = await suggestionSections(page);
  assertCandidatesObeyRules(steered);
  const firstPick = (sections) => sections.find((s) => s.date === '2024-12-24')?.candidates[0]?.id;
  assert.ok(firstPick(steered), 'no candidate for 2024-12-24 with a topic');
  assert.notEqual(firstPick(steered), firstPick(all), 'the topic did not change the first pick for 2024-12-24');
  const steeredIds = steered.flatMap((s) => s.candidates.map((c) => c.id));
  assert.deepEqual(steeredIds.filter((id, i) => steeredIds.indexOf(id) !== i), [], 'duplicates with a topic');
  await snap();
});

browserTest('paper: a candidate and a twice-read paper open the paper view', 'paper', async (page, snap) => {
  await open(page, `?view=suggest&group=${FALL}&date=2024-12-24`, 'suggest', `/v1/groups/${FALL}/suggestions`);
  const candidate = page.locator('#suggestions li.candidate').first();
  const id = await candidate.getAttribute('data-paper-id');
  const title = (await candidate.locator('.candidate-title').innerText()).trim();
  await settle(page, 'paper', '/v1/papers/', () => candidate.locator('.candidate-title').click());
  assert.equal(params(page).get('view'), 'paper', 'view in the URL');
  assert.equal(params(page).get('id'), id, 'id in the URL');
  const view = page.locator('#paper-view');
  assert.equal((await view.locator('.paper-title').first().innerText()).trim(), title, '.paper-title');
  for (const part of ['.authors', '.venue', '.abstract']) {
    assert.ok((await view.locator(part).first().innerText()).trim(), `#paper-view ${part} is empty`);
  }

  // PowerInfer, reached from the schedule: both groups presented it.
  await open(page, `?view=schedule&group=${FALL}`, 'schedule', `/v1/groups/${FALL}/schedule`);
  const entry = page.locator(`#timeline li.entry[data-date="${POWERINFER.date}"]`);
  await settle(page, 'paper', '/v1/papers/', () => entry.locator('a.entry-title, .entry-title a').first().click());
  assert.match(await view.locator('.paper-title').first().innerText(), /^PowerInfer/, 'PowerInfer .paper-title');
  const sessions = await page.locator('#paper-sessions li').allInnerTexts();
  assert.equal(sessions.length, 2, `#paper-sessions li: ${JSON.stringify(sessions)}`);
  assert.ok(sessions.some((s) => s.includes(FALL_NAME) && mentionsDate(s, POWERINFER.date)),
    `no #paper-sessions li for ${FALL_NAME} on ${POWERINFER.date}: ${JSON.stringify(sessions)}`);
  assert.ok(sessions.some((s) => s.includes(SIBLING_NAME) && mentionsDate(s, POWERINFER.alsoOn)),
    `no #paper-sessions li for ${SIBLING_NAME} on ${POWERINFER.alsoOn}: ${JSON.stringify(sessions)}`);
  assert.ok(await page.locator('#paper-summaries article.summary').count() > 0,
    'PowerInfer has a Q&A summary, yet #paper-summaries has no article.summary');
  await snap();
});

// The presenters of a session as the page shows them: the whole line and
// the names by data-role.
function team(root) {
  return root.evaluate((node) => ({
    text: node.textContent.replace(/\s+/g, ' ').trim(),
    main: [...node.querySelectorAll('[data-role="main"]')].map((n) => n.textContent.trim()),
    assist: [...node.querySelectorAll('[data-role="assist"]')].map((n) => n.textContent.trim()),
    titles: Object.fromEntries([...node.querySelectorAll('[data-role]')]
      .map((n) => [n.textContent.trim(), n.getAttribute('title') || ''])),
  }));
}

browserTest('session: a "1+N" team shows the presenter, then who assists', 'session-team', async (page, snap) => {
  // The bundled data, as the JSON API gives it.
  const response = await fetch(`${baseUrl}/v1/groups/${FALL}/sessions/${PARROT_TEAM.date}`);
  assert.equal(response.status, 200, `GET /v1/groups/${FALL}/sessions/${PARROT_TEAM.date}`);
  const roles = ((await response.json()).sessions?.[0]?.presenters || []).map((p) => [p.name, p.role]);
  assert.deepEqual(roles, [[PARROT_TEAM.main, 'PRESENTER_ROLE_MAIN'],
    ...PARROT_TEAM.assist.map((name) => [name, 'PRESENTER_ROLE_ASSIST'])], 'presenters and roles in the API');
  const line = `${PARROT_TEAM.main} + ${PARROT_TEAM.assist.join(', ')}`;

  await open(page, `?view=session&group=${FALL}&date=${PARROT_TEAM.date}`, 'session',
    `/v1/groups/${FALL}/sessions/${PARROT_TEAM.date}`);
  const view = page.locator('#session-view');
  const shown = await team(view.locator('.presenters').first());
  assert.ok(shown.text.includes(line), `#session-view .presenters "${shown.text}" lacks "${line}"`);
  assert.deepEqual(shown.main, [PARROT_TEAM.main], '#session-view .presenters [data-role="main"]');
  assert.deepEqual(shown.assist, PARROT_TEAM.assist, '#session-view .presenters [data-role="assist"]');
  assert.match(shown.titles[PARROT_TEAM.main], /present/i, `title of ${PARROT_TEAM.main}`);
  for (const name of PARROT_TEAM.assist) assert.match(shown.titles[name], /assist/i, `title of ${name}`);
  // The roles in words, for a reader who does not hover.
  const text = (await view.innerText()).replace(/\s+/g, ' ');
  assert.match(text, new RegExp(`Presenter:? ${PARROT_TEAM.main}`), 'the main presenter is not labelled');
  assert.match(text, new RegExp(`Assist[^:]*:? ${PARROT_TEAM.assist.join(', ')}`), 'the assistants are not labelled');
  await snap();

  // The schedule shows the same team, and a lone presenter without a "+".
  await open(page, `?view=schedule&group=${FALL}`, 'schedule', `/v1/groups/${FALL}/schedule`);
  const entries = await timeline(page);
  assert.equal(entryOn(entries, PARROT_TEAM.date, /^Parrot/).presenters, line, `.presenters on ${PARROT_TEAM.date}`);
  assert.equal(entryOn(entries, '2024-09-18', /./).presenters, 'Jiahao Li', '.presenters on 2024-09-18');
  const entry = await team(page.locator(`#timeline li.entry[data-date="${PARROT_TEAM.date}"] .presenters`));
  assert.deepEqual([entry.main, entry.assist], [[PARROT_TEAM.main], PARROT_TEAM.assist], 'timeline data-role');

  // And so does a search hit for the session.
  await open(page, `?q=parrot+semantic+variable&type=session`, 'search', '/v1/search');
  const meta = await page.locator(`#results li.hit[data-type="session"] .hit-meta`).first().innerText();
  assert.ok(meta.includes(line), `.hit-meta "${meta}" lacks "${line}"`);
});

// The related-work panel of a paper view, once loaded.
async function relatedPanel(page) {
  await page.waitForFunction(() => document.querySelector('#related-work')?.getAttribute('aria-busy') === 'false',
    null, { timeout: WAIT_MS }).catch(() => {
    throw new Error(`#related-work never got aria-busy="false" (URL ${page.url()})`);
  });
  return page.locator('#related-work').evaluate((panel) => {
    const text = (node, selector) => node.querySelector(selector)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    return {
      heading: text(panel, 'h2') ?? '',
      window: text(panel, '.related-window') ?? '',
      error: text(panel, '.related-error'),
      items: [...panel.querySelectorAll('li.related-paper')].map((item) => ({
        id: item.dataset.paperId,
        year: Number(item.dataset.year),
        presented: item.dataset.presented,
        title: text(item, '.related-title') ?? '',
        href: item.querySelector('a.related-title')?.getAttribute('href') ?? '',
        venue: text(item, '.related-venue') ?? '',
        evidence: text(item, '.evidence') ?? '',
        mark: text(item, '.presented-mark'),
      })),
    };
  });
}

browserTest('paper: related work lists earlier papers, why, and which were presented', 'related', async (page, snap) => {
  // Hold the first related-work answer back: the paper must show without it.
  let held = null;
  await page.route((url) => url.pathname === '/v1/related', (route) => {
    if (held) route.continue();
    else held = route;
  });
  await open(page, `?view=paper&id=${DISTSERVE.id}`, 'paper', `/v1/papers/${DISTSERVE.id}`);
  const view = page.locator('#paper-view');
  assert.match(await view.locator('.paper-title').first().innerText(), /^DistServe/, '.paper-title');
  await pollFor(() => held, WAIT_MS, () => 'the paper view never asked /v1/related');
  const asked = new URL(held.request().url()).searchParams;
  assert.equal(asked.get('paper'), DISTSERVE.id, '/v1/related paper parameter');
  assert.equal(asked.get('count'), '10', '/v1/related count parameter');
  assert.ok(await page.locator('#paper-sessions li').count() > 0, '#paper-sessions empty while related work loads');
  assert.equal(await page.locator('#related-work').getAttribute('aria-busy'), 'true',
    '#related-work aria-busy while its answer is held back');
  await held.continue();

  const related = await relatedPanel(page);
  assert.match(related.heading, /Related work/, '#related-work h2');
  assert.equal(related.error, null, 'DistServe related work shows .related-error');
  assert.match(related.window, /published 2021\u20132024/, '#related-work .related-window');
  assert.ok(related.items.length >= 5, `only ${related.items.length} #related-work li.related-paper`);
  for (const item of related.items) {
    const where = `related paper ${item.id} ("${item.title}")`;
    assert.ok(item.id && item.id !== DISTSERVE.id, `${where}: bad data-paper-id`);
    assert.ok(item.title, `${where}: empty .related-title`);
    assert.match(item.href, new RegExp(`view=paper&id=${item.id}$`), `${where}: .related-title href`);
    assert.match(item.evidence, /^shared: \S.*/, `${where}: .evidence`);
    assert.ok(item.year >= 2021 && item.year <= 2024, `${where}: data-year ${item.year} outside 2021–2024`);
    assert.match(item.venue, new RegExp(` ${item.year}$`), `${where}: .related-venue`);
    // Marked exactly when one of the groups presented it.
    const wasPresented = presented.ids.has(item.id);
    assert.equal(item.presented, String(wasPresented), `${where}: data-presented`);
    if (wasPresented) assert.match(item.mark ?? '', /★ presented \d{4}-\d{2}-\d{2} [a-z0-9-]+/i, `${where}: .presented-mark`);
    else assert.equal(item.mark, null, `${where}: .presented-mark on a paper no group presented`);
  }
  assert.ok(related.items.some((item) => item.presented === 'true'), 'no related paper marked presented');
  await page.locator('#related-work').scrollIntoViewIfNeeded();
  await snap();

  // A related paper opens its own paper view, with its own related work.
  const next = related.items[0];
  await settle(page, 'paper', `/v1/papers/${next.id}`,
    () => page.locator(`#related-work li.related-paper[data-paper-id="${next.id}"] a.related-title`).click());
  assert.equal(params(page).get('id'), next.id, 'id in the URL');
  assert.equal((await view.locator('.paper-title').first().innerText()).trim(), next.title, '.paper-title');
  const again = await relatedPanel(page);
  assert.equal(again.error, null, `${next.id} related work shows .related-error`);
  assert.ok(again.items.every((item) => item.id !== next.id), `${next.id} lists itself as related`);
});

browserTest('paper: a failing related-work call leaves the paper view whole', 'related-error', async (page, snap) => {
  await page.route((url) => url.pathname === '/v1/related', (route) => route.fulfill({
    status: 503, contentType: 'application/json',
    body: JSON.stringify({ code: 14, status: 'UNAVAILABLE', message: 'related work is resting' }),
  }));
  await open(page, `?view=paper&id=${DISTSERVE.id}`, 'paper', `/v1/papers/${DISTSERVE.id}`);
  const related = await relatedPanel(page);
  assert.match(related.error ?? '', /related work is resting/, '#related-work .related-error');
  assert.deepEqual(related.items, [], 'li.related-paper despite the error');
  assert.ok(await page.locator('#error').isHidden(), '#error shown for a related-work failure');
  assert.match(await page.locator('#paper-view .paper-title').first().innerText(), /^DistServe/, '.paper-title');
  assert.ok(await page.locator('#paper-sessions li').count() > 0, '#paper-sessions empty');
  await page.locator('#related-work').scrollIntoViewIfNeeded();
  await snap();
}, { allow: [/\/v1\/related/] });

browserTest('keyboard: "/" focuses search, Tab reaches a result, Enter opens it', 'keyboard', async (page, snap) => {
  // "/" works from another view too.
  await open(page, `?view=schedule&group=${FALL}`, 'schedule', `/v1/groups/${FALL}/schedule`);
  await page.keyboard.press('/');
  await page.waitForFunction(() => document.activeElement?.id === 'q').catch(() => {
    throw new Error('pressing "/" on the schedule did not focus #q');
  });
  assert.ok(await page.locator('#q').isVisible(), '#q focused but not visible');
  assert.equal(await page.locator('#q').inputValue(), '', '"/" was typed into #q');

  await typeSearch(page, 'infinigen');
  const reached = await tabTo(page, '#results li.hit a.hit-title, #results li.hit .hit-title a', 120);
  assert.ok(reached, 'Tab never reached a result title link in #results');
  await snap();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => ['paper', 'session'].includes(new URLSearchParams(location.search).get('view')))
    .catch(() => { throw new Error(`Enter on a result link did not open a paper or session (URL ${page.url()})`); });
  await waitIdle(page, params(page).get('view'));
});

// Presses Tab until the focused element matches selector; false if it never does.
async function tabTo(page, selector, limit) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}

browserTest('phone: search works without horizontal scrolling', 'phone-search', async (page, snap) => {
  await open(page, '', 'search', '/v1/stats');
  await page.locator('#q').click();
  await typeSearch(page, 'kv cache');
  const list = await hits(page);
  assert.match(list[0]?.title ?? '', /^InfiniGen/, 'first hit on the phone');
  assert.ok(await page.locator('#results li.hit .hit-title').first().isVisible(), 'first hit title hidden');
  const widths = await page.evaluate(() => ({
    scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(widths.scroll <= widths.inner + 1,
    `the page scrolls sideways: scrollWidth ${widths.scroll} > innerWidth ${widths.inner}`);
  await snap();
}, { viewport: PHONE });

browserTest('errors: an unknown paper shows #error', 'error', async (page, snap) => {
  await open(page, '?view=paper&id=no-such-paper', 'paper', '/v1/papers/');
  const error = page.locator('#error');
  assert.ok(await error.isVisible(), '#error not shown for an unknown paper');
  assert.equal(await error.getAttribute('role'), 'alert', '#error role');
  assert.match(await error.innerText(), /no-such-paper|not found/i, '#error text');
  await snap();
}, { allow: [/\/v1\/papers\/no-such-paper/] });

// WCAG 2 contrast of every visible text element against the colour behind
// it (its own background or the nearest ancestor's that is opaque), in the
// page's light and dark schemes, on views that together use every colour.
async function lowContrastTexts(page) {
  return page.evaluate(() => {
    const rgb = (text) => {
      const m = text.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/);
      return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
    };
    const luminance = ({ r, g, b }) => {
      const channel = (c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element) => {
      for (let node = element; node; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor);
        if (colour && colour.a === 1) return colour;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const low = [];
    for (const element of document.querySelectorAll('body *')) {
      const hasText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!hasText || !element.getClientRects().length) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || +style.opacity < 1) continue;
      const fg = rgb(style.color);
      const l1 = luminance(fg);
      const l2 = luminance(background(element));
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      // 4.5:1 for body text (WCAG AA); large text may have 3:1.
      const large = parseFloat(style.fontSize) >= 24 ||
        (parseFloat(style.fontSize) >= 18.66 && +style.fontWeight >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        low.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
      }
    }
    return low;
  });
}

for (const scheme of ['light', 'dark']) {
  browserTest(`contrast: text is readable in the ${scheme} scheme`, `contrast-${scheme}`, async (page, snap) => {
    await page.emulateMedia({ colorScheme: scheme });
    const views = [
      ['?q=kv+cache', 'search', '/v1/search'],
      [`?view=schedule&group=${FALL}`, 'schedule', '/v1/groups/'],
      [`?view=suggest&group=${FALL}&date=2024-12-24`, 'suggest', '/v1/groups/fall-2024/suggestions'],
      [`?view=session&group=${FALL}&date=${PARROT_TEAM.date}`, 'session', '/v1/groups/'],
      [`?view=paper&id=${DISTSERVE.id}`, 'paper', '/v1/papers/'],
    ];
    for (const [query, view, api] of views) {
      await open(page, query, view, api);
      if (view === 'paper') await relatedPanel(page);
      const low = await lowContrastTexts(page);
      assert.deepEqual(low, [], `text below WCAG AA contrast on ${query} (${scheme})`);
    }
    await snap();
  });
}

// Runs last: also checks every request of every test above.
browserTest('no request leaves the lecternd origin (all tests)', 'session', async (page, snap) => {
  await open(page, `?view=session&group=${FALL}&date=2024-10-15`, 'session', '/v1/');
  assert.match(await page.locator(panelSelector('session')).innerText(), /InfiniGen/, 'session view');
  await snap();
  assert.ok(requestsSeen.length > 20, `only ${requestsSeen.length} requests recorded`);
  const foreign = requestsSeen.filter((url) => !url.startsWith(`${baseUrl}/`) && !url.startsWith('data:'));
  assert.deepEqual([...new Set(foreign)], [], `requests outside ${baseUrl}`);
});
