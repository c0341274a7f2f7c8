// Creating and reshaping work in a real headless Chromium: a logged call for a customer created
// in the form, a merge that moves the conversation, and a message split off into a new ticket.
// Screenshots land in test-output/screenshots/reshape-*.png.
//
// Run: e2e/run.sh   (or: cd e2e && node --test --test-reporter=tap reshape.test.mjs)

import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, api, openBrowser, shoot, clearFailureShots, DEMO_PASSWORD } from './lib.mjs';

// An agent of the Orders team (crates/tiski/src/demo/people.rs).
const AGENT = { email: 'oliver.bennett@demo.tiski.example', name: 'Oliver Bennett' };
// The supervisor who leads Orders: supervisors may merge customers.
const LEAD = { email: 'aino.korhonen@demo.tiski.example', name: 'Aino Korhonen' };

const story = { desk: null, agent: null, team: null, done: new Set() };

function step(name, needs, body) {
  test(name, async (t) => {
    const missing = needs.filter((n) => !story.done.has(n));
    if (missing.length) {
      t.skip(`needs: ${missing.join(', ')}`);
      return;
    }
    if (story.agent) story.agent.step = name;
    await body(t);
    story.done.add(name);
  });
}

/** The problems the browser saw (console errors, HTTP errors), except the expected ones. */
function unexpected(browser, allowed = []) {
  return browser.problems.filter((p) => !allowed.some((a) => a.test(p)));
}

