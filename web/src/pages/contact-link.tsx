// A contact named as people know it (its name, else its e-mail or phone), linked to its page, with
// its e-mail and phone under the name.
import type { ContactRecord } from '../../../src/contract/contacts.ts';
import { href } from '../lib/route.ts';

export const nameOf = (c: ContactRecord) => [c.first_name, c.last_name].filter(Boolean).join(' ');

export function ContactLink({ contact: c }: { contact: ContactRecord }) {
  const name = nameOf(c);
  return (
    <>
      <a href={href('contacts', c.id)}>{name || c.email || c.phone}</a>
      {name && <div className="muted small">{[c.email, c.phone].filter(Boolean).join(' · ')}</div>}
    </>
  );
}
