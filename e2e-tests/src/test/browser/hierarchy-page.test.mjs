// The parent's live hierarchy page in a real headless Chromium, against live apps started by
// HierarchyPageIT. It reads what to expect from the environment:
//   CANOPY_PARENT_URL   the parent, serving the page at /ui/ (the browser reaches it through a proxy)
//   CANOPY_TOPOLOGY     JSON: [{url, region, domain, services: [{name, url}]}], one entry per child
//   CANOPY_SERVICE_KEY  the key a service registers with at a child
//   CANOPY_READ_KEY     the key reads need at the parent (it runs with CANOPY_READ_ACCESS=key)
//   CANOPY_SCREENSHOT   where to save a screenshot of the page
//   CHROMIUM            the browser (default /usr/bin/chromium)
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {createServer, connect} from 'node:net';
import {dirname, join} from 'node:path';
import {chromium} from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run this test through HierarchyPageIT (mvn verify)`);
  return value;
};
const parentUrl = env('CANOPY_PARENT_URL');
const topology = JSON.parse(env('CANOPY_TOPOLOGY'));
const serviceKey = env('CANOPY_SERVICE_KEY');
const readKey = env('CANOPY_READ_KEY');
const screenshot = env('CANOPY_SCREENSHOT');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT = {timeout: 15000};

let browser;
let context;
let proxy;
let pageUrl;
let page;
let userDataDir;
const consoleErrors = [];
// Set once the page is live; each later test fails at once without it instead of waiting it out.
let live = false;
const mustBeLive = () => assert.ok(live, 'the page never went live: see the first test');

/** The card of the orchestrator registered under {@code url}. */
const card = (url) => page.locator('section.orchestrator').filter({has: page.locator(`.orchestrator-title .url:text-is("${url}")`)});
const serviceRows = (url) => card(url).locator('li.service');
/**
 * Waits until the cards shown are exactly those of {@code urls}. The page renders a filter on the next
 * animation frame, so a count alone can still describe the previous filter's tree.
 */
const onlyCardsShown = (urls) => page.waitForFunction((expected) => JSON.stringify(
    [...document.querySelectorAll('section.orchestrator:not([hidden]) .orchestrator-title .url')]
        .map((element) => element.textContent).sort()) === JSON.stringify([...expected].sort()), urls, WAIT);
const totalServices = () => topology.reduce((sum, child) => sum + child.services.length, 0);

/**
 * A TCP proxy in front of the parent, which the browser loads the page through: cut() drops every
 * connection and refuses new ones until restore(), as a network that fails under the page would.
 */
async function startProxy(target) {
  const sockets = new Set();
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      down = true;
      sockets.forEach((socket) => socket.destroy());
    },
    restore() {
      down = false;
    },
    close() {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

before(async () => {
  assert.ok(existsSync(executablePath), `${executablePath} is missing: install Debian's chromium package`);
  proxy = await startProxy(new URL(parentUrl));
  pageUrl = `${proxy.url}/ui/`;
  userDataDir = mkdtempSync(join(tmpdir(), 'canopy-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1100, height: 760},
  });
  browser = context.browser();
  page = context.pages()[0] || await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
});

after(async () => {
  await context?.close();
  await browser?.close();
  await proxy?.close();
  if (userDataDir) {
    rmSync(userDataDir, {recursive: true, force: true});
  }
});

test('without a key the page asks for one, and with it the stream goes live', async () => {
  await page.goto(pageUrl);
  await page.locator('#connection[data-state="key-needed"]').waitFor(WAIT);
  assert.match(await page.locator('#notice').textContent(), /read key/);

  await page.locator('#key').fill(readKey);
  await page.locator('#key-form button[type="submit"]').click();

  await page.locator('#connection[data-state="live"]').waitFor(WAIT);
  assert.equal(await page.locator('#connection-text').textContent(), 'live');
  assert.ok(!page.url().includes(readKey), 'the key must never be in the url');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('canopy.readKey')), readKey);
  assert.equal(await page.locator('#key').inputValue(), '', 'the key field is emptied once the key is kept');
  // The only errors so far: Chromium reports the refused (401) stream, which is what asked for the key.
  assert.deepEqual(consoleErrors.filter((text) => !/status of 401/.test(text)), []);
  consoleErrors.length = 0;
  live = true;
});

