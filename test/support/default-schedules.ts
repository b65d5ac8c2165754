// The schedules every installation starts with (migrations 0015, 0018, 0031, 0032, 0035 and 0044), by name, in
// the order the API and the CLI list them.
export const DEFAULT_SCHEDULES = [
  { name: 'actual-impact', task: 'actual-impact', cron: '30 5 * * *', data: {} },
  { name: 'ad-platform-changes', task: 'ad-platform-changes', cron: '* * * * *', data: {} },
  { name: 'ad-sync', task: 'ad-sync', cron: '50 * * * *', data: {} },
  { name: 'autonomous-cycle', task: 'autonomous-cycle', cron: '0 * * * *', data: {} },
  { name: 'campaign-runner', task: 'campaign-runner', cron: '* * * * *', data: {} },
  { name: 'cmo-daily-loop', task: 'cmo-loop', cron: '0 6 * * *', data: { mode: 'full' } },
  { name: 'cmo-weekly-summary', task: 'cmo-weekly-summary', cron: '0 9 * * 1', data: {} },
  { name: 'message-delivery', task: 'message-delivery', cron: '* * * * *', data: {} },
  { name: 'message-events', task: 'message-events', cron: '* * * * *', data: {} },
  { name: 'notifications', task: 'notifications', cron: '* * * * *', data: {} },
  { name: 'social-dispatcher', task: 'social-dispatcher', cron: '* * * * *', data: {} },
] as const;
