// A finished job's result in one line for the log, "actions taken 2, guardrail stops 3": its
// counts that are not zero and its lists that are not empty (by their length), one level into
// nested objects ("reconciled unconfirmed 1"). Ids and text are left to the full result, which is
// logged at debug level and kept in the run history (schedule_runs.result).

/** What the result says was done, or undefined when every count is zero and every list empty. */
export function whatTheJobDid(result: Record<string, unknown>, prefix = ''): string | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(result)) {
    const name = `${prefix}${key.replaceAll('_', ' ')}`;
    if (typeof value === 'number' && value !== 0) parts.push(`${name} ${value}`);
    else if (Array.isArray(value) && value.length > 0) parts.push(`${name} ${value.length}`);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && prefix === '') {
      const inner = whatTheJobDid(value as Record<string, unknown>, `${name} `);
      if (inner) parts.push(inner);
    }
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}
