// #/contacts: the tenant's contacts, found by e-mail, name or phone, each with its status and (for
// members) its entries on the suppression list; and the suppression list itself: searched,
// filtered by channel, and added to by hand (admins).
import { useSession } from '../auth/session-context.tsx';
import { ContactList } from './contacts-list.tsx';
import { SuppressionList } from './suppressions-list.tsx';
import './campaigns.css';
import './delivery.css';

export function ContactsPage() {
  const { can } = useSession();
  return (
    <div className="delivery-page">
      <h1>Contacts</h1>
      <ContactList />
      {can('member') ? (
        <SuppressionList />
      ) : (
        <p className="notice empty">The suppression list is shown to members and admins.</p>
      )}
    </div>
  );
}
