// A valid body for every route that addresses a row by `{id}` and takes a body: the isolation test
// sends it with another tenant's id, so the request gets past validation to the tenant check.
export const VALID_BODIES: Record<string, unknown> = {
  'PATCH /api/tenants/{id}': { name: 'Renamed' },
  'PATCH /api/workspaces/{id}': { name: 'Renamed' },
  'PATCH /api/campaigns/{id}': { title: 'Renamed', version: 1 },
  'PUT /api/campaigns/{id}/autopilot': { enabled: false },
  'PATCH /api/contacts/{id}': { first_name: 'Renamed' },
  'PATCH /api/segments/{id}': { name: 'Renamed' },
  'POST /api/opportunities/{id}/dismiss': { note: 'Not for this quarter' },
  'POST /api/segments/{id}/members': { emails: ['someone@example.com'] },
  'DELETE /api/segments/{id}/members': { contact_ids: ['00000000-0000-4000-8000-000000000000'] },
  'PATCH /api/content/assets/{id}': { name: 'Renamed' },
  'POST /api/content/assets/{id}/variants': { subject: 'Hello' },
  'PATCH /api/content/variants/{id}': { subject: 'Renamed' },
  'PUT /api/rules/{id}': {
    rule_name: 'CTR floor',
    rule_type: 'pause',
    priority: 50,
    condition: { terms: [{ metric: 'ctr', window: '7d', operator: '<', threshold: 0.005 }], min_spend: 100 },
    action: { type: 'auto_pause' },
  },
  'PUT /api/rules/{id}/active': { is_active: false },
  'PUT /api/notification-destinations/{id}': {
    kind: 'webhook',
    name: 'Renamed',
    url: 'https://hooks.example.com/nightshift',
    subscriptions: [{ event_type: 'alert.raised' }],
  },
  'POST /api/notification-destinations/{id}/enabled': { enabled: false },
  'POST /api/ad-accounts/{id}/import': {},
  'POST /api/ad-accounts/{id}/sync': {},
};
