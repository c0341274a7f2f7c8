// Mail shown as it was written, in a real headless Chromium: an HTML mail with a remote
// tracking image renders without a single request reaching the tracker (a local HTTP server
// this test runs and counts) until "Load remote images" is clicked; its cid image shows; its
// quoted history is collapsed; the inbox sorts by a header and the bulk bar counts the
// selection. Screenshots land in test-output/screenshots/mailview-*.png.
//
// Run: e2e/run.sh   (or: cd e2e && node --test --test-reporter=tap mailview.test.mjs)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startDesk, api, openBrowser, shoot, poll, DEMO_PASSWORD } from './lib.mjs';

const ADMIN = { email: 'admin@demo.tiski.example' };
// A 1×1 GIF for the tracker; a 4×4 red PNG for the cid part.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8CAB+GTG8HSALfKY52fTcuYAAAAAElFTkSuQmCC';

const state = { desk: null, browser: null, tracker: null, hits: 0, trackerPort: 0, ticketId: null };

function htmlMail(port) {
  return [
    'From: Maija Virtanen <maija.virtanen@example.fi>',
    'To: mailview-e2e@shop.example',
    'Subject: Photo of the broken box',
    'Message-ID: <mailview-e2e-1@example.fi>',
    'Date: Tue, 01 Dec 2026 10:00:00 +0200',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><p style="color:#9b1c1c">The box arrived <b>broken</b>, see the photo:</p>',
    '<p><img src="cid:photo@example.fi" alt="photo of the box" width="64" height="64" data-testid="x"></p>',
    `<img src="http://127.0.0.1:${port}/pixel.gif?reader=1" width="1" height="1" alt="">`,
    '<div class="gmail_quote"><div class="gmail_attr">On Mon, Support wrote:</div>',
    '<blockquote class="gmail_quote">Your order 48213 has shipped.</blockquote></div>',
    '</body></html>',
    '--rel',
    'Content-Type: image/png',
    'Content-ID: <photo@example.fi>',
    'Content-Disposition: inline',
    'Content-Transfer-Encoding: base64',
    '',
    PNG_BASE64,
    '--rel--',
    '',
  ].join('\r\n');
}

