export function OpportunitiesPage() {
  return <h1>OpportunitiesPage</h1>;
}
