// #/campaigns: the table of campaigns; #/campaigns/<id>: one campaign.
import { CampaignDetail } from './campaigns-detail.tsx';
import { CampaignList } from './campaigns-list.tsx';
import './campaigns.css';

export function CampaignsPage({ campaignId }: { campaignId?: string }) {
  // key: a different campaign starts with fresh state (outcome messages, switches).
  return campaignId ? <CampaignDetail key={campaignId} id={campaignId} /> : <CampaignList />;
}
