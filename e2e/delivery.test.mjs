// Replies that reach the customer, in a real headless Chromium: a reply on an API ticket goes
// out through the default mailbox to an SMTP sink this test starts (aiosmtpd), with Cc and
// Bcc (Bcc in no header); its delivery state shows live; Undo stops a reply and puts its text
// back; the composer refuses a customer it cannot reach, with the reason, and still takes notes.
//
// Run: cd e2e && TISKI_BIN=… node --test --test-reporter=tap delivery.test.mjs

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDesk, api, openBrowser, shoot, poll, clearFailureShots, freePort, DEMO_PASSWORD } from './lib.mjs';

// The sink is on loopback, which mailboxes may only reach when the operator allows it; the
// undo window is short so the story is quick.
process.env.TISKI_ALLOW_PRIVATE_NETWORK = 'true';
process.env.TISKI_UNDO_SEND_WINDOW = '4s';
process.env.TISKI_WORKER_INTERVAL = '200ms';

const AGENT = { email: 'oliver.bennett@demo.tiski.example', name: 'Oliver Bennett' };
const TEAM = 'Orders';

/** An SMTP server on 127.0.0.1:PORT writing each message as JSON into OUTDIR; stops when stdin closes. */
const SINK = `
import email, email.policy, json, os, sys
from aiosmtpd.controller import Controller
outdir, port = sys.argv[1], int(sys.argv[2])
count = 0
class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        parts = [p.get_content() for p in msg.walk() if not p.is_multipart()]
        record = {"rcpt_tos": envelope.rcpt_tos, "headers": {k.lower(): str(v) for k, v in msg.items()}, "parts": parts}
        path = os.path.join(outdir, "%04d.json" % count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Ok: queued as SINK%d" % count
controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
`;

async function startSink() {
  const dir = mkdtempSync(join(tmpdir(), 'tiski-e2e-sink-'));
  const port = await freePort();
  const child = spawn('/usr/bin/python3', ['-c', SINK, dir, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`the SMTP sink exited (${code}): is python3-aiosmtpd installed?`)));
    child.stdout.on('data', (data) => { if (String(data).includes('ready')) ok(); });
  });
  return {
    port,
    received() {
      return readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')));
    },
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r()));
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const story = { desk: null, sink: null, browser: null, reachable: null, unreachable: null, done: new Set() };

function step(name, needs, body) {
  test(name, async (t) => {
    const missing = needs.filter((n) => !story.done.has(n));
    if (missing.length) { t.skip(`needs: ${missing.join(', ')}`); return; }
    if (story.browser) story.browser.step = name;
    await body(t);
    story.done.add(name);
  });
}

async function apiTicket(requester, subject) {
  const teams = await api(story.desk, 'GET', '/api/v1/teams');
  const team = (teams.items || teams).find((t) => t.name === TEAM);
  const ticket = await api(story.desk, 'POST', '/api/v1/tickets', {
    subject, requester, team_id: team.id, channel: 'api', message: { body: 'Hello, I wrote through your API form.' },
  });
  return ticket.id;
}

