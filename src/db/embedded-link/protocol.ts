// The embedded link's wire format (docs/cli.md, "While the server runs"): JSON requests and answers
// over a Unix socket, one operation each. Values keep their JavaScript types across it (a Date
// stays a Date, bytes stay bytes), and an error keeps the fields callers test (a Postgres error's
// code and constraint, a lock's holder), so a command cannot tell the link from the database.
import { LockWaitTimeoutError, WorkCancelledError } from '../work-locks.ts';

export type LinkRequest =
  | { op: 'begin'; lock?: string; isolation?: 'repeatable read'; begin?: string; rollback?: boolean }
  | { op: 'query'; tx: string; text: string; params: unknown[] }
  | { op: 'exec'; tx: string; text: string }
  | { op: 'copy'; tx: string; table: string; columns: string[]; csv: string }
  | { op: 'end'; tx: string; commit: boolean }
  | { op: 'lock'; key: string; what: string; holder: string; waitMs: number }
  | { op: 'unlock'; lock: string }
  | { op: 'holder'; key: string }
  | { op: 'cancel'; key: string }
  | { op: 'about' };

/** What the server says of itself: where its dashboard is, and its process. */
export interface ServerAbout {
  url: string;
  pid: number;
}

export interface LinkError {
  name: string;
  message: string;
  /** The string fields of a Postgres error: code, detail, constraint, table, column, hint… */
  fields: Record<string, string>;
  /** A lock's holder, for LockWaitTimeoutError. */
  current?: unknown;
}

const TAG = '$nightshift$';
const POSTGRES_ERROR_FIELDS = ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity'];

/** JSON of a value, its dates and bytes tagged (JSON alone would turn them into strings and objects). */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, plain) {
    const raw = this[key];
    if (raw instanceof Date) return { [TAG]: 'date', v: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
    if (raw instanceof Uint8Array) return { [TAG]: 'bytes', v: Buffer.from(raw).toString('base64') };
    return plain;
  });
}

export function decode<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, value) => {
    if (value && typeof value === 'object' && TAG in value) {
      if (value[TAG] === 'date') return new Date(value.v ?? Number.NaN);
      if (value[TAG] === 'bytes') return new Uint8Array(Buffer.from(value.v, 'base64'));
    }
    return value;
  });
}

export function errorToWire(error: unknown): LinkError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string> = {};
  for (const field of POSTGRES_ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string') fields[field] = value;
  }
  return {
    name: error.name,
    message: error.message,
    fields,
    ...(error instanceof LockWaitTimeoutError ? { current: error.current } : {}),
  };
}

/** The error again, of the class callers test for where it has one. */
export function errorFromWire(wire: LinkError): Error {
  const prototype =
    wire.name === 'LockWaitTimeoutError'
      ? LockWaitTimeoutError.prototype
      : wire.name === 'WorkCancelledError'
        ? WorkCancelledError.prototype
        : Error.prototype;
  const error = Object.assign(Object.create(prototype) as Error, wire.fields, {
    message: wire.message,
    name: wire.name,
    ...(wire.current !== undefined ? { current: wire.current } : {}),
  });
  Error.captureStackTrace(error, errorFromWire);
  return error;
}
