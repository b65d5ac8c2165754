// A person's edit made while the CMO loop runs is never lost: edits that land between the loop's
// read and its write (the test holds the loop there) stay, and the loop reports each change it
// skipped with what moved; the changes whose targets held still are applied.
import { describe, expect, it } from 'vitest';
import type { CampaignOptimizer } from '../src/agents/optimizer.ts';
import { runCmoLoop } from '../src/cmo/loop.ts';
import { addStep, assetRow, emailCampaign, variantRow } from './support/cmo-world.ts';
import { actionsOf, NOW } from './support/scenario.ts';
import { useTestApi } from './support/test-api.ts';

describe('the CMO loop and a person editing the same content', () => {
  const { db, tenantClients } = useTestApi();

  it('keeps edits that land between the loop’s read and its write, and says what it skipped', async () => {
    const { t, member } = await tenantClients();
    const campaignId = await emailCampaign(db(), t, { title: 'Edited meanwhile', sends: 100, replies: 5 });
    const email = await addStep(db(), t, campaignId, {
      step: 0,
      variants: [{ label: 'A' }, { label: 'B' }, { label: 'C' }],
    });
    const call = await addStep(db(), t, campaignId, {
      type: 'voice',
      step: 1,
      delayHours: 72,
      variants: [{ label: 'A', voiceScript: 'Hi, this is Sam from Acme.' }],
    });
    // The optimizer asks for four changes; a person then edits the targets of three of them
    // (kills B by hand, which also leaves the loop's kill of B nothing to do).
    const optimizer: CampaignOptimizer = {
      provider: 'scripted',
      model: 'test',
      optimize: async () => ({
        changes: [
          { type: 'email_subject', variant_id: email.variants.A, value: 'A sharper subject', rationale: 'Clearer' },
          { type: 'kill_variant', variant_id: email.variants.B, rationale: 'Loses to A' },
          { type: 'delay', asset_id: call.assetId, delay_hours: 48, rationale: 'Replies come in 2 days' },
          { type: 'voice_script', variant_id: call.variants.A, value: 'Hi, Sam here.', rationale: 'Shorter' },
        ],
      }),
    };
    const edits: number[] = [];
    const report = await runCmoLoop(db(), t.tenantId, {
      mode: 'optimize',
      optimizer,
      triggeredBy: 'api',
      now: NOW,
      beforeWrite: async () => {
        edits.push(
          (await member.patch(`/api/content/variants/${email.variants.A}`, { subject: 'My own subject' })).status,
        );
        edits.push(
          (
            await member.patch(`/api/content/variants/${email.variants.B}`, {
              status: 'killed',
              kill_reason: 'My call',
            })
          ).status,
        );
        edits.push((await member.patch(`/api/content/assets/${call.assetId}`, { delay_hours: 24 })).status);
      },
    });

    expect(edits).toEqual([200, 200, 200]);
    expect(await variantRow(db(), t, email.variants.A!)).toMatchObject({ subject: 'My own subject' });
    expect(await variantRow(db(), t, email.variants.B!)).toMatchObject({ status: 'killed', kill_reason: 'My call' });
    expect(await assetRow(db(), t, call.assetId)).toMatchObject({ delay_hours: 24 });
    // The untouched target was changed, and only it has a ledger row.
    const [voice] = await db().session((s) =>
      s.query<{ voice_script: string }>('SELECT voice_script FROM content_variants WHERE id = $1', [call.variants.A]),
    );
    expect(voice!.voice_script).toBe('Hi, Sam here.');
    expect((await actionsOf(db(), t)).map((a) => a.action_type)).toEqual(['rewrite_voice_script']);

    expect(report.optimize).toMatchObject({ changes_applied: 1, changes_skipped: 3 });
    const skipped = Object.fromEntries(report.optimize!.skipped_changes.map((s) => [s.type, s]));
    expect(skipped.email_subject).toMatchObject({
      target_id: email.variants.A,
      detail: "the variant's subject was edited since the loop read it",
    });
    expect(skipped.kill_variant!.detail).toBe('the variant is killed now');
    expect(skipped.delay).toMatchObject({
      target_id: call.assetId,
      detail: "the step's delay is 24 h now, not the 72 h the loop read",
    });
  });
});
