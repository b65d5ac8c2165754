// The dashboard's only way to the server: the public HTTP API with the signed-in credential.
// Errors arrive as RFC 9457 problems (src/contract/problem.ts); they become ApiError, with the
// fields the API named.
import type { AgentRefusal } from '../../../src/contract/agent-stream.ts';
import type { FieldError, ProblemRecord } from '../../../src/contract/problem.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
  }

  /** The API's message for one field (inline validation), if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field || f.field.startsWith(`${field}.`))?.message;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A body sent as it is rather than as JSON (a CSV file), with its media type. */
  text?: { type: string; content: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type Credential = () => string | undefined;

/** Called when the server refuses the credential (401): the session is over. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

let credentialOf: Credential = () => undefined;
export function setCredentialSource(credential: Credential): void {
  credentialOf = credential;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new ApiError(response.status, text.trim() || `${response.status} ${response.statusText}`);
  }
  // A problem, or the agents' seed-shaped refusal ({"error": …}: 402, 429, 500).
  const problem = body as Partial<ProblemRecord & AgentRefusal>;
  const message = problem.detail ?? problem.error ?? `${response.status} ${response.statusText}`;
  return new ApiError(response.status, message, problem.errors ?? [], body);
}

/** A raw response (streams); throws ApiError when the status is not 2xx. */
export async function send(path: string, options: RequestOptions = {}, credential = credentialOf()): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (credential) headers.authorization = `Bearer ${credential}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.text) headers['content-type'] = options.text.type;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.text ? options.text.content : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Is `nightshift serve` running?');
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && credential === credentialOf()) onUnauthorized();
    throw problem;
  }
  return response;
}

/** JSON in, JSON out. */
export async function request<T>(path: string, options: RequestOptions = {}, credential?: string): Promise<T> {
  const response = await send(path, options, credential ?? credentialOf());
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
