import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_SETTINGS, type LoopSettings } from '../contract/tenant-settings.ts';
import { createBuiltinOptimizer } from './builtin-optimizer.ts';
import {
  type AssetInput,
  type CampaignGoal,
  COPY_FIELDS,
  type OptimizationChange,
  type OptimizationInput,
  optimizationPlanSchema,
  type VariantInput,
} from './optimizer.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function variant(n: number, fields: Partial<VariantInput> = {}): VariantInput {
  return {
    id: uuid(n),
    label: String.fromCharCode(64 + (n % 100)),
    status: 'active',
    subject: null,
    body: null,
    sms_copy: null,
    voice_script: null,
    social_post: null,
    reply_delays: {},
    updated_at: '2026-10-01T00:00:00.000Z',
    sends: 0,
    opens: 0,
    clicks: 0,
    replies: 0,
    meetings: 0,
    conversions: 0,
    ...fields,
  };
}

function asset(n: number, variants: VariantInput[], fields: Partial<AssetInput> = {}): AssetInput {
  return {
    id: uuid(1000 + n),
    asset_type: 'email',
    name: `Asset ${n}`,
    channel: 'email',
    step_index: 0,
    delay_hours: 0,
    variants,
    ...fields,
  };
}

function campaignInput(
  assets: AssetInput[],
  campaign: Partial<OptimizationInput['campaign']> = {},
  settings: Partial<LoopSettings> = {},
): OptimizationInput {
  return {
    campaign: {
      id: uuid(9999),
      title: 'Spring outreach',
      goal: 'leads',
      status: 'active',
      autopilot_enabled: true,
      budget: 1000,
      max_budget: null,
      currency: 'USD',
      channels: ['email'],
      cta_text: null,
      cta_url: null,
      ...campaign,
    },
    metrics: {
      source: 'none',
      sends: 0,
      opens: 0,
      clicks: 0,
      replies: 0,
      meetings: 0,
      conversions: 0,
      impressions: 0,
      spend: 0,
      revenue: 0,
    },
    assets,
    constraints: { brand_voice: null, tone: [], settings: { ...DEFAULT_LOOP_SETTINGS, ...settings } },
  };
}

async function optimize(input: OptimizationInput): Promise<OptimizationChange[]> {
  const answer = await createBuiltinOptimizer().optimize(input);
  // The loop accepts nothing else: every answer must be a valid plan.
  return optimizationPlanSchema.parse(answer).changes;
}

/** The input as it would be after the loop applied the changes. */
function apply(input: OptimizationInput, changes: readonly OptimizationChange[]): OptimizationInput {
  const next = structuredClone(input);
  const variants = new Map(next.assets.flatMap((a) => a.variants.map((v) => [v.id, v])));
  for (const change of changes) {
    if (change.type === 'delay') next.assets.find((a) => a.id === change.asset_id)!.delay_hours = change.delay_hours;
    else if (change.type === 'kill_variant') variants.get(change.variant_id)!.status = 'killed';
    else variants.get(change.variant_id)![COPY_FIELDS[change.type]] = change.value;
  }
  return next;
}

describe('createBuiltinOptimizer', () => {
  it('says what it is', () => {
    const optimizer = createBuiltinOptimizer();
    expect([optimizer.provider, optimizer.model]).toEqual(['builtin', null]);
  });

  it('proposes nothing for a campaign without evidence or faults', async () => {
    expect(await optimize(campaignInput([asset(1, [variant(1, { sends: 5000, replies: 100 })])]))).toEqual([]);
  });
});

describe('variant killing', () => {
  const steps = (sends: number) =>
    campaignInput([
      asset(1, [
        variant(1, { sends, replies: 0.04 * sends }),
        variant(2, { sends, replies: 0.04 * sends }),
        variant(3, { sends, replies: 0.04 * sends }),
        variant(4, { sends, replies: 0.01 * sends }),
      ]),
    ]);

  it('kills a clearly losing variant, with the numbers', async () => {
    const changes = await optimize(steps(2000));
    expect(changes).toHaveLength(1);
    const [kill] = changes;
    expect(kill).toMatchObject({ type: 'kill_variant', variant_id: uuid(4) });
    expect(kill!.confidence).toBeGreaterThan(0.999);
    expect(kill!.rationale).toBe(
      'Variant D of "Asset 1": the probability that it is the best of its step\'s 4 active variants is <0.1%, ' +
        'under the kill threshold of 5%. Its reply rate is 1.00% on 2000 sends, against 4.00% for variant A.',
    );
  });

  it('waits for the minimum sends on every variant', async () => {
    expect(await optimize(steps(150))).toEqual([]);
  });

  it('judges active variants only', async () => {
    const input = steps(2000);
    input.assets[0]!.variants[3]!.status = 'killed';
    expect(await optimize(input)).toEqual([]);
  });

  it.each([
    ['leads', []],
    ['meetings', [uuid(2)]],
    ['revenue', []],
  ] as const)('judges by the goal’s metric: %s', async (goal: CampaignGoal, killed: readonly string[]) => {
    // Same replies and conversions; variant B books a tenth of A's meetings.
    const input = campaignInput(
      [
        asset(1, [
          variant(1, { sends: 2000, replies: 80, meetings: 20, conversions: 10 }),
          variant(2, { sends: 2000, replies: 80, meetings: 2, conversions: 10 }),
        ]),
      ],
      { goal },
    );
    const changes = await optimize(input);
    expect(changes.flatMap((c) => (c.type === 'kill_variant' ? [c.variant_id] : []))).toEqual(killed);
  });
});

