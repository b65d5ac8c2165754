// Counts in the command line's sentences: "1 opportunity", "3 opportunities", never "1 opportunities".

/** `count` and the noun that agrees with it; `many` where English adds more than an s. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
