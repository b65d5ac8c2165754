#!/bin/sh
// 2>/dev/null; n="${NIGHTSHIFT_NODE_CACHE:-$HOME/.cache/node24}/node_modules/.bin/node"; [ -x "$n" ] || n=node; exec "$n" "$0" "$@"
// The `nightshift` command: runs src/cli.ts on a Node that can strip types (see the launcher).
//
// The line above is for the shell, which runs this file first (for Node it is a comment; the
// shell runs `//`, a folder, quietly fails, and goes on). Where the launcher once installed
// node@24 because the system's Node was too old, the shell starts that Node directly: starting
// the old Node only for it to start Node 24 cost every command about 0.3 s more. Otherwise it
// starts `node`, and the launcher below does the rest.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../scripts/node-launch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await launch(join(root, 'src', 'cli.ts'), process.argv.slice(2));
