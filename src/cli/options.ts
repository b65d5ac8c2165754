// Option values the commands share, checked before anything runs (a bad one exits 64 with why).
import { UsageError } from './errors.ts';

/** `--name`'s value as a whole number from 1 to max. */
export function positiveInt(name: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`--${name} expects a whole number from 1 to ${max} (got ${JSON.stringify(value)})`);
  }
  return Number(value);
}
