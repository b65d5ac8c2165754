// The inputs each agent mode takes (src/agents/agent-inputs.ts), as form fields: the important
// ones get a field, the rest go in the form's JSON box. Each field names where its value goes in
// the request body, which is also the name the API's field errors use.

export const AGENT_MODES = [
  { mode: 'setup', label: 'Setup (brand intake)' },
  { mode: 'strategy', label: 'Strategy (90-day plan)' },
  { mode: 'funnels', label: 'Funnels' },
  { mode: 'campaigns', label: 'Campaigns' },
  { mode: 'content', label: 'Content' },
  { mode: 'optimization', label: 'Optimization' },
] as const;
export type AgentMode = (typeof AGENT_MODES)[number]['mode'];

export interface InputField {
  /** Where the value goes in the body, dotted ("constraints.channels"); the API's error names it so. */
  path: string;
  label: string;
  kind: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'list' | 'checks' | 'campaign' | 'plan' | 'funnel';
  required?: boolean;
  options?: readonly string[];
  hint?: string;
  initial?: string;
}

const INTAKE_STEPS = ['brand', 'audience', 'offers', 'voice', 'complete'] as const;
const FUNNEL_TYPES = ['lead_magnet', 'webinar', 'demo_request', 'free_trial', 'ecommerce', 'outbound'] as const;
const FUNNEL_STAGES = ['awareness', 'consideration', 'conversion', 'retention'] as const;
const CAMPAIGN_GOALS = ['leads', 'meetings', 'revenue'] as const;
const ASSET_TYPES = ['email', 'sms', 'voice', 'social_post', 'landing_page', 'ad'] as const;
const PERIODS = ['7d', '14d', '30d', '90d'] as const;

const channels = (required: boolean, path = 'channels'): InputField => ({
  path,
  label: 'Channels',
  kind: 'list',
  required,
  hint: 'Lowercase names separated by commas, e.g. email, linkedin',
});
const planId: InputField = { path: 'planId', label: 'Plan', kind: 'plan', hint: 'One the strategy agent wrote' };
const funnelId: InputField = { path: 'funnelId', label: 'Funnel', kind: 'funnel', hint: 'One the funnels agent wrote' };

export const MODE_FIELDS: Record<AgentMode, InputField[]> = {
  setup: [
    {
      path: 'messages',
      label: 'Your message',
      kind: 'textarea',
      required: true,
      hint: 'What you tell the brand intake, e.g. your brand, audience or offers',
    },
    { path: 'currentStep', label: 'Step being answered', kind: 'select', options: INTAKE_STEPS, initial: 'brand' },
  ],
  strategy: [
    { path: 'primaryGoal', label: 'Primary goal', kind: 'text', required: true },
    { path: 'budget', label: 'Budget', kind: 'number', required: true },
    { path: 'startDate', label: 'Start date', kind: 'date' },
    channels(false, 'constraints.channels'),
    { path: 'constraints.notes', label: 'Notes', kind: 'textarea' },
  ],
  funnels: [planId, { path: 'funnelType', label: 'Funnel type', kind: 'select', options: FUNNEL_TYPES }],
  campaigns: [
    { path: 'campaignGoal', label: 'Campaign goal', kind: 'select', options: CAMPAIGN_GOALS, required: true },
    channels(true),
    { path: 'preferences.budget', label: 'Budget', kind: 'number' },
    planId,
    funnelId,
  ],
  content: [
    { path: 'campaignId', label: 'Campaign', kind: 'campaign', required: true },
    { path: 'funnelStage', label: 'Funnel stage', kind: 'select', options: FUNNEL_STAGES, required: true },
    channels(true),
    { path: 'ctaIntent', label: 'Call-to-action intent', kind: 'text', required: true },
    { path: 'contentTypes', label: 'Content types', kind: 'checks', options: ASSET_TYPES, required: true },
  ],
  optimization: [
    { path: 'period', label: 'Period analysed', kind: 'select', options: PERIODS, initial: '30d' },
    planId,
    funnelId,
  ],
};

/** The form's values per field path: text as typed; checks as comma-joined choices. */
export type FormValues = Record<string, string>;

export function initialValues(mode: AgentMode): FormValues {
  return Object.fromEntries(MODE_FIELDS[mode].map((f) => [f.path, f.initial ?? '']));
}

/** A field's value as the API takes it; undefined leaves it out (the API names what is missing). */
function apiValue(field: InputField, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  switch (field.kind) {
    case 'number':
      return Number(trimmed);
    case 'list':
    case 'checks':
      return trimmed
        .split(/[\s,]+/)
        .map((item) => item.trim())
        .filter(Boolean);
    case 'textarea':
      // The intake takes a conversation: the message is the user's turn.
      return field.path === 'messages' ? [{ role: 'user', content: trimmed }] : trimmed;
    default:
      return trimmed;
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (child === null || typeof child !== 'object' || Array.isArray(child)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * The kernel's body: the mode, the workspace, the fields filled in, and the JSON box's object on
 * top (its nested objects merged into the fields' ones).
 */
export function buildBody(
  mode: AgentMode,
  workspaceId: string | undefined,
  values: FormValues,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { mode };
  if (workspaceId) body.workspaceId = workspaceId;
  for (const field of MODE_FIELDS[mode]) {
    const value = apiValue(field, values[field.path] ?? '');
    if (value !== undefined) setPath(body, field.path, value);
  }
  for (const [key, value] of Object.entries(extra)) {
    const current = body[key];
    const bothObjects =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current);
    body[key] = bothObjects ? { ...(current as object), ...(value as object) } : value;
  }
  return body;
}

/** The JSON box: empty, or one JSON object. */
export function parseExtra(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { error: 'must be a JSON object, like {"targetMetrics": {"leads": 100}}' };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `is not valid JSON: ${(error as Error).message}` };
  }
}