test('the page shows every orchestrator with its scope, count and services', async () => {
  mustBeLive();
  await page.waitForFunction((count) => document.querySelectorAll('section.orchestrator').length === count,
      topology.length, WAIT);
  for (const child of topology) {
    const branch = card(child.url);
    await assert.doesNotReject(branch.waitFor(WAIT), `no card for ${child.url}`);
    const badges = await branch.locator('.badges').textContent();
    if (child.region) {
      assert.match(badges, new RegExp(`region ${child.region}`));
    }
    if (child.domain) {
      assert.match(badges, new RegExp(`domain ${child.domain}`));
    }
    assert.match(badges, /lease alive/);
    assert.equal(await branch.locator('.service-count').textContent(), String(child.services.length));
    const rows = serviceRows(child.url);
    await page.waitForFunction(([url, count]) => [...document.querySelectorAll('section.orchestrator')]
        .find((section) => section.querySelector('.orchestrator-title .url')?.textContent === url)
        ?.querySelectorAll('li.service').length === count, [child.url, child.services.length], WAIT);
    for (const service of child.services) {
      const row = rows.filter({has: page.locator(`.url:text-is("${service.url}")`)});
      assert.equal(await row.count(), 1, `${service.url} under ${child.url}`);
      assert.equal(await row.locator('.service-name').textContent(), service.name);
    }
  }
  assert.equal(await page.locator('#counts').getAttribute('data-services'), String(totalServices()));
  assert.equal(await page.locator('#counts').getAttribute('data-orchestrators'), String(topology.length));
});

test('the page reads an event stream split anywhere, with any line ending', async () => {
  mustBeLive();
  const stream = 'retry: 2500\r\n\r\n: keep-alive\r\nid: 7\r\nevent: service.updated\r\ndata: {"x":1}\r\n\r\n'
      + 'id: 8\nevent: c\ndata: l1\ndata:l2\n\n: keep-alive\n\ndata: no id\r\r\n';
  // The page's own module: importing it again in the page gives the instance the page runs.
  const runs = await page.evaluate(async (text) => {
    const {EventStreamParser} = await import('/ui/app.js');
    const results = new Set();
    for (let size = 1; size <= text.length; size++) {
      const events = [];
      let retry = null;
      const parser = new EventStreamParser((event) => events.push(event), (ms) => {
        retry = ms;
      });
      for (let at = 0; at < text.length; at += size) {
        parser.push(text.slice(at, at + size));
      }
      results.add(JSON.stringify({events, retry}));
    }
    return [...results];
  }, stream);
  assert.deepEqual(runs.map((run) => JSON.parse(run)), [{
    events: [
      {id: '7', type: 'service.updated', data: '{"x":1}'},
      {id: '8', type: 'c', data: 'l1\nl2'},
      {id: '8', type: 'message', data: 'no id'},
    ],
    retry: 2500,
  }], 'every chunk size gives the same three events');
});

test('a service registered at a child appears live under it, and disappears when it leaves', async () => {
  mustBeLive();
  const child = topology[0];
  const url = 'http://live-added.e2e.test:8080';
  // Registry data comes from strangers: markup in it must stay text.
  const name = '<img src=x onerror="window.pwned=1">Registered while watching';
  const before = Number(await page.locator('#counts').getAttribute('data-services'));
  const navigations = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));

  const registered = await fetch(`${child.url}/services/$register`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: `Bearer ${serviceKey}`},
    body: JSON.stringify({url, info: {display_name: name, version: '2.3.4'}}),
  });
  assert.equal(registered.status, 201, await registered.clone().text());
  const {id} = await registered.json();

  const row = page.locator(`li.service[data-service-id="${id}"]`);
  await row.waitFor(WAIT);
  assert.equal(await card(child.url).locator(`li.service[data-service-id="${id}"]`).count(), 1,
      'the new service is under the child it registered with');
  assert.equal(await row.locator('.service-name').textContent(), name);
  assert.equal(await row.locator('img').count(), 0, 'markup in a name is shown, not run');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await row.locator('.version').textContent(), 'v2.3.4');
  assert.equal(await row.locator('.url').textContent(), url);
  assert.equal(await card(child.url).locator('.service-count').textContent(), String(child.services.length + 1));
  assert.equal(await page.locator('#counts').getAttribute('data-services'), String(before + 1));

  const deregistered = await fetch(`${child.url}/services/${id}`, {
    method: 'DELETE',
    headers: {Authorization: `Bearer ${serviceKey}`},
  });
  assert.equal(deregistered.status, 200, await deregistered.clone().text());

  await row.waitFor({state: 'detached', ...WAIT});
  assert.equal(await card(child.url).locator('.service-count').textContent(), String(child.services.length));
  assert.equal(await page.locator('#counts').getAttribute('data-services'), String(before));
  assert.deepEqual(navigations, [], 'the page was never reloaded');
  assert.equal(await page.locator('#connection').getAttribute('data-state'), 'live');
});

