// A cheap SMTP sink for bench:send, in a child process of its own: smtp-server (nodemailer's
// author's) on 127.0.0.1, no TLS, no login, each message's DATA read to its end and thrown away,
// only counted. A child process, not a worker thread: the sink gets an event loop of its own, so it
// never delays the delivery worker or the bare loop being measured (nor they it), and its memory
// stays out of the measuring process's RSS. (test/support/smtp-sink.ts parses and keeps every
// message, which is what tests want and a benchmark of the sender must not pay.)
// Run as a script, it is the sink: it answers { port } once listening, and { received,
// bytes, connections, cpu_seconds } to every 'count'.
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkCount {
  received: number;
  /** Bytes of DATA received (the messages as sent, dot-stuffing undone). */
  bytes: number;
  connections: number;
  /** CPU the sink's process has used since it started. */
  cpu_seconds: number;
}

export interface SmtpSinkProcess {
  host: string;
  port: number;
  count(): Promise<SinkCount>;
  close(): Promise<void>;
}

/** Forks this file as the sink and waits until it listens. */
export async function startSmtpSinkProcess(): Promise<SmtpSinkProcess> {
  const child: ChildProcess = fork(import.meta.filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the SMTP sink exited (${code})`));
      child.once('exit', exited);
      child.once('message', (message) => {
        child.off('exit', exited);
        resolve(message as T);
      });
    });
  const { port } = await next<{ port: number }>();
  return {
    host: '127.0.0.1',
    port,
    count() {
      const answer = next<SinkCount>();
      child.send('count');
      return answer;
    },
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

function serve() {
  let received = 0;
  let bytes = 0;
  let connections = 0;
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  server.on('error', () => {});
  server.listen(0, '127.0.0.1', () => {
    process.send!({ port: (server.server.address() as AddressInfo).port });
  });
  process.on('message', () => {
    const cpu = process.cpuUsage();
    process.send!({ received, bytes, connections, cpu_seconds: (cpu.user + cpu.system) / 1e6 } satisfies SinkCount);
  });
  // The parent hung up (or died): the sink goes with it.
  process.on('disconnect', () => server.close(() => process.exit(0)));
}

if (process.argv[1] === import.meta.filename && process.send) serve();
