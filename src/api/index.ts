// Every API route, and the OpenAPI document and docs page generated from their declarations.

import type { Hono } from 'hono';
import type { TextStreamModel } from '../agents/gateway-model.ts';
import type { CampaignOptimizer } from '../agents/optimizer.ts';
import type { RunLimits } from '../domain/run-limits.ts';
import type { Logger } from '../log.ts';
import type { AuthEnv } from '../server/authenticate.ts';
import type { Metrics } from '../server/metrics.ts';
import { actionRoutes } from './actions.ts';
import { adAccountOAuthRoutes } from './ad-account-oauth.ts';
import { type AdAccountRouteDeps, adAccountRoutes } from './ad-accounts.ts';
import { agentRunRoutes } from './agent-runs.ts';
import { campaignPauseRoutes } from './campaign-pause.ts';
import { campaignRunnerRoutes } from './campaign-runner.ts';
import { campaignRoutes } from './campaigns.ts';
import { agentRoutes } from './cmo-agents.ts';
import { cmoDocumentRoutes } from './cmo-documents.ts';
import { contactMessageRoutes } from './contact-messages.ts';
import { contactRoutes } from './contacts.ts';
import { contentRoutes } from './content.ts';
import { cycleLockRoutes } from './cycle-lock.ts';
import { cycleRoutes } from './cycles.ts';
import { deliveryRoutes } from './delivery.ts';
import { docsPage } from './docs-page.ts';
import { meRoutes } from './me.ts';
import { notificationRoutes } from './notifications.ts';
import { openApiDocument } from './openapi.ts';
import { opportunityRoutes } from './opportunities.ts';
import { overviewRoutes } from './overview.ts';
import { platformChangeRoutes } from './platform-changes.ts';
import { ApiRouter, type RouterDeps } from './router.ts';
import { ruleRoutes } from './rules.ts';
import { scheduleRoutes } from './schedules.ts';
import { seedFunctionRoutes } from './seed-functions.ts';
import { segmentRoutes } from './segments.ts';
import { type DeliveryRouteDeps, senderRoutes } from './senders.ts';
import { type SocialAccountRouteDeps, socialAccountRoutes } from './social-accounts.ts';
import { socialPostRoutes } from './social-posts.ts';
import { statsRoutes } from './stats.ts';
import { tenantRoutes } from './tenants.ts';
import { variantStatsRoutes } from './variant-stats.ts';
import { weeklySummaryRoutes } from './weekly-summaries.ts';

export const API_VERSION = '0.1.0';

export interface ApiDeps extends RouterDeps, AdAccountRouteDeps, DeliveryRouteDeps, SocialAccountRouteDeps {
  metrics: Metrics;
  systemUserId: string;
  /** What the CMO loop's cron endpoints ask about each campaign. */
  optimizer: CampaignOptimizer;
  log: Logger;
  /** The CMO agents' gateway; null runs them on the offline provider. */
  agentModel: TextStreamModel | null;
  /** The HS256 secret, to mint tokens when switching tenant; absent when tokens come from a JWKS only. */
  jwtSecret?: string;
  /** Bounds on the cycle's and the CMO loop's database work. */
  limits: RunLimits;
}

export function registerApiRoutes(app: Hono<AuthEnv>, deps: ApiDeps): ApiRouter {
  const api = new ApiRouter(app, deps);
  seedFunctionRoutes(api, deps);
  tenantRoutes(api);
  adAccountRoutes(api, deps);
  adAccountOAuthRoutes(api, deps);
  platformChangeRoutes(api, deps);
  campaignRoutes(api);
  campaignPauseRoutes(api);
  campaignRunnerRoutes(api, deps);
  statsRoutes(api);
  contentRoutes(api);
  variantStatsRoutes(api);
  contactRoutes(api);
  contactMessageRoutes(api);
  senderRoutes(api, deps);
  notificationRoutes(api, deps);
  deliveryRoutes(api);
  segmentRoutes(api);
  ruleRoutes(api);
  actionRoutes(api);
  opportunityRoutes(api);
  // Before /api/cycles/{id}, which would take 'running' for an id.
  cycleLockRoutes(api);
  cycleRoutes(api, deps);
  overviewRoutes(api);
  scheduleRoutes(api, deps);
  weeklySummaryRoutes(api);
  agentRoutes(api, deps);
  agentRunRoutes(api);
  cmoDocumentRoutes(api);
  socialPostRoutes(api);
  socialAccountRoutes(api, deps);
  meRoutes(api, deps);

  const document = openApiDocument(api.routes, API_VERSION);
  app.get('/openapi.json', (c) => c.json(document));
  const page = docsPage(document);
  app.get('/docs', (c) => c.html(page));
  return api;
}
