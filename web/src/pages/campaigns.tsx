export function CampaignsPage(_: { campaignId?: string }) {
  return <h1>CampaignsPage</h1>;
}
