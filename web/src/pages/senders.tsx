// #/senders: how the tenant sends (GET /api/senders): the e-mail sender (SMTP) and the SMS sender
// (Twilio), each with its status, the provider's last refusal when it needs attention, and its
// last test; for admins the forms (secrets are write-only: the page says whether one is set and
// takes a new one) and "Send a test message"; the address inbound mail is posted to.
import type { SenderList } from '../../../src/contract/senders.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async } from '../components/status.tsx';
import { SenderCard } from './senders-card.tsx';
import './delivery.css';

export function SendersPage() {
  const { can } = useSession();
  return (
    <div className="delivery-page senders-page">
      <h1>Senders</h1>
      {can('member') ? <Senders /> : <p className="notice empty">The senders are shown to members and admins.</p>}
    </div>
  );
}

function Senders() {
  const loaded = useApi<SenderList>('/api/senders');
  return (
    <Async loaded={loaded} what="the senders">
      {({ data, inbound_mail_url }) => (
        <>
          <div className="sender-cards">
            <SenderCard channel="email" sender={data.find((s) => s.channel === 'email')} onChange={loaded.reload} />
            <SenderCard channel="sms" sender={data.find((s) => s.channel === 'sms')} onChange={loaded.reload} />
          </div>
          <section className="card inbound-url" aria-labelledby="inbound-title">
            <h2 id="inbound-title">Inbound mail</h2>
            <p className="small">
              Have your mail server (or provider’s inbound route) post the raw messages that reach your reply-to address
              here, so replies end a contact’s sequence and bounces and complaints suppress the address:
            </p>
            <code data-testid="inbound-mail-url">{inbound_mail_url}</code>
            <p className="muted small">The address is signed for this tenant: keep it private.</p>
          </section>
        </>
      )}
    </Async>
  );
}
