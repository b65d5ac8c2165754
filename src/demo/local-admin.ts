// The local admin's address, in a module of its own so that `nightshift --help` can show it
// without loading the demo generator.

/** The member the demo data creates for `npm start`'s sign-in link and `nightshift token`'s default. */
export const LOCAL_ADMIN_EMAIL = 'admin@nightshift.local';
