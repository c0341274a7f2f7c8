// The agent workspace in a real headless Chromium: one story, told in steps, on a fresh demo
// desk. Each step is a test; when one fails, the steps that need it are skipped (and the run
// still fails). Screenshots land in test-output/screenshots/.
//
// Run: e2e/run.sh   (or: cd e2e && node --test --test-reporter=tap ui.test.mjs)

import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startDesk, api, openBrowser, shoot, poll, clearFailureShots, DEMO_PASSWORD } from './lib.mjs';

// Two agents of the Orders team (crates/tiski/src/demo/people.rs); both speak English.
const AGENT = { email: 'oliver.bennett@demo.tiski.example', name: 'Oliver Bennett' };
const COLLEAGUE = { email: 'piotr.zielinski@demo.tiski.example', name: 'Piotr Zieliński' };
const TEAM = 'Orders';
const CUSTOMER = { name: 'Ottilie Fairbanks', email: 'ottilie.fairbanks@example.org' };
const FIRST_NAME = 'Ottilie';
const SUBJECT = 'My parcel went to the wrong address';
const FIRST_MESSAGE = 'Hello, the tracking says my parcel was delivered to a different street. Order 48213.';

/** What the steps share. */
const story = {
  desk: null,
  agent: null, // { context, page, problems, close }
  colleague: null,
  ticketId: null,
  done: new Set(),
};

/** A step of the story: skipped unless the steps it needs passed. */
function step(name, needs, body) {
  test(name, async (t) => {
    const missing = needs.filter((n) => !story.done.has(n));
    if (missing.length) {
      t.skip(`needs: ${missing.join(', ')}`);
      return;
    }
    for (const b of [story.agent, story.colleague]) if (b) b.step = name;
    await body(t);
    story.done.add(name);
  });
}

/** Signs in on `page` and waits for the inbox. */
async function signIn(page, base, who) {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/inbox', { timeout: 15_000 }),
    page.getByTestId('login-submit').click(),
  ]);
  await page.getByTestId('user-name').filter({ hasText: who.name }).waitFor();
}

