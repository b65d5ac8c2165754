// The project's import graph, read from the source text: every static `import … from`, `export …
// from` and dynamic `import('…')` of a relative path, resolved to a path from the repository's
// root. Package imports are left out (the boundaries are between our own parts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time, a dependency on a shape only. */
  typeOnly: boolean;
}

// 1: `type`, 2: the path of a static import or re-export; 3: of a bare or dynamic import.
const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]|\bimport\s*\(?\s*['"](\.[^'"]+)['"]/g;

/** The relative imports of one file's text, resolved against its path (repository-relative). */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[2] ?? match[3]!;
    edges.push({ from: file, to: join(dirname(file), specifier), typeOnly: match[1] !== undefined });
  }
  return edges;
}

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...sourceFiles(root, path));
    } else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every relative import in the files under `dirs` (repository-relative folders). */
export function importGraph(root: string, dirs: readonly string[]): ImportEdge[] {
  return dirs.flatMap((dir) =>
    sourceFiles(root, dir).flatMap((file) => importsOf(file, readFileSync(resolve(root, file), 'utf8'))),
  );
}

export interface Boundary {
  /** Files under this folder (repository-relative, e.g. `src/domain/`) ... */
  from: string;
  /** ... may not import files under these. */
  to: readonly string[];
  /** Type-only imports of these files are allowed (shapes, not behaviour). */
  typesFrom?: readonly string[];
  why: string;
}

/** The imports that cross a boundary, as `from -> to (why)` lines. */
export function crossings(edges: readonly ImportEdge[], boundaries: readonly Boundary[]): string[] {
  const found: string[] = [];
  for (const edge of edges) {
    for (const b of boundaries) {
      if (!edge.from.startsWith(b.from)) continue;
      if (!b.to.some((to) => edge.to.startsWith(to))) continue;
      if (edge.typeOnly && b.typesFrom?.includes(edge.to)) continue;
      found.push(`${edge.from} -> ${edge.to} (${b.why})`);
    }
  }
  return found;
}
