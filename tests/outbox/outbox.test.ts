/**
 * Mail leaves the critical path: the chain's decisions queue their e-mails in the outbox (same
 * transaction) and a separate sender delivers them. A real SMTP server runs in its own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { enqueueEmails } from '../../domain/outbox/repository';
import { freePort } from '../../platform/dev-services';
import { createLogger } from '../../platform/logger';
import { createMailer } from '../../worker/mailer';
import { createOutboxSender } from '../../worker/outbox-sender';
import { createIsolatedDatabase, startSystem, type TestSystem } from '../support/harness';
import { act, createCast, draftRegistration, eventually, registrationRow, signaturePayload, submit, type Cast } from '../workflow/support';

interface SmtpSink {
  received: { messageId: string | null; to: string[] }[];
  stop(): Promise<void>;
}

/** Starts the SMTP server process on `port` and resolves once it listens. */
async function startSmtpSink(port: number): Promise<SmtpSink> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'smtp-sink.js'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const received: SmtpSink['received'] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`smtp sink exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'READY') resolve();
      else received.push(JSON.parse(line));
    });
  });
  return {
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('the outbox', () => {
  let sys: TestSystem;
  let sink: SmtpSink | undefined;
  let smtpPort: number;
  let cast: Cast;

  beforeAll(async () => {
    smtpPort = await freePort();
    sys = await startSystem({
      isolatedDatabase: {},
      env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'jlt@example.test' },
      outbox: { pollMs: 100, baseDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 1_000 },
    });
    cast = await createCast(sys.db);
    for (const u of [cast.staff, cast.leader, cast.principal, cast.bureau]) {
      await sys.db('users').where({ id: u.id }).update({ email: `${u.username}@example.test` });
    }
  });
  afterAll(async () => {
    await sink?.stop();
    await sys?.close();
  });

  test('When the SMTP server is down, then the whole chain still completes; when it comes back, every mail arrives exactly once', async () => {
    // SMTP is down: nothing listens on its port.
    const id = await draftRegistration(sys, cast.staff);
    expect((await submit(sys, cast.staff, id)).status).toBe(200);
    await act(sys, cast.leader, id, 'lead_school_opinion', 'opinion', { payload: { opinion: '同意组建。' } });
    await act(sys, cast.principal, id, 'principal_signature', 'sign', { payload: signaturePayload() });
    await act(sys, cast.bureau, id, 'bureau_approval', 'approve');
    expect((await registrationRow(sys.db, id)).status).toBe('active');

    // In-app notifications are there at once; their e-mails wait in the outbox, tried and failed.
    const notifications = await sys.db('notifications').where({ registrationId: id });
    const recipients = new Set(notifications.map((n) => n.recipientUserId));
    expect(recipients).toEqual(new Set([cast.leader.id, cast.principal.id, cast.bureau.id, cast.staff.id]));
    const queued = await sys.db('outbox').where({ kind: 'email' }).orderBy('id');
    expect(queued).toHaveLength(notifications.length);
    await eventually(async () => (await sys.db('outbox').where({ status: 'pending' }).where('attempts', '>=', 2).count({ n: '*' }).first())?.n == queued.length, 20_000, 'failed attempts');
    const tried = await sys.db('outbox').where({ status: 'pending' }).first();
    expect(tried.lastError).toMatch(/ECONNREFUSED/);
    expect(await sys.db('notifications').where({ registrationId: id }).whereNotNull('emailedAt').count({ n: '*' }).first()).toEqual({ n: '0' });

    sink = await startSmtpSink(smtpPort);
    await eventually(async () => (await sys.db('outbox').where({ status: 'sent' }).count({ n: '*' }).first())?.n == queued.length, 30_000, 'every mail sent');

    const byMessageId = new Map<string, number>();
    for (const m of sink.received) byMessageId.set(m.messageId!, (byMessageId.get(m.messageId!) ?? 0) + 1);
    expect(byMessageId).toEqual(new Map(queued.map((row) => [`outbox-${row.id}@outbox.jlt`, 1])));
    const addressOf = new Map([cast.staff, cast.leader, cast.principal, cast.bureau].map((u) => [u.id, `${u.username}@example.test`]));
    expect(sink.received.map((m) => m.to[0]).sort()).toEqual(notifications.map((n) => addressOf.get(n.recipientUserId)).sort());
    expect(await sys.db('notifications').where({ registrationId: id }).whereNull('emailedAt').count({ n: '*' }).first()).toEqual({ n: '0' });
  });
});

describe('the outbox sender', () => {
  test('When a mail cannot be delivered within its attempts, then it is marked failed with the last error and tried no more', async () => {
    const { db, drop } = await createIsolatedDatabase({ seed: false });
    try {
      const deadPort = await freePort();
      const sender = createOutboxSender(
        { db, mailer: createMailer({ SMTP_URL: `smtp://127.0.0.1:${deadPort}`, MAIL_FROM: 'jlt@example.test' }), logger: createLogger('silent', 'test') },
        { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
      );
      await enqueueEmails(db, [{ to: 'someone@example.test', subject: '待办 / To do', text: '...' }]);

      const handled: number[] = [];
      for (let i = 0; i < 4; i++) handled.push(await sender.drainOnce());

      expect(handled).toEqual([1, 1, 1, 0]);
      const row = await db('outbox').first();
      expect(row).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
      expect(row.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      await drop();
    }
  });
});
