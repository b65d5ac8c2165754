// V8 flags of the HTTP server process (bin/nightshift.mjs starts `serve` with them; bench/api.ts
// gives its server worker the same young generation). Plain JavaScript, as bin/nightshift.mjs is.

/**
 * The HTTP server's young generation, in MB a semispace. On a machine with memory to spare V8 grows
 * it to 64 MB, and a scavenge of that took 8-15 ms here, once a second at 200 requests/s: every
 * request arriving meanwhile waited, which made the API's p99 (issue 4). At 8 MB a scavenge takes
 * about 2 ms, for the same CPU a request.
 */
export const SERVER_SEMI_SPACE_MB = 8;
export const SERVER_NODE_FLAGS = [`--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`];
