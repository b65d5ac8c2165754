// /api/overview (being written).
import type { ApiRouter } from './router.ts';

export function overviewRoutes(_api: ApiRouter): void {}
