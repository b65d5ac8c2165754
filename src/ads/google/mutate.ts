// Changes pushed to Google: a campaign's status (ENABLED, PAUSED) through campaigns:mutate and a
// budget's daily amount through campaignBudgets:mutate, each an `update` operation with its
// updateMask. `validateOnly` has Google check the operations and change nothing (a dry run);
// `partialFailure` has it carry out the valid ones and report the others per operation, where
// otherwise one invalid operation refuses them all (GoogleAdsRejectedError naming each).
import { type GoogleAdsErrorDetail, GoogleAdsRejectedError } from './errors.ts';
import { parseStatus } from './failure.ts';
import { resourceIdOf } from './gaql.ts';
import type { CallOptions, GoogleAdsSession } from './session.ts';

export type SettableCampaignStatus = 'ENABLED' | 'PAUSED';

export interface CampaignStatusChange {
  campaignId: string;
  status: SettableCampaignStatus;
}

export interface BudgetAmountChange {
  budgetId: string;
  /** The new daily amount, micros of the account's currency (Google wants a multiple of the currency's smallest unit). */
  amountMicros: bigint;
}

export interface MutateOptions extends CallOptions {
  validateOnly?: boolean;
  partialFailure?: boolean;
}

export type OperationResult =
  | { index: number; ok: true /** Absent on a dry run. */; resourceName: string | undefined }
  | { index: number; ok: false; errors: GoogleAdsErrorDetail[] };

export interface MutateResult {
  validateOnly: boolean;
  /** One per change, in order. */
  operations: OperationResult[];
  /** Errors of a partial failure that name no operation. */
  otherErrors: GoogleAdsErrorDetail[];
}

interface Operation {
  update: Record<string, string>;
  updateMask: string;
}

const SETTABLE = new Set<string>(['ENABLED', 'PAUSED']);

/** Google refuses more in one request (requestError TOO_MANY_MUTATE_OPERATIONS); the caller sends several. */
export const MAX_OPERATIONS_PER_MUTATE = 10_000;

function resultOf(body: unknown, count: number, validateOnly: boolean): MutateResult {
  const answer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const results = Array.isArray(answer.results) ? (answer.results as Record<string, unknown>[]) : [];
  const partial = answer.partialFailureError ? parseStatus(answer.partialFailureError) : undefined;
  const byOperation = new Map<number, GoogleAdsErrorDetail[]>();
  const otherErrors: GoogleAdsErrorDetail[] = [];
  for (const error of partial?.errors ?? []) {
    if (error.operationIndex === undefined || error.operationIndex >= count) otherErrors.push(error);
    else byOperation.set(error.operationIndex, [...(byOperation.get(error.operationIndex) ?? []), error]);
  }
  const operations = Array.from({ length: count }, (_, index): OperationResult => {
    const errors = byOperation.get(index);
    if (errors) return { index, ok: false, errors };
    const resourceName = results[index]?.resourceName;
    return {
      index,
      ok: true,
      resourceName: typeof resourceName === 'string' && resourceName ? resourceName : undefined,
    };
  });
  return { validateOnly, operations, otherErrors };
}

async function mutate(
  session: GoogleAdsSession,
  service: 'campaigns' | 'campaignBudgets',
  operations: Operation[],
  options: MutateOptions,
): Promise<MutateResult> {
  const validateOnly = options.validateOnly === true;
  if (operations.length === 0) return { validateOnly, operations: [], otherErrors: [] };
  if (operations.length > MAX_OPERATIONS_PER_MUTATE) {
    throw new GoogleAdsRejectedError(
      `${operations.length} changes in one request, Google takes at most ${MAX_OPERATIONS_PER_MUTATE}: send them in parts`,
    );
  }
  const body = {
    operations,
    ...(options.partialFailure ? { partialFailure: true } : {}),
    ...(validateOnly ? { validateOnly: true } : {}),
  };
  const answer = await session.post(`${service}:mutate`, body, options);
  return resultOf(answer, operations.length, validateOnly);
}

/** Pauses or enables campaigns. */
export async function setCampaignStatuses(
  session: GoogleAdsSession,
  changes: readonly CampaignStatusChange[],
  options: MutateOptions = {},
): Promise<MutateResult> {
  const operations = changes.map((change) => {
    if (!SETTABLE.has(change.status)) {
      throw new GoogleAdsRejectedError(`a campaign's status can be set to ENABLED or PAUSED, not ${change.status}`);
    }
    const id = resourceIdOf('campaign', change.campaignId);
    return {
      update: { resourceName: `customers/${session.customerId}/campaigns/${id}`, status: change.status },
      updateMask: 'status',
    };
  });
  return mutate(session, 'campaigns', operations, options);
}

/** Sets budgets' daily amounts. int64 travels as a JSON string, so the amount stays exact. */
export async function setBudgetAmounts(
  session: GoogleAdsSession,
  changes: readonly BudgetAmountChange[],
  options: MutateOptions = {},
): Promise<MutateResult> {
  const operations = changes.map((change) => {
    const id = resourceIdOf('campaign budget', change.budgetId);
    return {
      update: {
        resourceName: `customers/${session.customerId}/campaignBudgets/${id}`,
        amountMicros: change.amountMicros.toString(),
      },
      // A FieldMask in JSON names its paths in lowerCamelCase.
      updateMask: 'amountMicros',
    };
  });
  return mutate(session, 'campaignBudgets', operations, options);
}
