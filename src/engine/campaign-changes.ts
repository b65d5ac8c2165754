// The ledger's rows that change a campaign's status or budget: the cycle's actions, which it writes
// to the campaign (bumping its version), a person's pause or resume by hand (bumping it too), and a
// change made on the campaign's ad platform outside Nightshift, which a sync brought in (bumping it too). Auto-revive reads the last of them (a
// campaign changed on its platform since the engine paused it is not the engine's pause any
// more), and a replay undoes those made after its instant.
export const CAMPAIGN_CHANGES: readonly string[] = [
  'auto_pause',
  'auto_scale_up',
  'auto_resume',
  'manual_pause',
  'manual_resume',
  'external_change',
];
