// /api/rules (being written).
import type { ApiRouter } from './router.ts';

export function ruleRoutes(_api: ApiRouter): void {}
