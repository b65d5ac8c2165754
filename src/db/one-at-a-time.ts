// Work on one connection, one callback after another in the order they asked: callers may start
// several at once, and they queue as they would for a pooled connection.
export function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = tail.then(work);
    // A failed callback fails its caller only; the next one still runs.
    tail = next.catch(() => {});
    return next;
  };
}
