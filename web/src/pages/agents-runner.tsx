// The "run an agent" form (members and admins): the mode and its inputs, for the workspace the page
// has chosen; the answer streams into the panel below as it is written, then what was stored, as
// documents to read, or why it failed.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { AgentRunResult, AgentRunStarted } from '../../../src/contract/agent-stream.ts';
import { ApiError } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { Spinner } from '../components/status.tsx';
import { AgentField } from './agents-fields.tsx';
import {
  AGENT_MODES,
  type AgentMode,
  buildBody,
  type FormValues,
  initialValues,
  MODE_FIELDS,
  parseExtra,
} from './agents-inputs.tsx';
import { streamAgent } from './agents-sse.tsx';
import { StoredDocuments } from './agents-stored.tsx';

/** Needs no input, so a first run works as it stands. */
const FIRST_MODE: AgentMode = 'optimization';

type Phase = 'idle' | 'running' | 'completed' | 'failed' | 'cancelled';

interface RunState {
  phase: Phase;
  text: string;
  started?: AgentRunStarted;
  repairs: string[];
  result?: AgentRunResult;
  /** A refusal before the stream (ApiError, with field errors) or an `error` event. */
  error?: Error;
}

const IDLE: RunState = { phase: 'idle', text: '', repairs: [] };

/** zod's "expected string, received undefined" is, to a person filling a form, a missing value. */
function readable(message: string | undefined): string | undefined {
  return message && /received undefined/.test(message) ? 'Required.' : message;
}

/** Plans and funnels are the workspace's own: another workspace's choice would be refused. */
const clearChoices = (values: FormValues): FormValues =>
  Object.fromEntries(Object.entries(values).map(([path, v]) => [path, /^(planId|funnelId)$/.test(path) ? '' : v]));

export function AgentRunner({ workspaceId, onRunEnded }: { workspaceId: string; onRunEnded: () => void }) {
  const [mode, setMode] = useState<AgentMode>(FIRST_MODE);
  const [values, setValues] = useState<FormValues>(() => initialValues(FIRST_MODE));
  const [valuesFor, setValuesFor] = useState(workspaceId);
  if (valuesFor !== workspaceId) {
    setValuesFor(workspaceId);
    setValues(clearChoices);
  }
  const [extra, setExtra] = useState('');
  const [extraError, setExtraError] = useState<string>();
  const [run, setRun] = useState<RunState>(IDLE);
  const abort = useRef<AbortController | null>(null);
  const extraBox = useRef<HTMLDetailsElement>(null);

  // Leaving the page stops the run's stream (the server then closes the run as failed).
  useEffect(() => () => abort.current?.abort(), []);

  const running = run.phase === 'running';
  const apiError = run.error instanceof ApiError ? run.error : undefined;
  const fieldError = (path: string) => readable(apiError?.fieldMessage(path));
  const known = ['mode', 'workspaceId', ...MODE_FIELDS[mode].map((f) => f.path)];
  const otherErrors = (apiError?.fields ?? []).filter(
    (f) => !known.some((path) => f.field === path || f.field.startsWith(`${path}.`)),
  );

  // An error about the JSON box (or a field only it can hold) opens it; the person closes it.
  const extraHasError = Boolean(extraError) || otherErrors.length > 0;
  useEffect(() => {
    if (extraHasError && extraBox.current) extraBox.current.open = true;
  }, [extraHasError]);

  function chooseMode(next: AgentMode) {
    setMode(next);
    setValues(initialValues(next));
    setRun((current) => (current.phase === 'running' ? current : IDLE));
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    if (running) return;
    const parsed = parseExtra(extra);
    if ('error' in parsed) {
      setExtraError(`More inputs ${parsed.error}`);
      return;
    }
    setExtraError(undefined);
    const controller = new AbortController();
    abort.current = controller;
    setRun({ phase: 'running', text: '', repairs: [] });
    const body = buildBody(mode, workspaceId || undefined, values, parsed.value);
    let ended = 'failed' as Phase;
    try {
      const { finished } = await streamAgent(body, controller.signal, {
        onRun: (started) => setRun((r) => ({ ...r, started })),
        onText: (text) => setRun((r) => ({ ...r, text: r.text + text })),
        onRepair: (problems) =>
          setRun((r) => ({
            ...r,
            repairs: [...r.repairs, problems],
            text: `${r.text}\n\n── The answer did not fit; a corrected one follows ──\n\n`,
          })),
        onResult: (result) => {
          ended = 'completed';
          setRun((r) => ({ ...r, result }));
        },
        onError: (message) => setRun((r) => ({ ...r, error: new Error(message) })),
      });
      if (!finished && ended !== 'completed')
        setRun((r) => ({ ...r, error: r.error ?? new Error('The stream ended before the agent finished.') }));
    } catch (failure) {
      if ((failure as Error).name === 'AbortError') ended = 'cancelled';
      else setRun((r) => ({ ...r, error: failure as Error }));
    } finally {
      if (abort.current === controller) abort.current = null;
    }
    setRun((r) => ({ ...r, phase: ended }));
    onRunEnded();
  }

  return (
    <section className="panel agent-runner" aria-labelledby="run-agent-title">
      <h2 id="run-agent-title">Run a CMO agent</h2>
      <form onSubmit={start} noValidate>
        <div className="agent-fields">
          <div className="agent-field">
            <label htmlFor="agent-mode">Mode</label>
            <select
              id="agent-mode"
              value={mode}
              disabled={running}
              onChange={(e) => chooseMode(e.target.value as AgentMode)}
            >
              {AGENT_MODES.map((m) => (
                <option key={m.mode} value={m.mode}>
                  {m.label}
                </option>
              ))}
            </select>
            {fieldError('mode') && <span className="field-error">{fieldError('mode')}</span>}
          </div>
          {MODE_FIELDS[mode].map((field) => (
            <AgentField
              key={`${mode}:${field.path}`}
              field={field}
              value={values[field.path] ?? ''}
              error={fieldError(field.path)}
              onChange={(value) => setValues((v) => ({ ...v, [field.path]: value }))}
              workspaceId={workspaceId}
            />
          ))}
        </div>
        {fieldError('workspaceId') && <p className="field-error">Workspace: {fieldError('workspaceId')}</p>}
        <details className="agent-extra" ref={extraBox}>
          <summary>More inputs (JSON)</summary>
          <label htmlFor="agent-extra" className="visually-hidden">
            More inputs (JSON)
          </label>
          <textarea
            id="agent-extra"
            rows={4}
            value={extra}
            placeholder={'{"targetMetrics": {"leads": 100}}'}
            aria-invalid={extraError || otherErrors.length > 0 ? true : undefined}
            onChange={(e) => setExtra(e.target.value)}
          />
          <span className="muted small">Any other input of the mode, merged into the request.</span>
          {extraError && <span className="field-error">{extraError}</span>}
          {otherErrors.map((f) => (
            <span key={f.field} className="field-error">
              {f.field}: {readable(f.message)}
            </span>
          ))}
        </details>
        <div className="row agent-actions">
          <button type="submit" className="primary" disabled={running}>
            {running && <Spinner label="Agent running" />}
            Run agent
          </button>
          {running && (
            <button type="button" onClick={() => abort.current?.abort()}>
              Cancel
            </button>
          )}
        </div>
      </form>
      <RunOutput run={run} />
    </section>
  );
}

