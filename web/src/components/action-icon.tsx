// An icon per action type: pause, scale, resume, post, notify; the CMO loop's copy rewrites, step
// delays and variant kills; a change made on an ad platform outside Nightshift; a person's pause or
// resume by hand; a rollback.
import { Icon, type IconName } from './icon.tsx';

const ICONS: Record<string, { icon: IconName; label: string }> = {
  auto_pause: { icon: 'pause', label: 'Pause' },
  auto_scale_up: { icon: 'trending-up', label: 'Scale' },
  auto_resume: { icon: 'play', label: 'Resume' },
  auto_post: { icon: 'send', label: 'Post' },
  optimization_applied: { icon: 'sliders', label: 'Optimize' },
  rewrite_email_subject: { icon: 'type', label: 'Rewrite' },
  rewrite_email_body: { icon: 'type', label: 'Rewrite' },
  rewrite_sms_copy: { icon: 'type', label: 'Rewrite' },
  rewrite_voice_script: { icon: 'type', label: 'Rewrite' },
  change_delay: { icon: 'clock', label: 'Delay' },
  kill_variant: { icon: 'x-circle', label: 'Stop variant' },
  notify: { icon: 'bell', label: 'Notify' },
  external_change: { icon: 'edit', label: 'Changed outside' },
  manual_pause: { icon: 'pause', label: 'Paused by hand' },
  manual_resume: { icon: 'play', label: 'Resumed by hand' },
  rollback: { icon: 'undo', label: 'Undo' },
};

export function actionLabel(type: string): string {
  return ICONS[type]?.label ?? type.replaceAll('_', ' ');
}

export function ActionIcon({ type }: { type: string }) {
  const known = ICONS[type] ?? { icon: 'dot', label: type.replaceAll('_', ' ') };
  return (
    <span className="action-icon" title={known.label}>
      <Icon name={known.icon} label={known.label} />
    </span>
  );
}
