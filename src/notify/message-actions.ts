// What a person can do from a message about an event: approve or dismiss a suggestion, roll back
// an action. Each is a signed, single-use link to a confirmation page (src/notify/action-links.ts
// issues them); in Slack, a button whose value is the same link's token.

export interface MessageAction {
  operation: 'approve' | 'dismiss' | 'rollback';
  label: string;
  /** The confirmation page: opening it changes nothing; its button acts. */
  url: string;
  /** The link's token, the value of a Slack button. */
  token: string;
}
