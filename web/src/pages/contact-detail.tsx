// One contact (#/contacts/<id>): its fields and status (members change the status: unsubscribed
// stops every campaign reaching it, as the API says), its entries on the suppression list
// (members, as the API allows), and its history: every message campaigns sent it.
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { nameOf } from './contact-link.tsx';
import { ContactMessages } from './contact-messages.tsx';
import { ContactStatus } from './contact-status.tsx';
import { ContactSuppressions } from './contacts-suppressions.tsx';

export function ContactDetail({ id }: { id: string }) {
  const { can } = useSession();
  const loaded = useApi<ContactRecord>(`/api/contacts/${encodeURIComponent(id)}`);
  return (
    <section className="contact-detail" aria-labelledby="contact-title">
      <p>
        <a href={href('contacts')}>← Back to contacts</a>
      </p>
      <Async loaded={loaded} what="the contact">
        {(c) => (
          <>
            <h2 id="contact-title">{nameOf(c) || c.email || c.phone}</h2>
            <div className="delivery-grid">
              <div className="card" data-testid="contact-fields">
                <dl>
                  <dt>E-mail</dt>
                  <dd>{c.email ?? '—'}</dd>
                  <dt>Phone</dt>
                  <dd>{c.phone ?? '—'}</dd>
                  <dt>Company</dt>
                  <dd>{c.company ?? '—'}</dd>
                  <dt>Job title</dt>
                  <dd>{c.job_title ?? '—'}</dd>
                  <dt>Time zone</dt>
                  <dd>{c.timezone ?? '—'}</dd>
                  {Object.entries(c.attributes).map(([key, value]) => (
                    <Attribute key={key} name={key} value={value} />
                  ))}
                  <dt>Added</dt>
                  <dd>{dateTime(c.created_at)}</dd>
                </dl>
              </div>
              <div className="card">
                <ContactStatus contact={c} onChanged={loaded.reload} />
                <h3>Suppression list</h3>
                {can('member') ? (
                  <ContactSuppressions contact={c} />
                ) : (
                  <p className="muted small">The suppression list is shown to members and admins.</p>
                )}
              </div>
            </div>
            <ContactMessages contactId={c.id} />
          </>
        )}
      </Async>
    </section>
  );
}

function Attribute({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
    </>
  );
}
