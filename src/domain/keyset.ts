// Where a page starts: the sort value and id of the last row of the page before (keyset
// pagination). Repositories list rows strictly after it, newest first.
export interface Keyset {
  /** The sort value of the last row seen, as text (a timestamp keeps its microseconds). */
  after: string;
  id: string;
}
