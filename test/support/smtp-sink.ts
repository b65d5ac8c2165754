// A local SMTP server (smtp-server, the one nodemailer's author keeps) that accepts mail on
// 127.0.0.1 and keeps each message as it arrived, raw and parsed, with its envelope. It counts the
// connections opened, so a test can tell a pool from a connection per message, and can be scripted
// per test: `refuseRecipient` answers RCPT TO for an address with a refusal, `failNext` refuses the
// next message after its DATA, `holdData` keeps the final 250 back until the test lets it go (the
// server has the message; its sender does not know yet).
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

export interface ReceivedEmail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  /** Subject, messageId, headers (lower-case names), html, text… */
  parsed: ParsedMail;
}

/** A message held back by holdData: `arrived` resolves once the server has it whole. */
export interface HeldData {
  arrived: Promise<ReceivedEmail>;
  /** Sends the 250 (to a client that may be gone by then). */
  release(): void;
}

export interface SmtpSinkOptions {
  /** Require this login and refuse any other with 535. Without it, AUTH is not offered and anyone may send. */
  auth?: { username: string; password: string };
  /** Offer STARTTLS, with smtp-server's built-in self-signed certificate. */
  startTls?: boolean;
  /** TLS from the first byte, with the same certificate. */
  implicitTls?: boolean;
}

export interface SmtpSink {
  host: string;
  port: number;
  readonly received: ReceivedEmail[];
  /** Connections opened since the start (or the last reset). */
  readonly connections: number;
  /** RCPT TO for this address is answered `code` (550 unless said) from now on. */
  refuseRecipient(address: string, code?: number, message?: string): void;
  /** The next message is refused after its DATA with this reply. */
  failNext(reply: { code: number; message: string }): void;
  /** Holds the next message back; with `after`, the next once `after` messages have been received. */
  holdData(options?: { after?: number }): HeldData;
  /** The first `n` messages received, once they are in. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
  /** Forgets what was received, the connections counted and the scripts. */
  reset(): void;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode: code });
}

const refusal = (address: string, code: number) =>
  code >= 500
    ? `5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table`
    : `4.2.0 <${address}>: Recipient address rejected: Greylisted, try again later`;

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedEmail[] = [];
  let connections = 0;
  let refused = new Map<string, { code: number; message: string }>();
  let failures: { code: number; message: string }[] = [];
  let holds: { after: number; arrive: (email: ReceivedEmail) => void; released: Promise<void> }[] = [];
  let waiters: (() => void)[] = [];

  const server = new SMTPServer({
    secure: options.implicitTls ?? false,
    disabledCommands: [...(options.auth ? [] : ['AUTH']), ...(options.startTls ? [] : ['STARTTLS'])],
    authOptional: !options.auth,
    // The tests log in over plain TCP unless they ask for TLS.
    allowInsecureAuth: true,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      const { username, password } = options.auth ?? {};
      if (auth.username === username && auth.password === password) callback(null, { user: username });
      else callback(smtpError(535, '5.7.8 Error: authentication failed: authentication failure'));
    },
    onRcptTo(address, _session, callback) {
      const refusedWith = refused.get(address.address.toLowerCase());
      callback(refusedWith ? smtpError(refusedWith.code, refusedWith.message) : null);
    },
    onData(stream, session, callback) {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const failure = failures.shift();
        if (failure) return callback(smtpError(failure.code, failure.message));
        const raw = Buffer.concat(chunks);
        const { mailFrom, rcptTo } = session.envelope;
        const email: ReceivedEmail = {
          envelope: { from: mailFrom ? mailFrom.address : '', to: rcptTo.map((rcpt) => rcpt.address) },
          raw,
          parsed: await simpleParser(raw),
        };
        received.push(email);
        for (const wake of waiters) wake();
        const hold = holds[0] && received.length > holds[0].after ? holds.shift() : undefined;
        if (hold) {
          hold.arrive(email);
          await hold.released;
        }
        callback();
      })().catch((error: unknown) => callback(smtpError(451, `4.3.0 ${String(error)}`)));
    },
  });
  // A client hanging up mid-handshake (refusing the certificate, killed by a test) is an 'error'
  // of the server's; unheard, it would crash the test run.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    host: '127.0.0.1',
    port: (server.server.address() as AddressInfo).port,
    received,
    get connections() {
      return connections;
    },
    refuseRecipient: (address, code = 550, message = refusal(address, code)) =>
      refused.set(address.toLowerCase(), { code, message }),
    failNext: (reply) => failures.push(reply),
    holdData: ({ after = 0 } = {}) => {
      const arrived = Promise.withResolvers<ReceivedEmail>();
      const released = Promise.withResolvers<void>();
      holds.push({ after, arrive: arrived.resolve, released: released.promise });
      return { arrived: arrived.promise, release: () => released.resolve() };
    },
    waitFor: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the SMTP sink received ${received.length} messages of ${n} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          if (received.length < n) return;
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== check);
          resolve(received.slice(0, n));
        };
        waiters.push(check);
        check();
      }),
    reset: () => {
      received.length = 0;
      connections = 0;
      refused = new Map();
      failures = [];
      holds = [];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
