// The composer in a real headless Chromium: formatting sent as HTML with a faithful text
// part, files attached by the button and by paste, a draft that survives a reload (and that a
// colleague sees exists), an unknown /word flagged before sending, and the macro picker that
// previews with real values, closes on Escape and does not cover the reply box.
//
// Run: e2e/run.sh   (or: cd e2e && node --test --test-reporter=tap composer.test.mjs)

import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, api, openBrowser, shoot, poll, clearFailureShots, DEMO_PASSWORD } from './lib.mjs';

const AGENT = { email: 'oliver.bennett@demo.tiski.example', name: 'Oliver Bennett' };
const COLLEAGUE = { email: 'piotr.zielinski@demo.tiski.example', name: 'Piotr Zieliński' };
const TEAM = 'Orders';
const CUSTOMER = { name: 'Wilhelmina Quist', email: 'wilhelmina.quist@example.org' };

const story = { desk: null, agent: null, colleague: null, ticketId: null, done: new Set() };

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

async function signIn(page, base, who) {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/inbox', { timeout: 15_000 }),
    page.getByTestId('login-submit').click(),
  ]);
}

async function messages() {
  const page = await api(story.desk, 'GET', `/api/v1/tickets/${story.ticketId}/messages?limit=200`);
  return page.items || page;
}

