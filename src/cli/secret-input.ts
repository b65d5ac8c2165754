// Secrets a command takes: never argv values (which other users of the machine can read in the
// process list, and shells keep in their history), but a file's content or stdin.
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.ts';

/** A secret from a file (its whole content, trailing newline dropped) or stdin: exactly one of them. */
export async function secretFrom(what: string, file: string | undefined, stdin: boolean | undefined): Promise<string> {
  if (file !== undefined && stdin) throw new UsageError(`give ${what} with one of --${what}-file or --${what}-stdin`);
  if (file === undefined && !stdin)
    throw new UsageError(`${what} is required: --${what}-file <path> or --${what}-stdin`);
  const text = file !== undefined ? readSecretFile(what, file) : await readStdin();
  const secret = text.replace(/\r?\n$/, '');
  if (!secret.trim()) throw new UsageError(`${what} is empty`);
  return secret;
}

function readSecretFile(what: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--${what}-file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