describe('creating and reshaping work in Chromium', { timeout: 300_000 }, () => {
  before(() => clearFailureShots());

  after(async () => {
    await story.agent?.close();
    await story.desk?.stop();
  });

  afterEach(async (t) => {
    if (!story.done.has(t.name) && story.agent?.page && !story.agent.page.isClosed()) {
      const slug = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
      await shoot(story.agent.page, `failed-reshape-${slug}`).catch(() => {});
    }
  });

  const SETUP = 'a demo desk is served and an agent signs in';
  step(SETUP, [], async () => {
    story.desk = await startDesk({ tickets: 20 });
    story.agent = await openBrowser();
    const teams = await api(story.desk, 'GET', '/api/v1/teams');
    story.team = (teams.items || teams).find((t) => t.name === 'Orders').id;
    const { page } = story.agent;
    await page.goto(`${story.desk.base}/login`);
    await page.getByTestId('login-email').fill(AGENT.email);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/inbox'),
      page.getByTestId('login-submit').click(),
    ]);
  });

  const CALL = 'a call is logged for a customer created in the form';
  step(CALL, [SETUP], async () => {
    const { page } = story.agent;
    // The keyboard model: g n opens the form, like g i and g c.
    await page.locator('body').press('g');
    await page.locator('body').press('n');
    await page.waitForURL((url) => url.pathname === '/tickets/new');
    await page.getByTestId('new-ticket-kind-call').check();
    await page.getByTestId('new-ticket-new-customer').check();
    await page.getByTestId('new-customer-name').fill('Aino Lehtinen');
    await page.getByTestId('new-customer-phone').fill('not a number');
    await page.getByTestId('new-customer-language').selectOption('fi');
    await page.getByTestId('new-customer-time-zone').selectOption('Europe/Helsinki');
    await page.getByTestId('new-ticket-subject').fill('Laskussa väärä summa');
    await page.getByTestId('new-ticket-body').fill('Asiakas soitti: laskussa on veloitettu kahdesti sama tilaus, ja hän haluaa hyvityksen.');
    await page.getByTestId('new-ticket-notes').fill('Checked the invoice: charged twice. Refund promised within a week.');
    await page.getByTestId('new-ticket-create').click();
    // A bad phone number is refused next to its field, and what was typed stays.
    await page.getByTestId('error-customer_phone').waitFor();
    assert.equal(await page.getByTestId('new-ticket-subject').inputValue(), 'Laskussa väärä summa');
    await shoot(page, 'reshape-01-new-ticket-error-1366x768', { fullPage: true });
    story.agent.problems = unexpected(story.agent, [/HTTP 422 for POST \/ui\/tickets\/new/]);

    await page.getByTestId('new-customer-phone').fill('+358 40 765 4321');
    await Promise.all([
      page.waitForURL((url) => /^\/tickets\/\d+$/.test(url.pathname)),
      page.getByTestId('new-ticket-create').click(),
    ]);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const ticket = await api(story.desk, 'GET', `/api/v1/tickets/${id}`);
    assert.equal(ticket.channel, 'phone');
    assert.equal(ticket.language, 'fi', 'the language was detected from the call notes');
    assert.equal(ticket.requester.name, 'Aino Lehtinen');
    const customer = await api(story.desk, 'GET', `/api/v1/customers/${ticket.requester.id}`);
    assert.deepEqual(customer.phones, ['+358407654321']);
    assert.equal(customer.time_zone, 'Europe/Helsinki');
    const messages = (await api(story.desk, 'GET', `/api/v1/tickets/${id}/messages`)).items;
    assert.deepEqual(messages.map((m) => [m.author_kind, m.kind, m.channel]), [
      ['customer', 'reply', 'phone'],
      ['agent', 'note', 'phone'],
    ]);
    // The language shows by name in the properties and the customer panel.
    await page.getByTestId('properties').getByText('suomi (Finnish)').waitFor();
    await shoot(page, 'reshape-02-logged-call-1366x768', { fullPage: true });
    assert.deepEqual(unexpected(story.agent), []);
  });

  const MERGE = 'merging a ticket moves its conversation into the one kept';
  step(MERGE, [SETUP], async () => {
    const { page } = story.agent;
    const { desk, team } = story;
    const requester = { email: 'kalle.virtanen@example.fi', name: 'Kalle Virtanen' };
    const a = await api(desk, 'POST', '/api/v1/tickets', {
      subject: 'Order 5512 is late', requester, team_id: team, tags: ['late'],
      message: { body: 'My order 5512 has not arrived after two weeks.' },
    });
    const b = await api(desk, 'POST', '/api/v1/tickets', {
      subject: 'Where is my order?', requester, team_id: team,
      message: { body: 'Any news about my order? I wrote earlier too.' },
    });
    await page.goto(`${desk.base}/tickets/${a.id}`);
    await page.getByTestId('merge-search').fill(String(b.id));
    await page.getByTestId('merge-candidate').filter({ hasText: `#${b.id}` }).waitFor();
    await page.getByTestId('merge-continue').click();
    await page.getByTestId('merge-summary').waitFor();
    await page.getByTestId('merge-tell').check();
    // The workspace scrolls inside its columns: bring the panel into the viewport to look at it.
    await page.getByTestId('merge-confirm').scrollIntoViewIfNeeded();
    await shoot(page, 'reshape-03-merge-confirm-1366x768');
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/tickets/${b.id}`),
      page.getByTestId('merge-confirm').click(),
    ]);
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('My order 5512 has not arrived after two weeks.').waitFor();
    await timeline.getByText(`merged ticket #${a.id} into this one`).waitFor();
    // The merged ticket's page opens the survivor.
    await page.goto(`${desk.base}/tickets/${a.id}`);
    await page.waitForURL((url) => url.pathname === `/tickets/${b.id}`);
    const merged = await api(desk, 'GET', `/api/v1/tickets/${a.id}`);
    assert.equal(merged.merged_into, b.id);
    assert.equal(merged.status, 'closed');
    const kept = await api(desk, 'GET', `/api/v1/tickets/${b.id}`);
    assert.deepEqual(kept.tags, ['late']);
    const messages = (await api(desk, 'GET', `/api/v1/tickets/${b.id}/messages`)).items;
    assert.equal(messages.length, 3, 'both conversations and the reply telling the customer');
    await shoot(page, 'reshape-04-merged-1366x768', { fullPage: true });
    story.merged = b.id;
    assert.deepEqual(unexpected(story.agent), []);
  });

  step('a message is split off into a new ticket from its menu', [MERGE], async () => {
    const { page } = story.agent;
    const { desk } = story;
    const messages = (await api(desk, 'GET', `/api/v1/tickets/${story.merged}/messages`)).items;
    const first = messages[0];
    await page.goto(`${desk.base}/tickets/${story.merged}`);
    page.once('dialog', (dialog) => dialog.accept());
    await Promise.all([
      page.waitForURL((url) => /^\/tickets\/\d+$/.test(url.pathname) && url.pathname !== `/tickets/${story.merged}`),
      page.locator(`#message-${first.id}`).getByTestId('split-message').click(),
    ]);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const split = await api(desk, 'GET', `/api/v1/tickets/${id}`);
    assert.equal(split.split_from, story.merged);
    const moved = (await api(desk, 'GET', `/api/v1/tickets/${id}/messages`)).items;
    assert.deepEqual(moved.map((m) => m.id), [first.id]);
    await page.getByTestId('timeline').getByText(first.body).waitFor();
    await shoot(page, 'reshape-05-split-1366x768', { fullPage: true });
    assert.deepEqual(unexpected(story.agent), []);
  });
  step('a supervisor merges a duplicate customer from the customer page', [MERGE], async () => {
    const { desk, team } = story;
    const lead = await openBrowser();
    story.lead = lead;
    try {
      const { page } = lead;
      await page.goto(`${desk.base}/login`);
      await page.getByTestId('login-email').fill(LEAD.email);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/inbox'),
        page.getByTestId('login-submit').click(),
      ]);
      const duplicate = await api(desk, 'POST', '/api/v1/tickets', {
        subject: 'Refund for order 5512', requester: { email: 'kalle@virtanen.example', name: 'K. Virtanen' }, team_id: team,
        message: { body: 'Please refund the late order.' },
      });
      const keep = (await api(desk, 'GET', '/api/v1/customers?q=kalle.virtanen')).items[0];
      await page.goto(`${desk.base}/customers/${duplicate.requester.id}`);
      await page.getByTestId('customer-merge-search').fill('Kalle');
      await page.getByTestId('customer-merge-candidate').filter({ hasText: 'kalle.virtanen@example.fi' }).click();
      await page.getByTestId('customer-merge-continue').click();
      await page.getByTestId('customer-merge-summary').waitFor();
      await page.getByTestId('customer-merge-confirm').scrollIntoViewIfNeeded();
      await shoot(page, 'reshape-06-customer-merge-confirm-1366x768');
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/customers/${keep.id}`),
        page.getByTestId('customer-merge-confirm').click(),
      ]);
      const merged = await api(desk, 'GET', `/api/v1/customers/${keep.id}`);
      assert.deepEqual([...merged.emails].sort(), ['kalle.virtanen@example.fi', 'kalle@virtanen.example']);
      assert.ok(merged.tickets.some((t) => t.id === duplicate.id), 'the duplicate\'s ticket moved');
      await page.getByTestId('customer-tickets').getByText('Refund for order 5512').waitFor();
      await shoot(page, 'reshape-07-customer-merged-1366x768');
      assert.deepEqual(unexpected(lead), []);
    } finally {
      await lead.close();
    }
  });
});
