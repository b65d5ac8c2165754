export function SocialPage() {
  return <h1>SocialPage</h1>;
}
