// The event as a webhook receives it (docs/notifications.md): a stable envelope around the event's
// data. `id` is the idempotency key: the same event sent again (a retry, a resend, a worker that
// died after the receiver answered) carries the same id, so a receiver that saw it can skip it.

export interface EventEnvelope {
  id: string;
  type: string;
  /** When the event happened, ISO 8601 (UTC). */
  created: string;
  tenant: { id: string; slug: string };
  data: Record<string, unknown>;
}

export interface EnvelopeEvent {
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  event_created_at: Date;
}

export function envelopeOf(event: EnvelopeEvent, tenant: { id: string; slug: string }): EventEnvelope {
  return {
    id: event.event_id,
    type: event.event_type,
    created: event.event_created_at.toISOString(),
    tenant: { id: tenant.id, slug: tenant.slug },
    data: event.event_data,
  };
}
