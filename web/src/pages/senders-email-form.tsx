// The e-mail sender's form (PUT /api/senders/email): the SMTP server, who the mail is from, how
// fast it goes, DKIM signing and tracking. The password and the DKIM key are write-only.
import type { SenderRecord } from '../../../src/contract/senders.ts';
import { messageFor, SelectField } from './rules-fields.tsx';
import { filled, inputsOf, numberOf, secretHint, textOf, useSenderForm, type Values } from './senders-form.tsx';
import { SenderFormFoot } from './senders-form-foot.tsx';

const SECURITY = [
  { value: 'starttls', label: 'STARTTLS (port 587)' },
  { value: 'tls', label: 'TLS (port 465)' },
  { value: 'none', label: 'None (a relay on this host only)' },
] as const;

function initial(sender: SenderRecord | undefined): Values {
  const s = sender?.settings ?? {};
  const dkim = (s.dkim ?? {}) as Record<string, unknown>;
  return {
    host: textOf(s.host),
    port: textOf(s.port ?? 587),
    security: textOf(s.security ?? 'starttls'),
    username: textOf(s.username),
    password: '',
    from_address: textOf(s.from_address),
    from_name: textOf(s.from_name),
    reply_to: textOf(s.reply_to),
    max_connections: textOf(s.max_connections ?? 5),
    rate_per_second: textOf(s.rate_per_second),
    dkim_domain: textOf(dkim.domain),
    dkim_selector: textOf(dkim.selector),
    dkim_private_key: '',
    track_opens: String(s.track_opens ?? true),
    track_clicks: String(s.track_clicks ?? true),
  };
}

function body(v: Values) {
  const dkim =
    v.dkim_domain || v.dkim_selector
      ? filled({ domain: v.dkim_domain, selector: v.dkim_selector, private_key: v.dkim_private_key })
      : undefined;
  return filled({
    host: v.host,
    port: numberOf(v.port),
    security: v.security,
    username: v.username,
    password: v.password,
    from_address: v.from_address,
    from_name: v.from_name,
    reply_to: v.reply_to,
    max_connections: numberOf(v.max_connections),
    rate_per_second: numberOf(v.rate_per_second),
    dkim,
    track_opens: v.track_opens === 'true',
    track_clicks: v.track_clicks === 'true',
  });
}

export function EmailSenderForm({ sender, onSaved }: { sender: SenderRecord | undefined; onSaved: () => void }) {
  const form = useSenderForm('email', initial(sender), ['password', 'dkim_private_key'], onSaved);
  const { text, number } = inputsOf(form, (name) => name.replace('dkim_', 'dkim.'));
  const { values, set, error } = form;
  return (
    <form className="panel" aria-label="E-mail sender" onSubmit={(e) => void form.save(body)(e)}>
      <h3>SMTP server</h3>
      {text('host', 'Host')}
      {number('port', 'Port')}
      <SelectField
        id="email-security"
        label="Security"
        value={values.security ?? 'starttls'}
        options={SECURITY}
        error={messageFor(error, 'security')}
        onChange={set('security')}
      />
      {text('username', 'Username')}
      {text('password', 'Password', { type: 'password', hint: secretHint(sender, 'password') })}
      <h3>From</h3>
      {text('from_address', 'From address', { type: 'email' })}
      {text('from_name', 'From name')}
      {text('reply_to', 'Reply-to address', { type: 'email' })}
      <h3>Pace</h3>
      {number('max_connections', 'Connections')}
      {number('rate_per_second', 'Messages per second', { placeholder: 'Unlimited' })}
      <h3>DKIM signing (optional)</h3>
      {text('dkim_domain', 'Domain')}
      {text('dkim_selector', 'Selector')}
      {text('dkim_private_key', 'Private key (PEM)', {
        type: 'password',
        hint: secretHint(sender, 'dkim_private_key'),
      })}
      <h3>Tracking</h3>
      <Check name="track_opens" label="Track opens (a pixel)" values={values} set={set} />
      <Check name="track_clicks" label="Track clicks (links go through Nightshift)" values={values} set={set} />
      <SenderFormFoot form={form} saveLabel="Save e-mail sender" />
    </form>
  );
}

function Check({
  name,
  label,
  values,
  set,
}: {
  name: string;
  label: string;
  values: Values;
  set: (n: string) => (v: string) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={values[name] === 'true'} onChange={(e) => set(name)(String(e.target.checked))} />
      {label}
    </label>
  );
}
