#!/usr/bin/env node
// The `nightshift` command: runs src/cli.ts on a Node that can strip types (see the launcher).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scripts/node-launch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await launch(join(root, 'src', 'cli.ts'), process.argv.slice(2));
