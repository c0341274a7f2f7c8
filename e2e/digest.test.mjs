// The email digest's preference in a real headless Chromium on a fresh demo desk: an agent
// finds the "By email" column on the settings page, turns it off for mentions and on for
// customer replies, saves, and after a reload the choice is kept (the bell and browser ones untouched).
// Screenshot: test-output/screenshots/digest-settings.png.
//
// Run: e2e/run.sh   (or: cd e2e && node --test --test-reporter=tap digest.test.mjs)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, openBrowser, shoot, DEMO_PASSWORD } from './lib.mjs';

// An agent of the Orders team (crates/tiski/src/demo/people.rs).
const AGENT = { email: 'piotr.zielinski@demo.tiski.example' };

describe('email digest preferences', () => {
  let desk = null;
  let browser = null;

  before(async () => {
    desk = await startDesk({ tickets: 10 });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await desk?.stop();
  });

  test('the Email checkbox toggles and persists', async () => {
    const page = browser.page;
    await page.goto(`${desk.base}/login`);
    await page.getByTestId('login-email').fill(AGENT.email);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/inbox', { timeout: 15_000 }),
      page.getByTestId('login-submit').click(),
    ]);
    await page.goto(`${desk.base}/settings`);
    await page.getByTestId('notify-settings').waitFor();
    const mentioned = page.getByTestId('pref-email-mentioned');
    const replied = page.getByTestId('pref-email-customer_replied');
    assert.equal(await mentioned.isChecked(), true, 'mentions are mailed by default');
    assert.equal(await replied.isChecked(), false, 'customer replies are not, by default');
    await mentioned.uncheck();
    await replied.check();
    await page.getByTestId('notify-settings-save').click();
    await page.getByTestId('notify-settings-saved').waitFor();
    await shoot(page, 'digest-settings', { fullPage: true });

    await page.reload();
    await page.getByTestId('notify-settings').waitFor();
    assert.equal(await page.getByTestId('pref-email-mentioned').isChecked(), false, 'kept off');
    assert.equal(await page.getByTestId('pref-email-customer_replied').isChecked(), true, 'kept on');
    // The bell and browser choices stayed as they were.
    assert.equal(await page.getByTestId('pref-app-mentioned').isChecked(), true);
    assert.equal(await page.getByTestId('pref-browser-mentioned').isChecked(), true);
  });
});
