// The lengths a channel tolerates. Every writer of copy (the agents, the optimizer, the loop's
// checks) keeps to these, so nothing Nightshift writes is cut off by an inbox or a carrier.

/** Inboxes cut subjects at 60-70 characters on desktop and ~40 on phones; 60 keeps them whole. */
export const SUBJECT_MAX_CHARACTERS = 60;

/** One SMS segment in GSM-7; longer messages are split and billed per segment. */
export const SMS_MAX_CHARACTERS = 160;

/** X's limit per post; the tightest of the social platforms Nightshift posts to. */
export const SOCIAL_POST_MAX_CHARACTERS = 280;

/** Characters as people count them (code points), not UTF-16 units. */
export const characterCount = (text: string) => Array.from(text).length;
