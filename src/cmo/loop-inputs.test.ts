import { describe, expect, it } from 'vitest';
import { type ContentRow, groupContent } from './loop-inputs.ts';

const row = (campaign: string, asset: string, step: number, variant: string | null, label = ''): ContentRow => ({
  campaign_id: campaign,
  asset_id: asset,
  asset_type: 'email',
  name: `step ${step}`,
  channel: 'email',
  step_index: step,
  delay_hours: 24,
  variant_id: variant,
  variant_label: label,
  variant_status: 'active',
  subject: null,
  body: null,
  sms_copy: null,
  voice_script: null,
  social_post: null,
  sends: 0,
  opens: 0,
  clicks: 0,
  replies: 0,
  meetings: 0,
  conversions: 0,
  reply_delays: {},
  updated_at: variant === null ? null : '2026-11-01T00:00:00Z',
  asset_updated_at: '2026-10-01T00:00:00Z',
});

describe('groupContent', () => {
  it('folds rows in any order into assets by step then id, with their variants by label', () => {
    const rows = [
      row('c1', 'b0000000-0000-4000-8000-000000000000', 1, 'v3', 'B'),
      row('c2', 'e0000000-0000-4000-8000-000000000000', 0, null),
      row('c1', 'f0000000-0000-4000-8000-000000000000', 0, 'v2', 'B'),
      row('c1', 'b0000000-0000-4000-8000-000000000000', 1, 'v4', 'A'),
      row('c1', 'a0000000-0000-4000-8000-000000000000', 1, 'v5', 'A'),
      row('c1', 'f0000000-0000-4000-8000-000000000000', 0, 'v1', 'A'),
    ];
    const grouped = groupContent(rows);
    const shape = (campaign: string) =>
      grouped.get(campaign)!.map((a) => [a.step_index, a.id[0], a.variants.map((v) => `${v.label}:${v.id}`)]);
    expect(shape('c1')).toEqual([
      [0, 'f', ['A:v1', 'B:v2']],
      [1, 'a', ['A:v5']],
      [1, 'b', ['A:v4', 'B:v3']],
    ]);
    // An asset without variants (LEFT JOIN) is kept, with none.
    expect(shape('c2')).toEqual([[0, 'e', []]]);
  });
});
