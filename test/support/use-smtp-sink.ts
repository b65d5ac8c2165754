// One local SMTP sink per test file (vitest hooks kept out of smtp-sink.ts, which benches import too).
import { afterAll, beforeAll } from 'vitest';
import { type SmtpSink, type SmtpSinkOptions, startSmtpSink } from './smtp-sink.ts';

/** Started before the file's tests, closed after them. */
export function useSmtpSink(options: SmtpSinkOptions = {}): () => SmtpSink {
  let sink: SmtpSink | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink(options);
  });
  afterAll(() => sink?.close());
  return () => {
    if (!sink) throw new Error('the SMTP sink is not started yet');
    return sink;
  };
}
