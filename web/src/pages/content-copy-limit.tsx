// The count a copy field is held to, shown as it is typed: a subject's characters against what
// inboxes show whole, an SMS's segments as carriers bill them (GSM-7 or UCS-2), a social post's
// characters against X's limit. The same limits every writer of copy in Nightshift keeps to.

import type { CopyField } from '../../../src/contract/content-vocabulary.ts';
import { smsSegments } from '../../../src/delivery/sms-segments.ts';
import {
  characterCount,
  SMS_MAX_CHARACTERS,
  SOCIAL_POST_MAX_CHARACTERS,
  SUBJECT_MAX_CHARACTERS,
} from '../../../src/domain/channel-limits.ts';

/** What the counter says, and whether the copy is over its channel's limit. */
export function copyLimit(field: CopyField, text: string): { words: string; over: boolean } {
  const characters = characterCount(text);
  if (field === 'subject') {
    return { words: `${characters} / ${SUBJECT_MAX_CHARACTERS} characters`, over: characters > SUBJECT_MAX_CHARACTERS };
  }
  if (field === 'sms_copy') {
    const { encoding, segments } = smsSegments(text);
    const words = `${characters} characters · ${segments} ${segments === 1 ? 'segment' : 'segments'} (${encoding})`;
    return { words: segments > 1 ? `${words}: billed as ${segments} messages` : words, over: segments > 1 };
  }
  if (field === 'social_post') {
    return {
      words: `${characters} / ${SOCIAL_POST_MAX_CHARACTERS} characters`,
      over: characters > SOCIAL_POST_MAX_CHARACTERS,
    };
  }
  return { words: `${characters} characters`, over: false };
}

export function CopyLimit({ id, field, text }: { id: string; field: CopyField; text: string }) {
  const { words, over } = copyLimit(field, text);
  const title = field === 'sms_copy' ? `One segment holds ${SMS_MAX_CHARACTERS} GSM-7 characters` : undefined;
  return (
    <span
      id={id}
      className={`copy-limit small ${over ? 'tone-warn' : 'muted'}`}
      title={title}
      data-testid="copy-limit"
      aria-live="polite"
    >
      {words}
    </span>
  );
}
