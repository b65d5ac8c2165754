// The parts' boundaries (docs/architecture.md), held by the import graph: an import that crosses
// one fails here, naming the file, what it imports and which line it crosses.
import { describe, expect, it } from 'vitest';
import { type Boundary, crossings, importGraph, importsOf } from './support/import-graph.ts';

const ROOT = new URL('..', import.meta.url).pathname;

const BOUNDARIES: Boundary[] = [
  {
    from: 'src/domain/',
    to: ['src/db/', 'src/api/', 'src/server/'],
    why: 'the domain is pure: no database, no HTTP',
  },
  {
    from: 'src/api/',
    to: ['src/db/'],
    // A route hands the request's database to a service: it may name the port's types.
    typesFrom: ['src/db/port.ts'],
    why: 'routes call services; services reach the database',
  },
  {
    from: 'src/ads/',
    to: ['src/db/', 'src/api/', 'src/server/'],
    why: 'the connectors speak to the platforms; services keep what they say',
  },
  { from: 'src/engine/', to: ['src/cmo/'], why: 'the engine and the CMO loop meet in the ledger, not in each other' },
  { from: 'src/cmo/', to: ['src/engine/'], why: 'the engine and the CMO loop meet in the ledger, not in each other' },
  ...['src/', 'bench/', 'scripts/', 'simulation/', 'web/src/'].map((from) => ({
    from,
    to: ['test/'],
    why: 'tests depend on the product, never the other way',
  })),
];

describe('import boundaries', () => {
  it('no import crosses a boundary', () => {
    const edges = importGraph(ROOT, ['src', 'bench', 'scripts', 'simulation', 'web/src']);
    expect(edges.length).toBeGreaterThan(500);
    expect(crossings(edges, BOUNDARIES)).toEqual([]);
  });

  it('reads static, multi-line, type-only, re-exported and dynamic imports', () => {
    const text = [
      "import { a } from '../db/port.ts';",
      'import {',
      '  b,',
      '  c,',
      "} from './local.ts';",
      "import type { D } from '../api/routes.ts';",
      "export { e } from '../server/x.ts';",
      "const f = await import('../../test/support/y.ts');",
      "import 'package-name';",
    ].join('\n');
    expect(importsOf('src/domain/z.ts', text)).toEqual([
      { from: 'src/domain/z.ts', to: 'src/db/port.ts', typeOnly: false },
      { from: 'src/domain/z.ts', to: 'src/domain/local.ts', typeOnly: false },
      { from: 'src/domain/z.ts', to: 'src/api/routes.ts', typeOnly: true },
      { from: 'src/domain/z.ts', to: 'src/server/x.ts', typeOnly: false },
      { from: 'src/domain/z.ts', to: 'test/support/y.ts', typeOnly: false },
    ]);
  });

  it('reports a crossing, and lets a permitted type-only import through', () => {
    const edges = [
      { from: 'src/api/campaigns.ts', to: 'src/db/repositories/campaigns.ts', typeOnly: false },
      { from: 'src/api/campaigns.ts', to: 'src/db/port.ts', typeOnly: true },
      { from: 'src/api/campaigns.ts', to: 'src/db/port.ts', typeOnly: false },
      { from: 'src/engine/cycle.ts', to: 'src/domain/rules.ts', typeOnly: false },
    ];
    expect(crossings(edges, BOUNDARIES)).toEqual([
      'src/api/campaigns.ts -> src/db/repositories/campaigns.ts (routes call services; services reach the database)',
      'src/api/campaigns.ts -> src/db/port.ts (routes call services; services reach the database)',
    ]);
  });
});
