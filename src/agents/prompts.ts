// The messages a gateway model receives (the seed's request: one system and one user message).
// The system message carries the agent's role and the JSON Schema of its answer, generated from
// the same zod schema that validates the answer; the user message carries the request and the
// workspace's own data as JSON. A repair turn shows the model its answer and what was wrong.
import { z } from 'zod';
import type { WorkspaceContext } from './workspace-context.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export function agentMessages(
  instructions: string,
  output: z.ZodType,
  request: unknown,
  context: WorkspaceContext,
): ChatMessage[] {
  const brand = context.brand?.brand_name ?? context.workspace.name;
  const schema = JSON.stringify(z.toJSONSchema(output, { io: 'input', unrepresentable: 'any' }));
  const system = [
    `You are part of the CMO team of ${brand}, working in Nightshift, a marketing automation engine.`,
    instructions,
    'Use only the facts in the workspace data and the request; never invent offers, segments, prices or results.',
    `Write in the brand voice${context.brand?.brand_voice ? ` ("${context.brand.brand_voice}")` : ''}.`,
    `Money is in ${context.tenant.currency}. Dates are ISO (YYYY-MM-DD).`,
    'Answer with one JSON object and nothing else: no Markdown fences, no commentary.',
    `It must validate against this JSON Schema: ${schema}`,
  ].join('\n');
  const user = `Request:\n${JSON.stringify(request)}\n\nWorkspace data:\n${JSON.stringify(context)}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** The conversation again, with the unusable answer and what was wrong with it. */
export function repairMessages(messages: ChatMessage[], answer: string, problems: string): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: answer },
    {
      role: 'user',
      content: `Your answer could not be used:\n${problems}\nAnswer again with the corrected JSON object only.`,
    },
  ];
}
