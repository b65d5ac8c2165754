// Where the running server's embedded link listens: a socket in the data folder, which commands on
// the same folder find without being told. A Unix socket's path is at most 107 bytes (and the
// server first listens under this name plus 9 characters); a data folder too deep for one gets a
// socket in the temporary folder, named after the data folder.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAX_SOCKET_PATH = 96;

export function embeddedLinkSocket(dataDir: string): string {
  const inFolder = join(resolve(dataDir), 'embedded.sock');
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) return inFolder;
  const name = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 24);
  return join(tmpdir(), `nightshift-${name}.sock`);
}
