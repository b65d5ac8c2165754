// Task dependencies for tests: the runner's default user, a week's impact delay, platform
// adapters pointed at a local platform server (or at a closed port when a test posts nothing),
// the built-in optimizer, and the default bounds on long runs.
import { DEFAULT_AD_PLATFORM_ENDPOINTS } from '../../src/ads/endpoints.ts';
import { createBuiltinOptimizer } from '../../src/agents/builtin-optimizer.ts';
import { DEFAULT_SYSTEM_USER_ID } from '../../src/config.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import type { Database } from '../../src/db/port.ts';
import { DEFAULT_RUN_LIMITS } from '../../src/domain/run-limits.ts';
import type { TaskDeps } from '../../src/jobs/tasks.ts';
import { createLogger } from '../../src/log.ts';
import { createPlatformAdapters } from '../../src/social/adapters.ts';
// The API's key too: what one test part encrypts, the others read.
import { TEST_ENCRYPTION_KEY, testDeliveryDeps } from './test-api.ts';

export function testTaskDeps<D extends Database>(
  db: D,
  platforms: { graphBaseUrl: string; xBaseUrl: string } = {
    graphBaseUrl: 'http://127.0.0.1:9/graph',
    xBaseUrl: 'http://127.0.0.1:9/x',
  },
): TaskDeps<D> {
  return {
    db,
    log: createLogger('silent'),
    systemUserId: DEFAULT_SYSTEM_USER_ID,
    impactAfterDays: 7,
    social: { adapters: createPlatformAdapters(platforms), cipher: createTokenCipher(TEST_ENCRYPTION_KEY) },
    optimizer: createBuiltinOptimizer(),
    limits: DEFAULT_RUN_LIMITS,
    adPlatforms: { endpoints: DEFAULT_AD_PLATFORM_ENDPOINTS, cipher: createTokenCipher(TEST_ENCRYPTION_KEY) },
    delivery: testDeliveryDeps(),
  };
}
