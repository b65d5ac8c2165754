// Who acts on a ledger row after the fact: a person (a user of the tenant, signed in with a token)
// or a script (the API key it signed in with). Neither, for the engine's own rows and for a caller
// the database does not know: nobody is recorded rather than a reference to a missing row.
export interface DecidedBy {
  userId?: string;
  apiKeyId?: string;
}
