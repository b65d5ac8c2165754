// Reading and changing one campaign or ad set: its status (ACTIVE or PAUSED) and its daily budget.
// A change is one POST; whether a change whose answer was lost took effect is learnt by reading the
// object back (readObjectState) before sending it again, never by sending it twice blindly.
import { MetaRejectedError } from './errors.ts';
import { type CallOptions, graphCall, type MetaAnswer, type MetaSettings } from './http.ts';
import { isRecord, minorUnits, objectNode, text } from './wire.ts';

export interface MetaObjectState {
  id: string;
  status: string;
  /** Minor units of the account currency; null when the object has no budget of its own. */
  dailyBudget: string | null;
  lifetimeBudget: string | null;
  /** Graph's updated_time: 2025-06-11T09:00:00+0000. */
  updatedTime: string;
}

export interface MetaChange {
  status?: 'ACTIVE' | 'PAUSED';
  /** The new daily budget in the account currency's minor units: a positive integer ("5000", or 5000n). */
  dailyBudget?: string | bigint;
}

/** GET /{campaign or ad set id}?fields=status,daily_budget,lifetime_budget,updated_time */
export async function readObjectState(
  settings: MetaSettings,
  id: string,
  options: CallOptions = {},
): Promise<MetaAnswer<MetaObjectState>> {
  const node = objectNode(id);
  const fields = 'id,status,daily_budget,lifetime_budget,updated_time';
  const answer = await graphCall(settings, { method: 'GET', path: node, params: { fields }, signal: options.signal });
  const body = answer.value as Record<string, unknown>;
  return {
    value: {
      id: typeof body.id === 'string' && body.id ? body.id : node,
      status: text(body, 'status', 'campaign or ad set'),
      dailyBudget: minorUnits(body, 'daily_budget', 'campaign or ad set'),
      lifetimeBudget: minorUnits(body, 'lifetime_budget', 'campaign or ad set'),
      updatedTime: text(body, 'updated_time', 'campaign or ad set'),
    },
    usage: answer.usage,
  };
}

function formOf(change: MetaChange): Record<string, string> {
  const form: Record<string, string> = {};
  if (change.status !== undefined) {
    if (change.status !== 'ACTIVE' && change.status !== 'PAUSED') {
      throw new MetaRejectedError(`a status of "${String(change.status)}": only ACTIVE and PAUSED are sent`);
    }
    form.status = change.status;
  }
  if (change.dailyBudget !== undefined) {
    const budget = typeof change.dailyBudget === 'bigint' ? change.dailyBudget.toString() : change.dailyBudget;
    if (typeof budget !== 'string' || !/^[1-9]\d*$/.test(budget)) {
      throw new MetaRejectedError(`a daily budget of "${String(budget)}": it is a positive integer of minor units`);
    }
    form.daily_budget = budget;
  }
  if (Object.keys(form).length === 0) throw new MetaRejectedError('a change with nothing to change');
  return form;
}

export interface UpdateOptions extends CallOptions {
  /** Meta checks the change (`execution_options=["validate_only"]`) and changes nothing: a dry run. */
  validateOnly?: boolean;
}

/**
 * POST /{campaign or ad set id} with status and/or daily_budget. Meta answers {"success": true};
 * a 2xx without it leaves the change's fate unknown, so it is refused as rejected (read the
 * object back to learn what happened).
 */
export async function updateObject(
  settings: MetaSettings,
  id: string,
  change: MetaChange,
  options: UpdateOptions = {},
): Promise<MetaAnswer<true>> {
  const node = objectNode(id);
  const params = formOf(change);
  if (options.validateOnly) params.execution_options = '["validate_only"]';
  const answer = await graphCall(settings, { method: 'POST', path: node, params, signal: options.signal });
  if (!isRecord(answer.value) || answer.value.success !== true) {
    throw new MetaRejectedError('answered the change without "success": read the object back to learn its state', {
      usage: answer.usage,
    });
  }
  return { value: true, usage: answer.usage };
}
