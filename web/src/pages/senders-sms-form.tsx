// The SMS sender's form (PUT /api/senders/sms): the Twilio account (its auth token write-only),
// the number or Messaging Service messages come from, how many go at once, and the quiet hours.
import type { SenderRecord } from '../../../src/contract/senders.ts';
import { filled, inputsOf, numberOf, secretHint, textOf, useSenderForm, type Values } from './senders-form.tsx';
import { SenderFormFoot } from './senders-form-foot.tsx';

function initial(sender: SenderRecord | undefined): Values {
  const s = sender?.settings ?? {};
  const quiet = (s.quiet_hours ?? { start_hour: 21, end_hour: 8 }) as Record<string, unknown>;
  return {
    account_sid: textOf(s.account_sid),
    auth_token: '',
    from_number: textOf(s.from_number),
    messaging_service_sid: textOf(s.messaging_service_sid),
    max_in_flight: textOf(s.max_in_flight ?? 4),
    quiet_start: textOf(quiet.start_hour),
    quiet_end: textOf(quiet.end_hour),
  };
}

function body(v: Values) {
  return filled({
    account_sid: v.account_sid,
    auth_token: v.auth_token,
    from_number: v.from_number,
    messaging_service_sid: v.messaging_service_sid,
    max_in_flight: numberOf(v.max_in_flight),
    quiet_hours: { start_hour: numberOf(v.quiet_start), end_hour: numberOf(v.quiet_end) },
  });
}

const API_FIELD: Record<string, string> = { quiet_start: 'quiet_hours.start_hour', quiet_end: 'quiet_hours.end_hour' };

export function SmsSenderForm({ sender, onSaved }: { sender: SenderRecord | undefined; onSaved: () => void }) {
  const form = useSenderForm('sms', initial(sender), ['auth_token'], onSaved);
  const { text, number } = inputsOf(form, (name) => API_FIELD[name] ?? name);
  return (
    <form className="panel" aria-label="SMS sender" onSubmit={(e) => void form.save(body)(e)}>
      <h3>Twilio account</h3>
      {text('account_sid', 'Account SID', { placeholder: 'AC…' })}
      {text('auth_token', 'Auth token', { type: 'password', hint: secretHint(sender, 'auth_token') })}
      {text('from_number', 'From number', { placeholder: '+14155550100' })}
      {text('messaging_service_sid', 'Messaging Service SID (instead of a number)', { placeholder: 'MG…' })}
      {number('max_in_flight', 'Messages at once')}
      <h3>Quiet hours (the contact’s time zone)</h3>
      {number('quiet_start', 'From hour')}
      {number('quiet_end', 'Until hour')}
      <SenderFormFoot form={form} saveLabel="Save SMS sender" />
    </form>
  );
}
