export function SummariesPage() {
  return <h1>SummariesPage</h1>;
}
