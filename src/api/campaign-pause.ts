// POST /api/campaigns/{id}/pause and …/resume: a person's pause or resume by hand, a ledger row
// naming them (src/services/campaign-pause.ts), rolled back from the actions like any other.
import { campaignByHandOutcome } from '../contract/campaigns.ts';
import { pauseCampaign, resumeCampaign } from '../services/campaign-pause.ts';
import type { ApiRouter } from './router.ts';
import { idParams } from './schemas.ts';

const LINKED =
  'A campaign linked to an ad platform changes there first: the ledger row is `applying` and the campaign keeps ' +
  'its status until the platform confirms (then the row is executed, or failed with the platform’s words).';

export function campaignPauseRoutes(api: ApiRouter): void {
  const tag = 'Campaigns';
  const responses = {
    200: { description: 'The ledger row written and the campaign as it now is', schema: campaignByHandOutcome },
  };

  api.tenant(
    {
      method: 'post',
      path: '/api/campaigns/{id}/pause',
      tag,
      summary: 'Pause a campaign by hand',
      description: `An active, scheduled or sending campaign becomes paused, recorded as a manual_pause action decided by the caller (409 from any other status). ${LINKED}`,
      access: 'member',
      params: idParams,
      responses,
    },
    async ({ c, db, principal, params }) => {
      return c.json(await pauseCampaign(db, principal.tenantId, params.id, principal));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/campaigns/{id}/resume',
      tag,
      summary: 'Resume a paused campaign by hand',
      description: `A paused campaign goes back to the status its last pause found it in (active when the ledger holds none), recorded as a manual_resume action decided by the caller (409 unless paused). ${LINKED}`,
      access: 'member',
      params: idParams,
      responses,
    },
    async ({ c, db, principal, params }) => {
      return c.json(await resumeCampaign(db, principal.tenantId, params.id, principal));
    },
  );
}
