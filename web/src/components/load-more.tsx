// The "Load more" footer under a cursor-paged list, with the error of the last attempt.
import { Spinner } from './status.tsx';

/** What the footer needs from a paged list (both paged-list hooks provide it). */
export interface MorePages {
  hasMore: boolean;
  loadingMore: boolean;
  moreError: Error | undefined;
  loadMore: () => void;
}

/** "Load more" under a list, while the API has a next page; `what` names the rows in its messages. */
export function LoadMore({ list, what }: { list: MorePages; what?: string }) {
  if (!list.hasMore && !list.moreError) return null;
  const rows = what ? ` ${what}` : '';
  return (
    <div className="load-more">
      {list.moreError && (
        <p className="field-error" role="alert">
          Could not load more{rows}: {list.moreError.message}
        </p>
      )}
      {list.hasMore && (
        <button type="button" onClick={list.loadMore} disabled={list.loadingMore}>
          {list.loadingMore && <Spinner label={`Loading more${rows}`} />}
          Load more
        </button>
      )}
    </div>
  );
}
