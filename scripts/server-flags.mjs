// V8 flags of the HTTP server process (bin/nightshift.mjs starts `serve` with them; bench/api.ts
// gives its server worker the same young generation). Plain JavaScript, as bin/nightshift.mjs is.

/**
 * The HTTP server's young generation, in MB a semispace. On a machine with memory to spare V8 grows
 * it to 64 MB, and a scavenge of that took 8-15 ms here, once a second at 200 requests/s: every
 * request arriving meanwhile waited, which made the API's p99 (issue 4). At 16 MB one takes 3-6 ms.
 * At 8 MB, 2-4 ms, but a 10,000-row stats batch then lives long enough to be promoted, and
 * ingestion fell below its 50,000 rows/s in one run of five.
 */
export const SERVER_SEMI_SPACE_MB = 16;
export const SERVER_NODE_FLAGS = [`--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`];
