// The demo tenant's brand, ideal-customer segments and offers: what the CMO agents read, so the
// offline provider has real material on a fresh `npm start`.
import type { SqlSession } from '../db/port.ts';

const SEGMENTS = [
  {
    name: 'RevOps leaders',
    description: 'Heads of revenue operations at 50-500 person B2B SaaS companies',
    pains: ['forecasts nobody trusts', 'pipeline data spread over five tools'],
    goals: ['a forecast within 5%', 'one source of pipeline truth'],
    objections: ['another dashboard to maintain'],
    channels: ['email', 'linkedin'],
  },
  {
    name: 'Growth marketers',
    description: 'Marketers who own pipeline targets and a paid budget',
    pains: ['paid spend with no clear ROI', 'too many manual reports'],
    goals: ['lower cost per meeting', 'campaigns that optimize themselves'],
    objections: ['no time to set it up'],
    channels: ['email', 'meta_ads', 'google_ads'],
  },
  {
    name: 'Founders',
    description: 'Founders of seed to series A companies who still sell',
    pains: ['no time for reporting'],
    goals: ['more demos booked'],
    objections: ['too expensive'],
    channels: ['email', 'sms'],
  },
];

const OFFERS = [
  {
    name: 'Pipeline Audit',
    description: 'A two-week audit of pipeline data and attribution',
    type: 'service',
    price: 490,
    cta: 'Book your audit',
  },
  {
    name: 'Autopilot Trial',
    description: 'Fourteen days of campaigns on autopilot',
    type: 'trial',
    price: 0,
    cta: 'Start the trial',
  },
];

export async function writeCmoProfile(
  s: SqlSession,
  scope: { tenantId: string; workspaceId: string; brandName: string; ownerId: string },
): Promise<void> {
  const { tenantId, workspaceId, brandName, ownerId } = scope;
  await s.query(
    `INSERT INTO cmo_brand_profiles (tenant_id, workspace_id, brand_name, industry, website, mission, brand_voice, tone, created_by)
     VALUES ($1, $2, $3, 'B2B SaaS', 'https://demo.example', 'Marketing that runs itself, and shows its work',
             'plain-spoken, precise, never hype', '{clear,confident,warm}', $4)`,
    [tenantId, workspaceId, brandName, ownerId],
  );
  for (const segment of SEGMENTS) {
    await s.query(
      `INSERT INTO cmo_icp_segments (tenant_id, workspace_id, name, description, pains, goals, objections, channels, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        tenantId,
        workspaceId,
        segment.name,
        segment.description,
        segment.pains,
        segment.goals,
        segment.objections,
        segment.channels,
        ownerId,
      ],
    );
  }
  for (const offer of OFFERS) {
    await s.query(
      `INSERT INTO cmo_offers (tenant_id, workspace_id, name, description, offer_type, price, cta, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tenantId, workspaceId, offer.name, offer.description, offer.type, offer.price, offer.cta, ownerId],
    );
  }
}
