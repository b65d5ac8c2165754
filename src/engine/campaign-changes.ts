// The ledger's actions that change a campaign's status or budget: the cycle writes them to the
// campaign (bumping its version), auto-revive reads the last of them, and a replay undoes those
// made after its instant.
export const CAMPAIGN_CHANGES: readonly string[] = ['auto_pause', 'auto_scale_up', 'auto_resume'];