describe('step delays', () => {
  // 140 replies to the first step, 126 of them (90%) within 48 h; some to a killed variant.
  const firstStep = [
    variant(1, { sends: 1000, reply_delays: { '4': 40, '24': 30, '48': 10, '96': 6, more: 2 } }),
    variant(2, { status: 'killed', sends: 600, reply_delays: { '4': 20, '24': 16, '48': 10, '96': 4, more: 2 } }),
  ];

  it('waits for the previous step’s replies', async () => {
    const input = campaignInput([
      asset(1, firstStep, { name: 'Intro' }),
      asset(2, [variant(3)], { name: 'Follow-up', step_index: 1, delay_hours: 120 }),
    ]);
    expect(await optimize(input)).toEqual([
      {
        type: 'delay',
        asset_id: uuid(1002),
        delay_hours: 48,
        rationale:
          '90% of the 140 replies to step 0 ("Intro") arrived within 48 h; ' +
          'the wait before step 1 ("Follow-up") moves from 120 h to 48 h.',
        confidence: 126 / 140,
      },
    ]);
  });

  it('takes the nearest earlier step, over all its assets', async () => {
    const slow = { '168': 100 };
    const input = campaignInput([
      asset(1, [variant(1, { reply_delays: slow })], { step_index: 0 }),
      asset(2, firstStep.slice(0, 1), { name: 'Email', step_index: 3, delay_hours: 168 }),
      asset(3, firstStep.slice(1), { name: 'SMS', asset_type: 'sms', step_index: 3, delay_hours: 168 }),
      asset(4, [variant(3)], { step_index: 7, delay_hours: 120 }),
    ]);
    const changes = await optimize(input);
    // Step 3 waits on step 0's slow replies (168 h: unchanged); step 7 on step 3's, both assets.
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ type: 'delay', asset_id: uuid(1004), delay_hours: 48 });
    expect(changes[0]!.rationale).toContain('the 140 replies to step 3 ("Email", "SMS")');
  });
});

describe('copy hygiene', () => {
  const one = (fields: Partial<VariantInput>, assetFields: Partial<AssetInput> = {}, campaign = {}) =>
    optimize(campaignInput([asset(1, [variant(1, fields)], assetFields)], campaign));
  const values = (changes: OptimizationChange[]) => changes.map((c) => ('value' in c ? [c.type, c.value] : [c.type]));

  it('cuts a long subject at the last whole word, without a trailing separator', async () => {
    const long = 'Last chance: your free guide to faster customer onboarding, plus a bonus checklist';
    expect(values(await one({ subject: long }))).toEqual([
      ['email_subject', 'Last chance: your free guide to faster customer onboarding'],
    ]);
    const dash = 'Quick question about the onboarding workshop for your team - are you free next week?';
    expect(values(await one({ subject: dash }))).toEqual([
      ['email_subject', 'Quick question about the onboarding workshop for your team'],
    ]);
    const [change] = await one({ subject: long });
    expect(change!.rationale).toContain('has 82 characters');
    expect(change!.confidence).toBeNull();
  });

  it('leaves subjects that fit, or that no word boundary can shorten', async () => {
    expect(await one({ subject: 'x'.repeat(60) })).toEqual([]);
    expect(await one({ subject: `${'é'.repeat(59)}🎉` })).toEqual([]); // 60 characters, 61 UTF-16 units
    expect(await one({ subject: `${'x'.repeat(70)} end` })).toEqual([]);
  });

  it('adds the SMS opt-out when there is none', async () => {
    const sms = (sms_copy: string) => one({ sms_copy }, { asset_type: 'sms', channel: 'sms' });
    expect(values(await sms('Your demo is booked for Tuesday.  '))).toEqual([
      ['sms_copy', 'Your demo is booked for Tuesday. Reply STOP to opt out.'],
    ]);
    expect(values(await sms('Try our stopwatch app'))).toEqual([
      ['sms_copy', 'Try our stopwatch app Reply STOP to opt out.'],
    ]);
    expect(await sms('Text stop to end messages.')).toEqual([]);
  });

  it('links the call to action from email bodies that lack it', async () => {
    const cta = { cta_url: 'https://example.com/demo', cta_text: 'Book a demo' };
    expect(values(await one({ body: 'Hi there,\n\nThanks.\n' }, {}, cta))).toEqual([
      ['email_body', 'Hi there,\n\nThanks.\n\nBook a demo: https://example.com/demo'],
    ]);
    expect(values(await one({ body: 'Hi' }, {}, { ...cta, cta_text: null }))).toEqual([
      ['email_body', 'Hi\n\nLearn more: https://example.com/demo'],
    ]);
    expect(await one({ body: 'See https://example.com/demo' }, {}, cta)).toEqual([]);
    expect(await one({ body: 'Hi' })).toEqual([]);
  });

  it('applies each rule to its own asset type only, and never to voice scripts', async () => {
    const fields = { subject: 'word '.repeat(20), sms_copy: 'Hello', body: 'Hi', voice_script: 'Hello '.repeat(500) };
    const campaign = { cta_url: 'https://example.com' };
    expect((await one(fields, { asset_type: 'sms' }, campaign)).map((c) => c.type)).toEqual(['sms_copy']);
    expect((await one(fields, { asset_type: 'voice' }, campaign)).map((c) => c.type)).toEqual([]);
    expect((await one(fields, { asset_type: 'email' }, campaign)).map((c) => c.type)).toEqual([
      'email_subject',
      'email_body',
    ]);
  });

  it('does not edit a killed variant, or one killed in the same plan', async () => {
    const sms = 'No opt-out here';
    const input = campaignInput([
      asset(
        1,
        [
          variant(1, { sends: 2000, replies: 80, sms_copy: sms }),
          variant(2, { sends: 2000, replies: 10, sms_copy: sms }),
          variant(3, { status: 'killed', sms_copy: sms }),
        ],
        { asset_type: 'sms' },
      ),
    ]);
    expect((await optimize(input)).map((c) => [c.type, 'variant_id' in c ? c.variant_id : null])).toEqual([
      ['kill_variant', uuid(2)],
      ['sms_copy', uuid(1)],
    ]);
  });
});

