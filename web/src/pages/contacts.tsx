// #/contacts: the tenant's contacts, found by e-mail, name or phone, each with its status and (for
// members) its entries on the suppression list; members import a CSV above them. Below, the
// suppression list itself: searched, filtered by channel, and added to by hand (admins).
// #/contacts/<id>: one contact and its history. #/contacts/segments (and /<id>): the segments.
import { useState } from 'react';
import { useSession } from '../auth/session-context.tsx';
import { href } from '../lib/route.ts';
import { ContactDetail } from './contact-detail.tsx';
import { ContactImport } from './contacts-import.tsx';
import { ContactList } from './contacts-list.tsx';
import { SegmentDetail } from './segment-detail.tsx';
import { SegmentList } from './segments-list.tsx';
import { SuppressionList } from './suppressions-list.tsx';
import './campaigns.css';
import './delivery.css';
import './contacts.css';

export function ContactsPage({ rest }: { rest: string[] }) {
  const [first, second] = rest;
  const segments = first === 'segments';
  return (
    <div className="delivery-page">
      <h1>Contacts</h1>
      <nav className="subnav" aria-label="Contacts">
        <a href={href('contacts')} aria-current={segments ? undefined : 'page'}>
          People
        </a>
        <a href={href('contacts', 'segments')} aria-current={segments ? 'page' : undefined}>
          Segments
        </a>
      </nav>
      {/* key: another contact or segment starts with fresh state (outcome messages, forms). */}
      {segments ? (
        second ? (
          <SegmentDetail key={second} id={second} />
        ) : (
          <SegmentList />
        )
      ) : first ? (
        <ContactDetail key={first} id={first} />
      ) : (
        <People />
      )}
    </div>
  );
}

function People() {
  const { can } = useSession();
  // Bumped by an import: the list is read again from its first page.
  const [imports, setImports] = useState(0);
  return (
    <>
      {can('member') && <ContactImport onImported={() => setImports((n) => n + 1)} />}
      <ContactList key={imports} />
      {can('member') ? (
        <SuppressionList />
      ) : (
        <p className="notice empty">The suppression list is shown to members and admins.</p>
      )}
    </>
  );
}
