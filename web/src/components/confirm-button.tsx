// A button that asks first (rollback, kill switch): a modal dialog, keyboard-usable (Escape
// cancels, focus starts on Cancel).
import { type ReactNode, useEffect, useRef, useState } from 'react';

export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel = label,
  onConfirm,
  disabled,
  className = '',
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && (
        <dialog ref={dialog} className="dialog" aria-label={title} onClose={() => setOpen(false)}>
          <h3>{title}</h3>
          <div className="dialog-body">{children}</div>
          <div className="dialog-actions">
            {/* biome-ignore lint/a11y/noAutofocus: a dialog's focus belongs on its safe choice */}
            <button type="button" autoFocus onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {confirmLabel}
            </button>
          </div>
        </dialog>
      )}
    </>
  );
}
