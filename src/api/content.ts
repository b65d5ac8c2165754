// /api/content (being written).
import type { ApiRouter } from './router.ts';

export function contentRoutes(_api: ApiRouter): void {}
