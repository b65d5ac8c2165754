// /api/segments (being written).
import type { ApiRouter } from './router.ts';

export function segmentRoutes(_api: ApiRouter): void {}
