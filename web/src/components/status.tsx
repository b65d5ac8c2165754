// Loading, failure and emptiness, the same everywhere: every view that reads shows one of these
// until its data is there.
import type { ReactNode } from 'react';
import type { Loaded } from '../api/use-api.ts';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="notice" aria-busy="true">
      <Spinner label={`Loading ${what}`} /> Loading {what}…
    </div>
  );
}

export function ErrorNotice({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="notice error" role="alert">
      <strong>Something went wrong.</strong> {error.message}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="notice empty">{children}</div>;
}

/** Renders `children(data)` once loaded; loading and error states before that. */
export function Async<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (loaded.data !== undefined) return <>{children(loaded.data)}</>;
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  return <Loading what={what} />;
}
