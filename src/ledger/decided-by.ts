// Who acts on a ledger row after the fact: a person (a user of the tenant, signed in with a token),
// a script (the API key it signed in with), or a person acting from a message, outside the
// dashboard (a link sent to an address, a Slack button), known only by name. None, for the
// engine's own rows and for a caller the database does not know: nobody is recorded rather than a
// reference to a missing row.
export interface DecidedBy {
  userId?: string;
  apiKeyId?: string;
  /** The person in words when neither a user nor a key: "ops@example.com", "Slack @alice (U123)". */
  name?: string;
}
