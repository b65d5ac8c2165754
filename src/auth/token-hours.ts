// A module of its own, without the JWT library, so that `nightshift --help` can show the default
// lifetime without loading what mints tokens.

/**
 * How long a token minted here lasts unless asked otherwise (the CLI's, the sign-in link's, a
 * tenant switch's): a working day. A leaked token is good for hours, not a month; a person who
 * is removed or demoted loses the rights at once anyway (the server checks membership).
 */
export const TOKEN_HOURS = 12;
