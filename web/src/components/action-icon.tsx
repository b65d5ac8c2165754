// The seed's icons per action type: pause, scale, optimize, post; and a change made on an ad
// platform outside Nightshift; a person's pause or resume by hand.
const ICONS: Record<string, { icon: string; label: string }> = {
  auto_pause: { icon: '⏸', label: 'Pause' },
  auto_scale_up: { icon: '⬆', label: 'Scale' },
  auto_resume: { icon: '▶', label: 'Resume' },
  auto_post: { icon: '📱', label: 'Post' },
  optimization_applied: { icon: '🔧', label: 'Optimize' },
  notify: { icon: '🔔', label: 'Notify' },
  external_change: { icon: '✎', label: 'Changed outside' },
  manual_pause: { icon: '⏸', label: 'Paused by hand' },
  manual_resume: { icon: '▶', label: 'Resumed by hand' },
};

export function actionLabel(type: string): string {
  return ICONS[type]?.label ?? type.replaceAll('_', ' ');
}

export function ActionIcon({ type }: { type: string }) {
  const known = ICONS[type] ?? { icon: '⚙', label: type };
  return (
    <span className="action-icon" role="img" aria-label={known.label} title={known.label}>
      {known.icon}
    </span>
  );
}
