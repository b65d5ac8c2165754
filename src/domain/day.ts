/** One day in milliseconds: the span of every UTC calendar day the engine and the loop count in. */
export const DAY_MS = 86_400_000;