describe('mailview', () => {
  before(async () => {
    state.tracker = createServer((request, response) => {
      state.hits += 1;
      response.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' });
      response.end(GIF);
    });
    await new Promise((ok) => state.tracker.listen(0, '127.0.0.1', ok));
    state.trackerPort = state.tracker.address().port;
    state.desk = await startDesk({ tickets: 80 });
    const teams = await api(state.desk, 'GET', '/api/v1/teams');
    const team = (teams.items || teams)[0];
    const mailbox = await api(state.desk, 'POST', '/api/v1/mailboxes', {
      address: 'mailview-e2e@shop.example', name: 'Shop', team_id: team.id,
    });
    const response = await fetch(`${state.desk.base}/api/v1/mailboxes/${mailbox.id}/raw`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${state.desk.token}`, 'Content-Type': 'message/rfc822' },
      body: htmlMail(state.trackerPort),
    });
    const ingested = await response.json();
    assert.ok(response.ok, JSON.stringify(ingested));
    state.ticketId = ingested.ticket_id;
    state.browser = await openBrowser({ width: 1366, height: 900 });
    const { page } = state.browser;
    await page.goto(`${state.desk.base}/login`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/inbox'),
      page.getByTestId('login-submit').click(),
    ]);
  });

  after(async () => {
    if (state.browser) await state.browser.close();
    if (state.desk) await state.desk.stop();
    if (state.tracker) await new Promise((ok) => state.tracker.close(ok));
  });

  test('an HTML mail renders without reaching the tracker; its cid image shows; its quote is collapsed', async () => {
    const { page } = state.browser;
    await page.goto(`${state.desk.base}/tickets/${state.ticketId}`);
    const frameElement = page.getByTestId('mail-frame');
    await frameElement.waitFor();
    const frame = page.frameLocator('[data-testid=mail-frame]');
    await frame.locator('b', { hasText: 'broken' }).waitFor();
    const photo = frame.locator('img[alt="photo of the box"]');
    await poll(async () => photo.evaluate((img) => img.complete && img.naturalWidth === 4), { message: 'the cid image' });
    // The frame grew to its content.
    const height = await frameElement.evaluate((f) => f.getBoundingClientRect().height);
    assert.ok(height > 60, `frame height ${height}`);
    // Quoted history hidden until asked for.
    const quote = frame.locator('blockquote.gmail_quote');
    assert.equal(await quote.isVisible(), false);
    await page.waitForTimeout(1500);
    assert.equal(state.hits, 0, 'no request reached the tracker');
    await page.getByTestId('remote-note').waitFor();
    await shoot(page, 'mailview-html-mail');
    await page.getByTestId('quote-toggle').click();
    await quote.waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('quote-toggle').getAttribute('aria-expanded'), 'true');
    assert.equal(state.hits, 0, 'showing the quote loads nothing remote');
    await page.getByTestId('quote-toggle').click();
    await quote.waitFor({ state: 'hidden' });
  });

  test('"Load remote images" loads them, and only then', async () => {
    const { page } = state.browser;
    assert.equal(state.hits, 0);
    await page.getByTestId('load-remote').click();
    await poll(() => state.hits >= 1, { message: 'the tracker hit after the click' });
    assert.equal(await page.getByTestId('remote-note').isVisible(), false);
    await page.frameLocator('[data-testid=mail-frame]').locator('b', { hasText: 'broken' }).waitFor();
    await shoot(page, 'mailview-remote-loaded');
  });

  test('sorting by a header and the bulk bar count', async () => {
    const { page } = state.browser;
    await page.goto(`${state.desk.base}/inbox?view=all`);
    const priorities = async () => page.locator('#inbox-rows tr.ticket-row .priority-cell .priority-dot')
      .evaluateAll((dots) => dots.map((d) => (d.className.match(/priority-(low|normal|high|urgent)/) || [])[1]));
    const rank = { low: 0, normal: 1, high: 2, urgent: 3 };
    await page.getByTestId('sort-priority').click();
    await poll(async () => (await page.locator('th[data-sort-key=priority]').getAttribute('aria-sort')) === 'descending', { message: 'descending' });
    await poll(async () => {
      const p = await priorities();
      return p.length > 5 && p.every((x, i) => i === 0 || rank[p[i - 1]] >= rank[x]) && p[0] !== p[p.length - 1];
    }, { message: 'rows most urgent first' });
    await page.getByTestId('sort-priority').click();
    await poll(async () => {
      const p = await priorities();
      return p.length > 5 && p.every((x, i) => i === 0 || rank[p[i - 1]] <= rank[x]);
    }, { message: 'rows least urgent first' });
    assert.equal(await page.locator('th[data-sort-key=priority]').getAttribute('aria-sort'), 'ascending');
    assert.equal(await page.locator('#sort').inputValue(), 'priority', 'the menu shows the header\'s order');
    await page.getByTestId('sort-id').click();
    await poll(async () => {
      const ids = await page.locator('#inbox-rows tr.ticket-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.ticketId)));
      return ids.length > 5 && ids.every((x, i) => i === 0 || ids[i - 1] > x);
    }, { message: 'newest id first' });

    assert.equal(await page.getByTestId('bulk-selected').isVisible(), false);
    const boxes = page.locator('#inbox-rows input[name=ids]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await page.getByTestId('bulk-selected').waitFor();
    assert.equal((await page.getByTestId('bulk-selected-n').textContent()).trim(), '3');
    await boxes.nth(1).uncheck();
    assert.equal((await page.getByTestId('bulk-selected-n').textContent()).trim(), '2');
    await page.getByTestId('requester-' + (await page.locator('#inbox-rows tr.ticket-row').first().getAttribute('data-ticket-id'))).waitFor();
    await shoot(page, 'mailview-inbox');
    await page.getByTestId('select-all').check();
    const all = await boxes.count();
    assert.equal((await page.getByTestId('bulk-selected-n').textContent()).trim(), String(all));
    await page.getByTestId('select-all').uncheck();
    assert.equal(await page.getByTestId('bulk-selected').isVisible(), false);
    // The dark sidebar reaches the bottom of a long page.
    await page.getByTestId('load-more').click().catch(() => {});
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const bottom = await page.evaluate(() => {
      const y = window.innerHeight - 3;
      const el = document.elementFromPoint(10, y);
      const shell = document.querySelector('.shell');
      return { tag: el && el.className, bg: getComputedStyle(shell).backgroundImage, scrolled: window.scrollY };
    });
    assert.match(bottom.bg, /linear-gradient/);
    await shoot(page, 'mailview-inbox-bottom');
    assert.deepEqual(state.browser.problems, []);
  });
});
