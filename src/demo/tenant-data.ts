// The non-campaign part of a demo tenant: people, their segments, and the content variants of
// each campaign (of unequal quality, so variant killing has something to find).

import { DAY_MS } from '../domain/day.ts';
import type { CampaignPlan } from './campaign-plan.ts';
import type { CsvValue } from './csv.ts';
import type { Random } from './random.ts';

const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Maya',
  'Noor',
];
const LAST = [
  'Andersen',
  'Brooks',
  'Chen',
  'Diallo',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
];
const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'stark', 'wayne', 'tyrell', 'wonka'];
const TITLES = ['CFO', 'CEO', 'Head of Marketing', 'IT Manager', 'Founder', 'Growth Lead', 'Office Manager'];
const DECISION_MAKERS = new Set(['CFO', 'CEO', 'Founder', 'Head of Marketing']);

export interface SegmentPlan {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
}

export interface TenantPeople {
  contactRows: CsvValue[][];
  segments: SegmentPlan[];
}

export function drawPeople(random: Random, tenantId: string, count: number): TenantPeople {
  const contactRows: CsvValue[][] = [];
  const all: string[] = [];
  const deciders: string[] = [];
  const newsletter: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = random.uuid();
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const company = random.pick(COMPANIES);
    const title = random.pick(TITLES);
    const status = random.uniform() < 0.03 ? 'unsubscribed' : 'active';
    contactRows.push([
      tenantId,
      id,
      `${first}.${last}.${i + 1}@${company}.example`.toLowerCase(),
      null,
      first,
      last,
      company,
      title,
      status,
    ]);
    all.push(id);
    if (DECISION_MAKERS.has(title)) deciders.push(id);
    if (random.uniform() < 0.4) newsletter.push(id);
  }
  const segment = (name: string, description: string, memberIds: string[]): SegmentPlan => ({
    id: random.uuid(),
    name,
    description,
    memberIds,
  });
  return {
    contactRows,
    segments: [
      segment('All contacts', 'Everyone in the CRM', all),
      segment('Decision makers', 'C-level, founders and heads of marketing', deciders),
      segment('Newsletter subscribers', 'Opted in to the monthly newsletter', newsletter),
    ],
  };
}

export interface ContentRows {
  assets: CsvValue[][];
  variants: CsvValue[][];
}

/** Two e-mail steps per campaign, two variants each; variant B's true reply rate varies widely. */
export function drawContent(
  random: Random,
  tenantId: string,
  workspaceId: string,
  plan: CampaignPlan,
  lastDay: Date,
): ContentRows {
  const assets: CsvValue[][] = [];
  const variants: CsvValue[][] = [];
  const steps = [
    { name: 'Intro email', delayHours: 0 },
    { name: 'Follow-up email', delayHours: random.int(48, 96) },
  ];
  for (const [stepIndex, step] of steps.entries()) {
    const assetId = random.uuid();
    const updatedAt = new Date(lastDay.getTime() - random.int(0, 30) * DAY_MS).toISOString();
    assets.push([
      tenantId,
      assetId,
      workspaceId,
      plan.id,
      'email',
      `${step.name} — ${plan.title}`,
      'email',
      stepIndex,
      step.delayHours,
      updatedAt,
      updatedAt,
    ]);
    const totalSends =
      plan.activeDays === 0 ? 0 : Math.round(plan.dailySends * plan.activeDays * (stepIndex === 0 ? 1 : 0.6));
    for (const label of ['A', 'B']) {
      const quality = label === 'A' ? 1 : random.lognormal(0.8, 0.5);
      const sends = Math.round(totalSends / 2);
      const opens = random.binomial(sends, plan.openRate);
      const replies = random.binomial(sends, Math.min(plan.replyRate * quality, 0.5));
      variants.push([
        tenantId,
        random.uuid(),
        assetId,
        label,
        `${label === 'A' ? 'Quick question' : 'An idea'} about ${plan.title.split(' for ')[0]}`,
        `Hi {{first_name}},\n\n${plan.description}\n\nWorth a look?`,
        sends,
        opens,
        random.binomial(opens, 0.1),
        replies,
        random.binomial(replies, 0.3),
        updatedAt,
        updatedAt,
      ]);
    }
  }
  return { assets, variants };
}
