// The adapters the dispatcher posts through, one per platform, pointed at the production APIs or,
// in tests and demos, at a local server that speaks the same protocols.
import { createFacebookAdapter, createInstagramAdapter } from './graph-api.ts';
import { DEFAULT_TIMEOUT_MS } from './http.ts';
import type { Platform, PlatformAdapter } from './platform.ts';
import { createXAdapter } from './x-api.ts';

export const GRAPH_API_BASE_URL = 'https://graph.facebook.com/v21.0';
export const X_API_BASE_URL = 'https://api.x.com';

export interface PlatformAdaptersConfig {
  /** GRAPH_API_BASE_URL in production; includes the Graph API version. */
  graphBaseUrl: string;
  /** X_API_BASE_URL in production. */
  xBaseUrl: string;
  fetch?: typeof fetch;
  /** How long one API call may take; 30 s unless set. */
  timeoutMs?: number;
}

export function createPlatformAdapters(config: PlatformAdaptersConfig): Record<Platform, PlatformAdapter> {
  const http = { fetch: config.fetch ?? fetch, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  return {
    facebook: createFacebookAdapter({ ...http, baseUrl: config.graphBaseUrl }),
    instagram: createInstagramAdapter({ ...http, baseUrl: config.graphBaseUrl }),
    twitter: createXAdapter({ ...http, baseUrl: config.xBaseUrl }),
  };
}
