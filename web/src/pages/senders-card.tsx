// One channel's sender: its status (and the provider's words when it refused the credentials), its
// last test, and for admins the switch, the form and the test button; members see the settings.
import { Fragment, useState } from 'react';
import type { SenderRecord } from '../../../src/contract/senders.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { dateTime } from '../lib/format.ts';
import { EmailSenderForm } from './senders-email-form.tsx';
import { SmsSenderForm } from './senders-sms-form.tsx';
import { SenderTest } from './senders-test.tsx';

type Channel = SenderRecord['channel'];
const TITLE: Record<Channel, string> = { email: 'E-mail (SMTP)', sms: 'SMS (Twilio)' };

export function SenderCard({
  channel,
  sender,
  onChange,
}: {
  channel: Channel;
  sender: SenderRecord | undefined;
  onChange: () => void;
}) {
  const { can } = useSession();
  const admin = can('admin');
  const Form = channel === 'email' ? EmailSenderForm : SmsSenderForm;
  return (
    <section className="panel sender-card" aria-labelledby={`sender-${channel}`} data-testid={`sender-${channel}`}>
      <div className="row spread">
        <h2 id={`sender-${channel}`}>{TITLE[channel]}</h2>
        {sender ? <Badge value={sender.status} /> : <Badge value="not set up" />}
      </div>
      {sender?.status === 'needs_attention' && (
        <div className="notice error" role="alert">
          <strong>Needs attention:</strong> the provider refused the credentials, and nothing goes out on this channel
          until the sender is saved again. {sender.last_error && <q>{sender.last_error}</q>}
        </div>
      )}
      {sender && (
        <div className="card">
          <dl>
            <dt>Last test</dt>
            <dd data-testid="sender-test-result">
              {sender.tested_at ? `${dateTime(sender.tested_at)}: ${sender.test_result ?? ''}` : 'Never tested'}
            </dd>
            <dt>Saved</dt>
            <dd>{dateTime(sender.updated_at)}</dd>
            {!admin && <Settings settings={sender.settings} />}
          </dl>
        </div>
      )}
      {!sender && !admin && <p className="muted">Not set up: an admin sets it up here.</p>}
      {admin && sender && <EnabledSwitch sender={sender} onChange={onChange} />}
      {admin && <Form sender={sender} onSaved={onChange} />}
      {admin && sender && <SenderTest channel={channel} onTested={onChange} />}
    </section>
  );
}

function Settings({ settings }: { settings: Record<string, unknown> }) {
  return Object.entries(settings).map(([key, value]) => (
    <Fragment key={key}>
      <dt>{key.replaceAll('_', ' ')}</dt>
      <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
    </Fragment>
  ));
}

function EnabledSwitch({ sender, onChange }: { sender: SenderRecord; onChange: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const enable = sender.status === 'disabled';
  async function flip() {
    setBusy(true);
    setError(undefined);
    try {
      await request(`/api/senders/${sender.channel}/enabled`, { method: 'POST', body: { enabled: enable } });
      onChange();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="row">
      <button type="button" disabled={busy} onClick={() => void flip()}>
        {enable ? 'Turn on' : 'Turn off'}
      </button>
      <span className="muted small">{enable ? 'Off: nothing is sent on this channel.' : 'On.'}</span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