function RunOutput({ run }: { run: RunState }) {
  const pre = useRef<HTMLPreElement>(null);
  // Keep the newest text in view while it streams.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls whenever the text grows
  useEffect(() => {
    const node = pre.current;
    if (node) node.scrollTop = node.scrollHeight;
  }, [run.text]);

  if (run.phase === 'idle') return null;
  return (
    <div className="agent-output">
      <div className="row agent-status" role="status">
        {run.phase === 'running' ? (
          <>
            <Spinner label="Streaming" /> {run.started ? `Streaming from ${run.started.agent}…` : 'Starting the agent…'}
          </>
        ) : (
          <Badge value={run.phase} />
        )}
        {run.started && (
          <span className="muted small">
            run {run.started.runId} · provider {run.started.provider}
            {run.started.model ? ` · ${run.started.model}` : ''}
          </span>
        )}
      </div>
      {/* Refused before it started (e.g. a 422): nothing streamed, so no empty stream box. */}
      {(run.phase === 'running' || run.started || run.text) && (
        <pre className="stream" ref={pre} aria-live="polite">
          {run.text || (run.phase === 'running' ? '…' : '')}
        </pre>
      )}
      {run.phase === 'cancelled' && <p className="notice">Cancelled: the agent run was stopped.</p>}
      {run.error && <RunError error={run.error} />}
      {run.result && <Stored result={run.result} />}
    </div>
  );
}

function RunError({ error }: { error: Error }) {
  const refused = error instanceof ApiError && error.fields.length > 0;
  return (
    <div className="notice error" role="alert">
      <strong>{refused ? 'Check the inputs marked above.' : 'The agent did not finish.'}</strong> {error.message}
    </div>
  );
}

function Stored({ result }: { result: AgentRunResult }) {
  return (
    <div className="card good agent-result">
      <h3>{result.records.length === 0 ? 'Done: nothing new was stored' : 'Done'}</h3>
      <StoredDocuments runId={result.run_id} output={result.output} records={result.records} />
    </div>
  );
}
