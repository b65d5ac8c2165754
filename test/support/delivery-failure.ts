// The DeliveryError a call fails with, checked to be of the channel and to carry the secret
// nowhere: not in its message, not in its causes, not in what a logger would print of it.
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { type DeliveryChannel, DeliveryError } from '../../src/delivery/errors.ts';

export async function deliveryFailureOf(
  call: Promise<unknown>,
  channel: DeliveryChannel,
  secret: string,
): Promise<DeliveryError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const failure = error as DeliveryError;
  expect(failure.channel).toBe(channel);
  expect(inspect(failure, { depth: 10 })).not.toContain(secret);
  expect(JSON.stringify(failure)).not.toContain(secret);
  return failure;
}