/** The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a base32 `secret` now, as an app shows it. */
function totpNow(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const offset = h[19] & 0xf;
  const code = ((h[offset] & 0x7f) << 24 | h[offset + 1] << 16 | h[offset + 2] << 8 | h[offset + 3]) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Waits until the live indicator says the event stream is connected. */
async function waitLive(page) {
  await page.locator('[data-testid=live-status].on').waitFor({ timeout: 15_000 });
}

/** The number a nav count shows, or null when absent. */
async function navCount(page, view) {
  const locator = page.getByTestId(`nav-${view}-count`);
  if ((await locator.count()) === 0) return null;
  return Number((await locator.textContent()).trim());
}

describe('tiski workspace in Chromium', { timeout: 300_000 }, () => {
  before(() => clearFailureShots());

  after(async () => {
    // The desk's server is killed (by pid) even when a step failed.
    await story.colleague?.close();
    await story.agent?.close();
    await story.desk?.stop();
  });

  afterEach(async (t) => {
    // Keep the page a failing step left behind, to look at.
    if (!story.done.has(t.name) && story.agent?.page && !story.agent.page.isClosed()) {
      const slug = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
      const prefix = 'failed';
      await shoot(story.agent.page, `${prefix}-${slug}`).catch(() => {});
    }
  });

  // Setup is a step rather than a before() hook, so that a broken setup counts as "# fail 1".
  const SETUP = 'a fresh demo desk is served and Chromium starts';
  step(SETUP, [], async () => {
    story.desk = await startDesk({ tickets: 60 });
    story.agent = await openBrowser();
  });

  step('the sign-in page refuses a wrong password and lets an agent in', [SETUP], async () => {
    const { page } = story.agent;
    const { base } = story.desk;
    await page.goto(`${base}/login`);
    await page.getByTestId('login-email').waitFor();
    await shoot(page, '01-login-1366x768');

    await page.getByTestId('login-email').fill(AGENT.email);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.match(await page.getByTestId('login-error').textContent(), /\S/, 'the error says something');
    assert.equal(new URL(page.url()).pathname, '/login');

    await signIn(page, base, AGENT);
    await waitLive(page);
  });

  step('a ticket created through the API appears in the open inbox live', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const { page } = story.agent;
    const { desk } = story;
    await page.goto(`${desk.base}/inbox?view=all`);
    await page.getByTestId('inbox-rows').waitFor();
    await waitLive(page);
    await page.getByTestId('nav-all-count').waitFor();
    const before = await navCount(page, 'all');
    await shoot(page, '02-inbox-1366x768');

    // A marker that a reload would wipe, and a navigation counter.
    await page.evaluate(() => { window.__e2eNoReload = 'still-here'; });
    let navigations = 0;
    const onNavigate = (frame) => { if (frame === page.mainFrame()) navigations += 1; };
    page.on('framenavigated', onNavigate);

    const teams = await api(desk, 'GET', '/api/v1/teams');
    const team = (teams.items || teams).find((t) => t.name === TEAM);
    assert.ok(team, `the demo has a team ${TEAM}`);
    const ticket = await api(desk, 'POST', '/api/v1/tickets', {
      subject: SUBJECT,
      requester: CUSTOMER,
      team_id: team.id,
      language: 'en',
      message: { body: FIRST_MESSAGE },
    });
    story.ticketId = ticket.id;

    const row = page.getByTestId(`ticket-row-${ticket.id}`);
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.textContent(), new RegExp(SUBJECT));
    assert.match(await row.textContent(), new RegExp(CUSTOMER.name));
    // Newest first: the new ticket is the first row.
    assert.equal(await page.locator('#inbox-rows tr.ticket-row').first().getAttribute('data-ticket-id'), String(ticket.id));
    // The count in the side navigation follows.
    if (before !== null) {
      await poll(async () => (await navCount(page, 'all')) === before + 1, { message: `nav-all-count to become ${before + 1}` });
    }
    page.off('framenavigated', onNavigate);
    assert.equal(navigations, 0, 'the inbox did not navigate');
    assert.equal(await page.evaluate(() => window.__e2eNoReload), 'still-here', 'the inbox did not reload');
    await shoot(page, '03-inbox-live-new-ticket-1366x768');
  });

  step('the ticket opens with its conversation', ['a ticket created through the API appears in the open inbox live'], async () => {
    const { page } = story.agent;
    const id = story.ticketId;
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/tickets/${id}`),
      page.getByTestId(`ticket-link-${id}`).click(),
    ]);
    await page.getByTestId('ticket-subject').filter({ hasText: SUBJECT }).waitFor();
    await page.getByTestId('timeline').getByTestId('message-customer').filter({ hasText: 'delivered to a different street' }).waitFor();
    assert.match(await page.getByTestId('ticket-status').textContent(), /new|open/i);
    await page.getByTestId('reply-form').waitFor();
    await waitLive(page);
  });

  step('a reply written with a macro greets the customer by first name and shows in the timeline', ['the ticket opens with its conversation'], async () => {
    const { page } = story.agent;
    const replyBody = page.getByTestId('reply-body');
    await page.getByTestId('kind-reply').check();
    await replyBody.click();
    await replyBody.pressSequentially('/apol', { delay: 30 });
    const option = page.getByTestId('macro-option').filter({ hasText: /Apology/ }).first();
    await option.waitFor();
    await option.click();
    await poll(async () => (await replyBody.innerText()).includes(FIRST_NAME), {
      message: `the macro text with "${FIRST_NAME}" in the reply box`,
    });
    const text = await replyBody.innerText();
    assert.doesNotMatch(text, /\{\{/, 'no placeholder is left unfilled');
    assert.doesNotMatch(text, /^\/apol/, 'the "/apol" search text was replaced');
    assert.match(text, new RegExp(AGENT.name.split(' ')[0]), 'the macro signs with the agent');
    await shoot(page, '04-ticket-macro-inserted-1366x768');

    await page.getByTestId('reply-send').click();
    const reply = page.getByTestId('timeline').getByTestId('message-reply').filter({ hasText: FIRST_NAME });
    await reply.waitFor();
    assert.match(await reply.textContent(), new RegExp(AGENT.name));
    await poll(async () => (await replyBody.innerText()).trim() === '', { message: 'the reply box to empty after sending' });
    // The customer's message is still there, before the reply.
    const kinds = await page.getByTestId('timeline').locator('li.message').evaluateAll((items) => items.map((i) => i.dataset.testid));
    assert.deepEqual(kinds.slice(0, 1), ['message-customer']);
    assert.equal(kinds.at(-1), 'message-reply');
    await shoot(page, '05-ticket-timeline-1366x768');

    // The API agrees.
    const messages = await api(story.desk, 'GET', `/api/v1/tickets/${story.ticketId}/messages`);
    assert.ok((messages.items || messages).some((m) => m.kind === 'reply' && m.body.includes(FIRST_NAME)), 'the API lists the reply');
  });

  step('a colleague on the same ticket: both see the collision warning, and who is typing', ['the ticket opens with its conversation'], async () => {
    const { page } = story.agent;
    const { base } = story.desk;
    story.colleague = await openBrowser();
    const other = story.colleague.page;
    await signIn(other, base, COLLEAGUE);
    await other.goto(`${base}/tickets/${story.ticketId}?view=all`);
    await other.getByTestId('ticket-subject').filter({ hasText: SUBJECT }).waitFor();

    // The colleague sees the agent who had it open first; the agent sees the colleague at the next presence poll.
    await other.getByTestId('collision-warning').filter({ hasText: AGENT.name }).waitFor({ timeout: 15_000 });
    await page.getByTestId('collision-warning').filter({ hasText: COLLEAGUE.name }).waitFor({ timeout: 15_000 });

    // The colleague starts typing: the agent sees it.
    await other.getByTestId('reply-body').click();
    await other.getByTestId('reply-body').pressSequentially('Hi Ottilie, I am looking at this', { delay: 20 });
    await page.getByTestId('collision-warning').getByTestId('presence-typing').filter({ hasText: COLLEAGUE.name }).waitFor({ timeout: 20_000 });
    await shoot(page, '06-collision-warning-agent-1366x768');
    await shoot(other, '07-collision-warning-colleague-1366x768');
    await other.getByTestId('reply-body').fill('');
  });

  step('marking the ticket solved changes its status everywhere', ['the ticket opens with its conversation'], async () => {
    const { page } = story.agent;
    const { desk } = story;
    const id = story.ticketId;
    await page.getByTestId('prop-status').selectOption('solved');
    await poll(async () => (await page.getByTestId('prop-status').inputValue()) === 'solved', { message: 'prop-status to read solved' });
    await poll(async () => (await api(desk, 'GET', `/api/v1/tickets/${id}`)).status === 'solved', { message: 'the API to say solved' });
    // The history shows the change.
    await page.getByTestId('timeline').getByTestId('timeline-event').filter({ hasText: /Solved/i }).waitFor();
    // The colleague's page follows live.
    if (story.colleague) {
      await poll(async () => (await story.colleague.page.getByTestId('prop-status').inputValue()) === 'solved', {
        message: "the colleague's prop-status to read solved (live)",
      });
    }
    await shoot(page, '08-ticket-solved-1366x768');
    // After a reload the header badge certainly says it.
    await page.reload();
    await page.getByTestId('ticket-status').filter({ hasText: /Solved/i }).waitFor();
    // And the ticket is in "Solved recently".
    await page.goto(`${desk.base}/inbox?view=solved`);
    await page.getByTestId(`ticket-row-${id}`).waitFor();
  });

  step('the help button opens the keyboard shortcuts', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const { page } = story.agent;
    await page.goto(`${story.desk.base}/inbox?view=all`);
    const overlay = page.getByTestId('shortcuts-overlay');
    assert.equal(await overlay.isVisible(), false);
    await page.getByTestId('help-button').click();
    await overlay.waitFor({ state: 'visible' });
    await shoot(page, '09-shortcuts-overlay-1366x768');
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'hidden' });
  });

  step('the inbox works at phone width (390×844)', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const { page } = story.agent;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${story.desk.base}/inbox?view=all`);
      await page.getByTestId('inbox-rows').waitFor();
      await shoot(page, '10-inbox-phone-390x844');
      // Nothing wider than the screen: no sideways scrolling of the whole page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 390px`);
      // The menu opens from the toggle.
      await page.locator('#menu-toggle').click();
      await page.getByTestId('nav-inbox').waitFor({ state: 'visible' });
      await page.getByTestId('nav-all-count').waitFor({ state: 'visible' });
      await shoot(page, '11-inbox-phone-menu-open-390x844');
      if (story.ticketId) {
        await page.goto(`${story.desk.base}/tickets/${story.ticketId}?view=all`);
        await page.getByTestId('ticket-subject').waitFor();
        await shoot(page, '12-ticket-phone-390x844');
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });

  step('the phone menu closes again with Escape', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const { page } = story.agent;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${story.desk.base}/inbox?view=all`);
      await page.locator('#menu-toggle').click();
      await page.locator('body.menu-open').waitFor({ state: 'attached' });
      await page.keyboard.press('Escape');
      await page.locator('body.menu-open').waitFor({ state: 'detached', timeout: 3_000 })
        .catch(async (error) => { await shoot(page, 'failed-phone-menu-after-escape-390x844'); throw error; });
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });

  step('the agent switches the UI to Finnish', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const { page } = story.agent;
    await page.goto(`${story.desk.base}/settings`);
    await page.getByTestId('language-select').selectOption('fi');
    await page.getByTestId('language-save').click();
    await page.locator('html[lang=fi]').waitFor({ state: 'attached' });
    await page.getByTestId('nav-inbox').filter({ hasText: 'Saapuneet' }).waitFor();
    assert.equal((await page.getByTestId('nav-settings').textContent()).trim(), 'Asetukset');
    assert.equal((await page.getByTestId('sign-out').textContent()).trim(), 'Kirjaudu ulos');

    await page.goto(`${story.desk.base}/inbox?view=all`);
    await page.locator('html[lang=fi]').waitFor({ state: 'attached' });
    await page.getByTestId('nav-all').filter({ hasText: 'Kaikki avoimet tiimeissäni' }).waitFor();
    await page.locator('[data-testid=live-status].on').filter({ hasText: 'Ajan tasalla' }).waitFor();
    // No English left in the chrome and the view headings.
    const chrome = await page.locator('.sidebar, .topbar, thead, .page-head').allInnerTexts();
    for (const english of ['Inbox', 'Customers', 'Settings', 'Sign out', 'All open in my teams', 'Subject', 'Status', 'Assignee', 'Updated']) {
      assert.ok(!chrome.some((text) => text.split('\n').some((line) => line.trim() === english)), `English "${english}" left in the Finnish UI`);
    }
    await shoot(page, '13-inbox-finnish-1366x768');
    if (story.ticketId) {
      await page.goto(`${story.desk.base}/tickets/${story.ticketId}?view=all`);
      await page.getByTestId('ticket-status').filter({ hasText: 'Ratkaistu' }).waitFor();
      await shoot(page, '14-ticket-finnish-1366x768');
    }
  });

  step('the header status badge follows a status change without reload', ['the ticket opens with its conversation'], async () => {
    const { page } = story.agent;
    const { desk } = story;
    await page.goto(`${desk.base}/tickets/${story.ticketId}?view=all`);
    await page.getByTestId('ticket-subject').waitFor();
    const target = (await page.getByTestId('prop-status').inputValue()) === 'open' ? 'pending' : 'open';
    await page.getByTestId('prop-status').selectOption(target);
    await poll(async () => (await api(desk, 'GET', `/api/v1/tickets/${story.ticketId}`)).status === target, { message: `the API to say ${target}` });
    const label = (await page.getByTestId('prop-status').locator('option:checked').textContent()).trim();
    await page.getByTestId('ticket-status').filter({ hasText: label }).waitFor({ timeout: 8_000 });
  });

  step('a colleague turns on two-factor sign-in and signs in again with a recovery code', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const { desk } = story;
    const browser = await openBrowser();
    try {
      const { page } = browser;
      browser.step = 'two-factor';
      await signIn(page, desk.base, COLLEAGUE);
      await page.goto(`${desk.base}/settings`);
      await page.getByTestId('two-factor-link').click();
      await page.getByTestId('two-factor-qr').waitFor();
      await shoot(page, '15-two-factor-enrol-1366x768');
      const secret = (await page.getByTestId('two-factor-secret').textContent()).trim();
      await page.getByTestId('two-factor-code').fill(totpNow(secret));
      await page.getByTestId('two-factor-submit').click();
      await page.getByTestId('two-factor-codes').waitFor();
      await shoot(page, '16-two-factor-recovery-codes-1366x768');
      const recovery = (await page.locator('[data-testid=two-factor-codes] code').first().textContent()).trim();
      await page.getByTestId('two-factor-done').click();
      await page.waitForURL((url) => url.pathname === '/inbox');
      await page.getByTestId('sign-out').click();
      await page.waitForURL((url) => url.pathname === '/login');
      await page.getByTestId('login-email').fill(COLLEAGUE.email);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/login/code', { timeout: 15_000 }),
        page.getByTestId('login-submit').click(),
      ]);
      await shoot(page, '17-two-factor-second-step-1366x768');
      await page.getByTestId('two-factor-code').fill(recovery);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/inbox', { timeout: 15_000 }),
        page.getByTestId('two-factor-submit').click(),
      ]);
      await page.getByTestId('user-name').filter({ hasText: COLLEAGUE.name }).waitFor();
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  });

  step('the pages raised no JavaScript errors', ['the sign-in page refuses a wrong password and lets an agent in'], async () => {
    const problems = [...story.agent.problems, ...(story.colleague?.problems || [])];
    assert.deepEqual(problems, []);
  });
});
