// /api/actions (being written).
import type { ApiRouter } from './router.ts';

export function actionRoutes(_api: ApiRouter): void {}
