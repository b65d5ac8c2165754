#!/usr/bin/env node
// The `nightshift` command: runs src/cli.ts on a Node that can strip types (see the launcher).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scripts/node-launch.mjs';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
await launch(join(root, 'src', 'cli.ts'), args, args[0] === 'serve' ? SERVER_NODE_FLAGS : []);