describe('idempotence', () => {
  it('proposes nothing more once its plan is applied', async () => {
    const input = campaignInput(
      [
        asset(1, [
          variant(1, {
            sends: 3000,
            replies: 120,
            subject: 'A subject line that is far too long for any phone to show in full, sadly',
            body: 'Hello',
            reply_delays: { '4': 80, '24': 30, '48': 10, more: 5 },
          }),
          variant(2, { sends: 3000, replies: 30, reply_delays: { '24': 30 } }),
        ]),
        asset(2, [variant(3, { sms_copy: 'Still interested?' })], {
          asset_type: 'sms',
          step_index: 1,
          delay_hours: 120,
        }),
      ],
      { cta_url: 'https://example.com/offer' },
    );
    const changes = await optimize(input);
    expect(changes.map((c) => c.type).sort()).toEqual([
      'delay',
      'email_body',
      'email_subject',
      'kill_variant',
      'sms_copy',
    ]);
    expect(await optimize(apply(input, changes))).toEqual([]);
  });

  it('holds for generated campaigns', async () => {
    const unit = fc.constantFrom('a', 'b', ' ', ',', '-', 'é', '🎉');
    const text = fc.string({ unit, maxLength: 120 });
    const delays = fc.dictionary(fc.constantFrom('1', '4', '24', '48', '96', '168', '336', 'more'), fc.nat(60));
    const variantArb = fc.record({
      sends: fc.nat(4000),
      rate: fc.double({ min: 0, max: 0.1, noNaN: true }),
      killed: fc.boolean(),
      subject: fc.option(fc.string({ unit, minLength: 40, maxLength: 120 })),
      body: fc.option(text),
      sms: fc.option(text),
      delays,
    });
    const assetArb = fc.record({
      type: fc.constantFrom('email', 'sms', 'voice') as fc.Arbitrary<AssetInput['asset_type']>,
      step: fc.nat(3),
      delay: fc.nat(300),
      variants: fc.array(variantArb, { minLength: 1, maxLength: 4 }),
    });
    const campaignArb = fc.record({
      goal: fc.constantFrom<CampaignGoal>('leads', 'meetings', 'revenue'),
      cta: fc.option(fc.constant('https://example.com/x')),
      assets: fc.array(assetArb, { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(campaignArb, async (generated) => {
        let n = 0;
        const input = campaignInput(
          generated.assets.map((a, i) =>
            asset(
              i,
              a.variants.map((v) => {
                const successes = Math.round(v.sends * v.rate);
                return variant(++n, {
                  status: v.killed ? 'killed' : 'active',
                  sends: v.sends,
                  replies: successes,
                  meetings: successes,
                  conversions: successes,
                  subject: v.subject,
                  body: v.body,
                  sms_copy: v.sms,
                  reply_delays: v.delays,
                });
              }),
              { asset_type: a.type, step_index: a.step, delay_hours: a.delay },
            ),
          ),
          { goal: generated.goal, cta_url: generated.cta },
        );
        const changes = await optimize(input);
        expect(await optimize(apply(input, changes))).toEqual([]);
      }),
      { seed: 20261122, numRuns: 200 },
    );
  });
});
