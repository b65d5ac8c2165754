// /api/contacts (being written).
import type { ApiRouter } from './router.ts';

export function contactRoutes(_api: ApiRouter): void {}
