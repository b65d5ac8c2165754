// Small coloured labels: statuses and severities, colour-coded by one table.
const TONES: Record<string, string> = {
  pending: 'blue',
  applying: 'yellow',
  executed: 'green',
  rolled_back: 'grey',
  failed: 'red',
  dismissed: 'grey',
  superseded: 'grey',
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'grey',
  open: 'blue',
  in_progress: 'yellow',
  resolved: 'green',
  active: 'green',
  paused: 'yellow',
  draft: 'grey',
  completed: 'grey',
  scheduled: 'blue',
  sending: 'blue',
  posting: 'blue',
  posted: 'green',
  running: 'blue',
  cancelled: 'grey',
  connected: 'green',
  needs_reconnect: 'red',
  disconnected: 'grey',
};

export function Badge({ value }: { value: string }) {
  return <span className={`badge ${TONES[value] ?? 'grey'}`}>{value.replaceAll('_', ' ')}</span>;
}
