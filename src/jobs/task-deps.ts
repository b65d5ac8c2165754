// What the tasks need, built from the configuration: the database, the runner's user, the social
// platform adapters with the key that decrypts the accounts' tokens, the impact delay, and the
// CMO loop's optimizer (with a gateway configured, the content engine rewrites on top of the
// built-in one).
import { optimizerFromConfig } from '../agents/content-optimizer.ts';
import type { Config, Secrets } from '../config.ts';
import { createTokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { trackingKey } from '../delivery/tracking-token.ts';
import type { Logger } from '../log.ts';
import { actionLinkKey } from '../notify/action-link-token.ts';
import { createPlatformAdapters, GRAPH_API_BASE_URL, X_API_BASE_URL } from '../social/adapters.ts';
import type { TaskDeps } from './tasks.ts';

export function taskDeps<D extends Database>(
  config: Config,
  secrets: Pick<Secrets, 'encryptionKey'>,
  db: D,
  log: Logger,
): TaskDeps<D> {
  const cipher = createTokenCipher(secrets.encryptionKey);
  return {
    db,
    log,
    systemUserId: config.systemUserId,
    impactAfterDays: config.impactAfterDays,
    social: {
      adapters: createPlatformAdapters({
        graphBaseUrl: config.social.graphBaseUrl ?? GRAPH_API_BASE_URL,
        xBaseUrl: config.social.xBaseUrl ?? X_API_BASE_URL,
      }),
      cipher,
      renewal: {
        cipher,
        x: config.social.x,
        xBaseUrl: config.social.xBaseUrl ?? X_API_BASE_URL,
        timeoutMs: config.ads.timeoutMs,
      },
    },
    optimizer: optimizerFromConfig(config.ai),
    limits: config.limits,
    adPlatforms: { endpoints: config.ads, cipher },
    delivery: deliveryDeps(config, secrets),
  };
}

/** The senders' key, the tracking links' key and addresses: the worker's and the server's alike. */
export function deliveryDeps(config: Config, secrets: Pick<Secrets, 'encryptionKey'>): DeliveryDeps {
  return {
    cipher: createTokenCipher(secrets.encryptionKey),
    trackingKey: trackingKey(secrets.encryptionKey),
    actionLinkKey: actionLinkKey(secrets.encryptionKey),
    publicUrl: config.delivery.publicUrl,
    twilioBaseUrl: config.delivery.twilioBaseUrl,
    slackBaseUrl: config.delivery.slackBaseUrl,
  };
}
