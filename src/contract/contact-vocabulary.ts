// A contact's statuses, a plain list (no zod) so the dashboard's filter takes it as a value.
export const CONTACT_STATUSES = ['active', 'unsubscribed', 'bounced'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
