// A webhook's signing secret: the API answers it once (when the webhook is made, or the secret
// rolled), so the page shows it once, with a copy button, until the admin says it is stored.
import { useState } from 'react';
import type { DestinationRecord } from '../../../src/contract/notifications.ts';
import { request } from '../api/client.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';

export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<string>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied.');
    } catch {
      // No clipboard (an insecure origin, a refused permission): the text is there to select.
      setCopied('Could not copy: select the secret and copy it.');
    }
  }
  return (
    <section className="notice secret-once" aria-label="Signing secret">
      <p className="full">
        <strong>Signing secret.</strong> Shown once: store it where your receiver verifies Nightshift-Signature.
      </p>
      <code data-testid="signing-secret">{secret}</code>
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="link" onClick={onDone}>
          I stored it
        </button>
        {copied && (
          <span role="status" className="muted small">
            {copied}
          </span>
        )}
      </div>
    </section>
  );
}

/** "Roll secret": asked first, since the old secret stops verifying at once. */
export function RollSecret({
  destination,
  onRolled,
  onError,
}: {
  destination: DestinationRecord;
  onRolled: (secret: string) => void;
  onError: (message: string) => void;
}) {
  async function roll() {
    try {
      const { signing_secret } = await request<{ signing_secret: string }>(
        `/api/notification-destinations/${destination.id}/signing-secret`,
        { method: 'POST' },
      );
      onRolled(signing_secret);
    } catch (failure) {
      onError((failure as Error).message);
    }
  }
  return (
    <ConfirmButton
      label="Roll secret"
      title={`Roll the signing secret of ${destination.name}?`}
      onConfirm={() => void roll()}
    >
      A new secret signs every request from now on; the old one stops verifying at once, so your receiver needs the new
      one before the next event.
    </ConfirmButton>
  );
}
