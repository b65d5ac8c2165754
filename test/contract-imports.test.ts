// The contract is shapes that the routes, the engine and the dashboard all take, so it leans on
// nothing of theirs; the dashboard takes from the server's tree only the contract's types and plain
// lists, so no server code and no zod reach its bundle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importGraph } from './support/import-graph.ts';

const ROOT = new URL('..', import.meta.url).pathname;
/** What the contract takes from the domain: the metric names, and what an e-mail or E.164 address is. */
const FROM_THE_DOMAIN = ['src/domain/metrics.ts', 'src/domain/message-address.ts'];
/** Plain lists that import nothing: the one kind of server file the dashboard may take values from. */
const PLAIN_LISTS = /^src\/(contract\/[a-z-]+-vocabulary|domain\/metrics)\.ts$/;

describe('the contract’s imports', () => {
  it('the contract imports only itself, the domain’s metric names and its address patterns', () => {
    const outside = importGraph(ROOT, ['src/contract'])
      .filter((edge) => !edge.to.startsWith('src/contract/') && !FROM_THE_DOMAIN.includes(edge.to))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(outside).toEqual([]);
  });

  it('the dashboard takes types from the contract, and values only from plain lists', () => {
    const intoServer = importGraph(ROOT, ['web/src']).filter((edge) => edge.to.startsWith('src/'));
    expect(intoServer.length).toBeGreaterThan(0);
    const wrong = intoServer
      .filter((edge) => !(edge.to.startsWith('src/contract/') || edge.to === 'src/domain/metrics.ts'))
      .concat(intoServer.filter((edge) => !edge.typeOnly && !PLAIN_LISTS.test(edge.to)))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(wrong).toEqual([]);
    const plainLists = [...new Set(intoServer.filter((edge) => !edge.typeOnly).map((edge) => edge.to))];
    for (const file of plainLists) expect(readFileSync(`${ROOT}${file}`, 'utf8'), file).not.toMatch(/^import /m);
  });
});