test('the filter narrows the tree, and clearing it restores the tree', async () => {
  mustBeLive();
  const [first, second] = topology;
  const target = second.services[0];
  const filter = page.locator('#filter');

  await filter.fill(target.name.toUpperCase());
  await onlyCardsShown([second.url]);
  assert.ok(await card(second.url).isVisible(), 'the orchestrator holding the match stays');
  assert.ok(await card(first.url).isHidden(), 'an orchestrator without a match is hidden');
  assert.equal(await serviceRows(second.url).count(), 1);
  assert.equal(await serviceRows(second.url).locator('.service-name').textContent(), target.name);
  assert.match(await page.locator('#counts').textContent(), /^showing 1 of /);

  // A region or domain matches a whole branch.
  const scope = first.region || first.domain;
  await filter.fill(scope);
  await onlyCardsShown([first.url]);
  assert.ok(await card(first.url).isVisible());
  assert.equal(await serviceRows(first.url).count(), first.services.length);

  await filter.fill('matches-nothing-at-all');
  await page.locator('#empty:not([hidden])').waitFor(WAIT);
  assert.equal(await page.locator('section.orchestrator:not([hidden])').count(), 0);

  await filter.fill('');
  await page.waitForFunction((count) => document.querySelectorAll('section.orchestrator:not([hidden])').length === count,
      topology.length, WAIT);
  assert.equal(await page.locator('li.service').count(), totalServices());
  assert.ok(await page.locator('#empty').isHidden());
  assert.doesNotMatch(await page.locator('#counts').textContent(), /showing/);
});

test('cut off, the page says it is reconnecting, then resumes from the last event it saw', async () => {
  mustBeLive();
  const child = topology[topology.length - 1];
  // From an unfiltered tree, so that a failed filter test above does not fail this one too.
  await page.locator('#filter').fill('');
  await onlyCardsShown(topology.map((branch) => branch.url));
  const resumedFrom = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/events')) {
      resumedFrom.push(request.headers()['last-event-id']);
    }
  });

  proxy.cut();
  await page.locator('#connection[data-state="reconnecting"]').waitFor(WAIT);
  assert.match(await page.locator('#connection-text').textContent(), /^reconnecting/);
  // A change while the page is away: the parent replays it after the Last-Event-ID the page sends.
  const registered = await fetch(`${child.url}/services/$register`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Authorization: `Bearer ${serviceKey}`},
    body: JSON.stringify({url: 'http://while-away.e2e.test:8080', info: {display_name: 'Registered while away'}}),
  });
  assert.equal(registered.status, 201, await registered.clone().text());
  const {id} = await registered.json();
  proxy.restore();

  await card(child.url).locator(`li.service[data-service-id="${id}"]`).waitFor({timeout: 45000});
  await page.locator('#connection[data-state="live"]').waitFor(WAIT);
  assert.ok(resumedFrom.length > 0 && resumedFrom.every((lastEventId) => /^\d+$/.test(lastEventId)),
      `each reconnection sends the index of the last event seen as Last-Event-ID: ${JSON.stringify(resumedFrom)}`);

  const deregistered = await fetch(`${child.url}/services/${id}`, {
    method: 'DELETE',
    headers: {Authorization: `Bearer ${serviceKey}`},
  });
  assert.equal(deregistered.status, 200);
  await page.locator(`li.service[data-service-id="${id}"]`).waitFor({state: 'detached', ...WAIT});
  // Chromium reports each attempt refused while cut off; those are the only errors allowed here.
  const unexpected = consoleErrors.filter((text) => !/net::ERR_|network error|Failed to fetch/i.test(text));
  assert.deepEqual(unexpected, []);
  consoleErrors.length = 0;
});

test('a screenshot is saved, and the page logged no errors', async () => {
  mustBeLive();
  mkdirSync(dirname(screenshot), {recursive: true});
  await page.locator('#connection[data-state="live"]').waitFor(WAIT);
  await page.locator('#filter').blur();
  await page.mouse.move(0, 0);
  const height = await page.evaluate(() => document.body.scrollHeight);
  await page.setViewportSize({width: 1100, height: height + 24});
  await page.screenshot({path: screenshot, fullPage: true});
  assert.ok(existsSync(screenshot));
  assert.deepEqual(consoleErrors, []);
});