describe('replies that reach the customer', { concurrency: false }, () => {
  before(async () => {
    clearFailureShots();
    story.sink = await startSink();
    story.desk = await startDesk({ tickets: 12 });
  });


  after(async () => {
    if (story.browser) {
      const problems = story.browser.problems;
      await story.browser.close();
      assert.deepEqual(problems, [], 'no page errors, console errors or failed requests');
    }
    if (story.desk) await story.desk.stop();
    if (story.sink) await story.sink.stop();
  });

  step('the demo desk has a default mailbox, pointed at the sink', [], async () => {
    const boxes = await api(story.desk, 'GET', '/api/v1/mailboxes');
    const desk = (boxes.items || boxes).find((m) => m.default);
    assert.ok(desk, 'a default mailbox');
    await api(story.desk, 'PATCH', `/api/v1/mailboxes/${desk.id}`, { smtp: { host: '127.0.0.1', port: story.sink.port, tls: 'none' } });
    story.reachable = await apiTicket({ email: 'wilma.webform@example.org', name: 'Wilma Webform' }, 'Question sent through the web form');
    story.unreachable = await apiTicket({ phone: '+44 20 7946 0958', name: 'Percy Phoneonly' }, 'Called about a refund');
  });

  step('a reply with Cc and Bcc on an API ticket reaches the sink; Bcc is in no header', ['the demo desk has a default mailbox, pointed at the sink'], async () => {
    story.browser = await openBrowser();
    const { page } = story.browser;
    const { base } = story.desk;
    await page.goto(`${base}/login`);
    await page.getByTestId('login-email').fill(AGENT.email);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/inbox'), page.getByTestId('login-submit').click()]);
    await page.goto(`${base}/tickets/${story.reachable}`);
    assert.equal(await page.getByTestId('reply-to').inputValue(), 'wilma.webform@example.org', 'To is the requester');
    assert.equal(await page.getByTestId('reply-unreachable').count(), 0);
    await page.getByTestId('reply-cc').fill('manager@example.org');
    await page.getByTestId('reply-bcc').fill('quality@shop.example');
    await page.getByTestId('reply-body').fill('Hello Wilma, your question is answered here.');
    await shoot(page, 'delivery-01-composer-recipients-1366x768');
    await page.getByTestId('reply-send').click();
    const reply = page.getByTestId('timeline').getByTestId('message-reply').filter({ hasText: 'your question is answered' });
    await reply.getByTestId('undo-button').waitFor();
    await reply.getByTestId('undo-countdown').filter({ hasText: /\d/ }).waitFor();
    await shoot(page, 'delivery-02-held-with-undo-1366x768');
    // Nothing leaves during the window.
    const ours = (text) => story.sink.received().filter((m) => m.parts.join('\n').includes(text));
    assert.equal(ours('your question is answered').length, 0);
    const mails = await poll(() => { const m = ours('your question is answered'); return m.length >= 1 && m; }, { timeout: 30_000, message: 'the reply in the sink' });
    assert.equal(mails.length, 1, 'sent once');
    const mail = mails[0];
    assert.deepEqual([...mail.rcpt_tos].sort(), ['manager@example.org', 'quality@shop.example', 'wilma.webform@example.org']);
    assert.match(mail.headers.to, /wilma\.webform@example\.org/);
    assert.match(mail.headers.cc, /manager@example\.org/);
    assert.doesNotMatch(JSON.stringify(mail.headers), /quality@shop\.example/, 'Bcc is in no header');
    assert.match(mail.parts.join('\n'), /your question is answered here/);
    // The timeline shows it sent, without a reload.
    await reply.locator('[data-testid=delivery][data-state=sent]').waitFor({ timeout: 20_000 });
    await reply.getByTestId('recipients-bcc').filter({ hasText: 'quality@shop.example' }).waitFor();
    await shoot(page, 'delivery-03-sent-live-1366x768');
  });

  step('undo stops a reply and puts its text back', ['a reply with Cc and Bcc on an API ticket reaches the sink; Bcc is in no header'], async () => {
    const { page } = story.browser;
    const ours = (text) => story.sink.received().filter((m) => m.parts.join('\n').includes(text));
    await page.getByTestId('reply-body').fill('Sorry, this was meant for another customer.');
    await page.getByTestId('reply-send').click();
    const held = page.getByTestId('timeline').getByTestId('message-reply').filter({ hasText: 'meant for another customer' });
    await held.getByTestId('undo-button').click();
    await poll(async () => (await page.getByTestId('reply-body').innerText()).trim() === 'Sorry, this was meant for another customer.', { message: 'the text back in the reply box' });
    assert.equal(await held.count(), 0, 'the reply is gone from the timeline');
    await shoot(page, 'delivery-04-undone-1366x768');
    await new Promise((r) => setTimeout(r, 6_000));
    assert.equal(ours('meant for another customer').length, 0, 'the undone reply was never sent');
    await page.getByTestId('reply-body').fill('');
  });

  step('the composer refuses a customer it cannot reach, with the reason; notes still go', ['the demo desk has a default mailbox, pointed at the sink'], async () => {
    if (!story.browser) return;
    const { page } = story.browser;
    await page.goto(`${story.desk.base}/tickets/${story.unreachable}`);
    const reason = page.getByTestId('reply-unreachable');
    await reason.waitFor();
    assert.match(await reason.textContent(), /no email address/);
    assert.equal(await page.getByTestId('reply-send').isDisabled(), true, 'send reply is disabled');
    await shoot(page, 'delivery-05-unreachable-1366x768');
    await page.getByTestId('kind-note').check();
    assert.equal(await page.getByTestId('reply-send').isDisabled(), false, 'a note can still be written');
    await page.getByTestId('reply-body').fill('Customer has no email; call back tomorrow.');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('timeline').getByTestId('message-note').filter({ hasText: 'call back tomorrow' }).waitFor();
    await shoot(page, 'delivery-06-note-on-unreachable-1366x768');
  });
});
