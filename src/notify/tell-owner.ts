// A destination turned off for failing is told to the person who added it, by e-mail through the
// tenant's e-mail sender (the destination that failed cannot carry the news). Without a sender,
// the destination.disabled event (to the tenant's other destinations) and the dashboard tell it.
import type { Database } from '../db/port.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { tenantTransports } from '../delivery/sender-transports.ts';
import { eventEmail } from './email-message.ts';

export interface DisabledDestination {
  id: string;
  name: string;
  kind: string;
  owner: string | null;
  reason: string;
  at: Date;
}

/** Returns the addresses told; a sender's refusal is returned in words, never thrown. */
export async function tellOwners(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  disabled: readonly DisabledDestination[],
): Promise<{ told: string[]; problems: string[] }> {
  const result = { told: [] as string[], problems: [] as string[] };
  const owned = disabled.filter((d) => d.owner);
  if (owned.length === 0) return result;
  const transport = (await db.session((s) => tenantTransports(s, tenantId, deps))).transports.email;
  if (!transport) return result;
  try {
    for (const destination of owned) {
      const mail = eventEmail(
        {
          event_id: destination.id,
          event_type: 'destination.disabled',
          event_data: {
            reason: `Nightshift turned off “${destination.name}” (${destination.kind}): ${destination.reason}. Fix it, then turn it on again under Notifications.`,
          },
          event_created_at: destination.at,
        },
        deps.publicUrl,
        [],
      );
      try {
        await transport.send({
          id: `notify-owner.${destination.id}.${destination.at.getTime()}`,
          to: destination.owner!,
          ...mail,
        });
        result.told.push(destination.owner!);
      } catch (error) {
        result.problems.push(`${destination.owner}: ${(error as Error).message}`);
      }
    }
  } finally {
    await transport.close();
  }
  return result;
}
