// Every page of the workspace in every UI language, on a demo desk, in a real headless Chromium:
// each page is shot (test-output/screenshots/words-<lang>-<page>.png, to be looked at) and
// checked for what a translation can break: text cut off by its box, a page wider than the
// window, a page in the wrong language, a key shown instead of its text.
//
// Run: cd e2e && TISKI_BIN=… node --test --test-reporter=tap words.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, openBrowser, shoot, DEMO_PASSWORD } from './lib.mjs';

const ADMIN = { email: 'admin@demo.tiski.example' };
const LANGUAGES = ['en', 'fi', 'pl', 'lt', 'tl'];
// The view names each catalog gives the "All open in my teams" view: the page really changed.
const ALL_OPEN = {
  en: 'All open in my teams',
  fi: 'Kaikki avoimet tiimeissäni',
  pl: 'Wszystkie otwarte w moich zespołach',
  lt: 'Visos atviros mano komandose',
  tl: 'Lahat ng bukas sa aking mga team',
};

/**
 * What on the page a longer word breaks: the page scrolling sideways, or an element whose text
 * is wider than its box (cut off, ellipsised or spilling into its neighbour).
 */
async function layoutProblems(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1) {
      found.push(`the page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    const selector = [
      '.sidebar a', '.subnav a', 'nav a', 'button', '.button', 'th', 'label', 'select',
      '.badge', '.pill', '.status', '.live-status', 'h1', 'h2', '.panel-title', 'summary',
    ].join(',');
    for (const el of document.querySelectorAll(selector)) {
      // Only what is drawn: not the inside of a closed <details>, a hidden dialog or menu.
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      if (el.closest('details:not([open]) > :not(summary)')) continue;
      if (el.getClientRects().length === 0) continue;
      if (el.closest('.visually-hidden')) continue;
      // A select's own width is its widest option's; what counts is that it fits its cell.
      const box = el.tagName === 'SELECT' ? el.parentElement : el;
      if (el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'SELECT') {
        found.push(`text cut off (${el.scrollWidth}px in ${el.clientWidth}px): <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 60)}"`);
      }
      const parent = box.parentElement;
      if (!parent) continue;
      const r = el.getBoundingClientRect();
      const p = parent.getBoundingClientRect();
      const parentStyle = getComputedStyle(parent);
      const clips = ['hidden', 'clip'].includes(parentStyle.overflowX);
      if (clips && r.right > p.right + 1) {
        found.push(`spills out of its box: <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 60)}"`);
      }
    }
    // A Fluent key left on the page (a key with no text in this language shows as itself).
    const text = document.body.innerText;
    const key = text.match(/\b(?:nav|view|col|bulk|status|event|reply|macro|admin|audit|mailbox|token|two-factor|error|customer|retention|privacy|quarantine)-[a-z-]+\b/);
    if (key) found.push(`a message key shows instead of its text: ${key[0]}`);
    return found;
  });
}

describe('every page in every language', { concurrency: false, timeout: 600_000 }, () => {
  let desk;
  let browser;
  const pages = [];
  const problems = [];

  before(async () => {
    desk = await startDesk({ tickets: 40 });
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${desk.base}/login`);
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/inbox', { timeout: 15_000 }),
      page.getByTestId('login-submit').click(),
    ]);
    // A ticket with history and its customer, from the inbox as an agent finds them.
    await page.goto(`${desk.base}/inbox?view=all`);
    // The oldest, which has the longest history (assigned, moved, status changes).
    const ticket = await page.locator('a[href^="/tickets/"]').last().getAttribute('href');
    await page.goto(`${desk.base}/customers`);
    const customer = await page.locator('a[href^="/customers/"]').first().getAttribute('href');
    pages.push(
      ['inbox', '/inbox?view=all'],
      ['inbox-unassigned', '/inbox?view=unassigned'],
      ['inbox-pending', '/inbox?view=pending'],
      ['ticket', ticket.split('?')[0] + '?view=all'],
      ['customers', '/customers'],
      ['customer', customer],
      ['settings', '/settings'],
      ['macros', '/macros'],
      ['admin-agents', '/admin/agents'],
      ['admin-teams', '/admin/teams'],
      ['admin-mailboxes', '/admin/mailboxes'],
      ['admin-quarantine', '/admin/quarantine'],
      ['admin-webhooks', '/admin/webhooks'],
      ['admin-tokens', '/admin/tokens'],
      ['admin-privacy', '/admin/privacy'],
      ['admin-two-factor', '/admin/two-factor'],
    );
  });

  after(async () => {
    await browser?.close();
    await desk?.stop();
  });

  for (const lang of LANGUAGES) {
    test(`${lang}: every page fits its words`, async () => {
      const { page } = browser;
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(`${desk.base}/settings`);
      await page.getByTestId('language-select').selectOption(lang);
      await page.getByTestId('language-save').click();
      await page.locator(`html[lang=${lang}]`).waitFor({ state: 'attached' });
      for (const [name, path] of pages) {
        await page.goto(`${desk.base}${path}`);
        await page.locator(`html[lang=${lang}]`).waitFor({ state: 'attached' });
        await page.locator('[data-testid=live-status].on').waitFor().catch(() => {});
        if (name === 'inbox') {
          await page.getByTestId('nav-all').filter({ hasText: ALL_OPEN[lang] }).waitFor();
        }
        await shoot(page, `words-${lang}-${name}`, { fullPage: true });
        for (const p of await layoutProblems(page)) problems.push(`${lang} ${name}: ${p}`);
      }
      // The inbox and a ticket on a phone, where the words have the least room.
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [name, path] of pages.filter(([n]) => n === 'inbox' || n === 'ticket')) {
        await page.goto(`${desk.base}${path}`);
        await shoot(page, `words-${lang}-${name}-390`, { fullPage: true });
        for (const p of await layoutProblems(page)) problems.push(`${lang} ${name} (390px): ${p}`);
      }
      await page.setViewportSize({ width: 1366, height: 768 });
      const mine = problems.filter((p) => p.startsWith(`${lang} `));
      assert.deepEqual(mine, [], `layout problems in ${lang}:\n${mine.join('\n')}`);
    });

    test(`${lang}: the sign-in page follows the browser's language`, async () => {
      const visitor = await openBrowser();
      try {
        // The browser's own locale is en-GB; a visitor whose browser asks for `lang` instead.
        await visitor.page.route('**/*', (route) => route.continue({
          headers: { ...route.request().headers(), 'accept-language': `${lang},en;q=0.1` },
        }));
        await visitor.page.goto(`${desk.base}/login`);
        await visitor.page.locator(`html[lang=${lang}]`).waitFor({ state: 'attached' });
        await shoot(visitor.page, `words-${lang}-sign-in`);
        const found = await layoutProblems(visitor.page);
        assert.deepEqual(found, [], `sign-in page in ${lang}`);
      } finally {
        await visitor.close();
      }
    });
  }

  test('no page logged an error in the browser', () => {
    assert.deepEqual(browser.problems, []);
  });
});
