// /api/opportunities (being written).
import type { ApiRouter } from './router.ts';

export function opportunityRoutes(_api: ApiRouter): void {}