/** Empties the reply box the way an agent would. */
async function clearBox(page) {
  const box = page.getByTestId('reply-body');
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('the composer', { concurrency: false }, () => {
  clearFailureShots();

  after(async () => {
    await story.colleague?.close();
    await story.agent?.close();
    await story.desk?.stop();
  });

  afterEach(async (t) => {
    if (!story.done.has(t.name) && story.agent?.page && !story.agent.page.isClosed()) {
      const slug = t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
      await shoot(story.agent.page, `failed-composer-${slug}`).catch(() => {});
    }
  });

  const SETUP = 'composer: a desk, a ticket for the Orders team, the agent on its page';
  step(SETUP, [], async () => {
    story.desk = await startDesk({ tickets: 10 });
    const teams = await api(story.desk, 'GET', '/api/v1/teams');
    const team = (teams.items || teams).find((t) => t.name === TEAM);
    const ticket = await api(story.desk, 'POST', '/api/v1/tickets', {
      subject: 'The lid of my teapot cracked',
      team_id: team.id,
      language: 'en',
      requester: { email: CUSTOMER.email, name: CUSTOMER.name },
      message: { body: 'The lid cracked on the first day. Can I get a new one?' },
    });
    story.ticketId = ticket.id;
    story.agent = await openBrowser();
    await signIn(story.agent.page, story.desk.base, AGENT);
    await story.agent.page.goto(`${story.desk.base}/tickets/${story.ticketId}`);
    await story.agent.page.getByTestId('format-bar').waitFor();
  });

  const FORMAT = 'bold and a list are sent as cleaned HTML with a faithful text part';
  step(FORMAT, [SETUP], async () => {
    const { page } = story.agent;
    const box = page.getByTestId('reply-body');
    await box.click();
    await page.keyboard.press('Control+B');
    await page.keyboard.type('Good news');
    await page.keyboard.press('Control+B');
    await page.keyboard.type(', Wilhelmina.');
    await page.keyboard.press('Enter');
    await page.getByTestId('fmt-bullets').click();
    await page.keyboard.type('a new lid is on its way');
    await page.keyboard.press('Enter');
    await page.keyboard.type('no need to return the old one');
    assert.equal(await box.locator('b, strong').first().textContent(), 'Good news');
    assert.equal(await box.locator('li').count(), 2);
    await shoot(page, 'composer-01-formatted-1366x768');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('timeline').getByTestId('message-reply').filter({ hasText: 'no need to return' }).waitFor();
    await poll(async () => (await box.innerText()).trim() === '', { message: 'the box to empty after sending' });
    const reply = (await messages()).at(-1);
    assert.equal(reply.body, 'Good news, Wilhelmina.\n- a new lid is on its way\n- no need to return the old one');
    assert.match(reply.html, /<b>Good news<\/b>, Wilhelmina\./);
    assert.match(reply.html, /<ul><li>a new lid is on its way<\/li><li>no need to return the old one<\/li><\/ul>/);
    assert.doesNotMatch(reply.html, /style=|class=/, 'no attributes but links survive');
    await shoot(page, 'composer-02-formatted-sent-1366x768');
  });

  const ATTACH = 'files attached by the button and by pasting an image go with the reply';
  step(ATTACH, [FORMAT], async () => {
    const { page } = story.agent;
    // Too large is refused before uploading, with the reason.
    await page.getByTestId('attach-input').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
    await page.getByTestId('attach-error').filter({ hasText: 'huge.bin' }).waitFor();
    assert.equal(await page.getByTestId('attach-item').count(), 0);

    await page.getByTestId('attach-input').setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Receipt 2211, teapot lid\n') });
    await page.locator('.attach-item.is-done').filter({ hasText: 'receipt.txt' }).waitFor();
    const box = page.getByTestId('reply-body');
    await box.click();
    await page.keyboard.type('Here is the receipt and a photo of the new lid.');
    // A PNG pasted from the clipboard.
    await box.evaluate((el) => {
      const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([png], 'image.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.locator('.attach-item.is-done').filter({ hasText: 'image.png' }).waitFor();
    assert.equal(await page.getByTestId('attach-item').count(), 2);
    assert.match(await page.getByTestId('attach-limits').textContent(), /10 files, 10 MiB each, 15 MiB together/);
    await shoot(page, 'composer-03-attachments-1366x768');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('timeline').getByTestId('message-reply').filter({ hasText: 'photo of the new lid' }).waitFor();
    await poll(async () => (await page.getByTestId('attach-item').count()) === 0, { message: 'the staged files to leave the box' });
    const reply = (await messages()).at(-1);
    assert.deepEqual(reply.attachments.map((a) => a.filename).sort(), ['image.png', 'receipt.txt']);
    assert.equal(reply.attachments.find((a) => a.filename === 'image.png').content_type, 'image/png');
  });

  const DRAFT = 'a draft survives a reload, and a colleague sees that it exists';
  step(DRAFT, [SETUP], async () => {
    const { page } = story.agent;
    await page.getByTestId('kind-note').check();
    const box = page.getByTestId('reply-body');
    await box.click();
    await page.keyboard.type('Check with the warehouse: ');
    await page.keyboard.press('Control+I');
    await page.keyboard.type('two lids');
    await page.keyboard.press('Control+I');
    await page.getByTestId('attach-input').setInputFiles({ name: 'lid-sizes.txt', mimeType: 'text/plain', buffer: Buffer.from('Lid 9 cm\n') });
    await page.locator('.attach-item.is-done').filter({ hasText: 'lid-sizes.txt' }).waitFor();
    await page.getByTestId('draft-state').filter({ hasText: 'Draft saved' }).waitFor();
    await page.reload();
    await page.getByTestId('format-bar').waitFor();
    assert.equal((await box.innerText()).trim(), 'Check with the warehouse: two lids');
    assert.equal(await box.locator('i, em').first().textContent(), 'two lids');
    assert.ok(await page.getByTestId('kind-note').isChecked(), 'still a note');
    await page.locator('.attach-item.is-done').filter({ hasText: 'lid-sizes.txt' }).waitFor();
    await shoot(page, 'composer-04-draft-restored-1366x768');

    story.colleague = await openBrowser();
    const other = story.colleague.page;
    await signIn(other, story.desk.base, COLLEAGUE);
    await other.goto(`${story.desk.base}/tickets/${story.ticketId}`);
    await other.getByTestId('presence-draft').filter({ hasText: `${AGENT.name} has an unsent draft` }).waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await other.getByTestId('collision-warning').textContent(), /warehouse/);
    await shoot(other, 'composer-05-colleague-sees-draft-1366x768');

    // Sent, the draft is gone: from the reload and from the colleague's warning.
    await page.getByTestId('reply-send').click();
    await page.getByTestId('timeline').getByTestId('message-note').filter({ hasText: 'two lids' }).waitFor();
    const note = (await messages()).at(-1);
    assert.equal(note.kind, 'note');
    assert.deepEqual(note.attachments.map((a) => a.filename), ['lid-sizes.txt']);
    await page.reload();
    assert.equal((await box.innerText()).trim(), '');
    await poll(async () => (await other.getByTestId('presence-draft').count()) === 0, { timeout: 15_000, message: "the colleague's draft notice to go" });
    await page.getByTestId('kind-reply').check();
  });

  const SLASH = 'a /word that matches no macro is marked and asked about before sending';
  step(SLASH, [SETUP], async () => {
    const { page } = story.agent;
    await clearBox(page);
    const before = (await messages()).length;
    await page.keyboard.type('/refundd');
    await page.getByTestId('macros-none').waitFor();
    await page.keyboard.type(' the lid, please.');
    await page.getByTestId('reply-send').click();
    const warning = page.getByTestId('slash-warning');
    await warning.filter({ hasText: '/refundd' }).waitFor();
    assert.ok(await page.evaluate(() => CSS.highlights.get('slash-unknown')?.size > 0), 'the word is marked in the box');
    await shoot(page, 'composer-06-unknown-slash-word-1366x768');
    assert.equal((await messages()).length, before, 'nothing went out');
    await page.getByTestId('slash-edit').click();
    assert.ok(await warning.isHidden());
    await page.getByTestId('reply-send').click();
    await warning.waitFor();
    await page.getByTestId('slash-send').click();
    await page.getByTestId('timeline').getByTestId('message-reply').filter({ hasText: '/refundd the lid' }).waitFor();
    assert.equal((await messages()).length, before + 1);
  });

  const PICKER = 'the macro picker previews real values, leaves the box free and closes on Escape';
  step(PICKER, [SETUP], async () => {
    const { page } = story.agent;
    await clearBox(page);
    await page.keyboard.type('/apol');
    const option = page.getByTestId('macro-option').filter({ hasText: /Apology/ }).first();
    await option.waitFor();
    const preview = page.getByTestId('macro-preview');
    await poll(async () => /Wilhelmina/.test(await preview.textContent()), { message: 'the preview with the customer\'s name' });
    assert.match(await preview.textContent(), /Oliver/, 'and the agent\'s');
    assert.doesNotMatch(await preview.textContent(), /\{\{/);
    // Each typed letter asks the server again, so the picker may be swapped for a newer one
    // between two reads: wait until both are laid out at once.
    let picker = null;
    let box = null;
    await poll(async () => {
      picker = await page.getByTestId('macro-picker').boundingBox();
      box = await page.getByTestId('reply-body').boundingBox();
      return Boolean(picker && box);
    }, { message: 'the picker and the reply box both shown' });
    assert.ok(!overlaps(picker, box), `the picker ${JSON.stringify(picker)} covers the box ${JSON.stringify(box)}`);
    await shoot(page, 'composer-07-macro-picker-1366x768');
    await page.keyboard.press('Escape');
    await poll(async () => (await page.getByTestId('macro-picker').count()) === 0, { message: 'the picker to close' });
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'reply-body');
    await clearBox(page);
  });

  step('composer: no page errors, console errors or failed requests', [SETUP], async () => {
    const problems = [...story.agent.problems, ...(story.colleague?.problems || [])];
    assert.deepEqual(problems, []);
  });
});
