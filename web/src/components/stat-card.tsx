import { Icon, type IconName } from './icon.tsx';

export function StatCard({ icon, label, value }: { icon: IconName; label: string; value: string }) {
  return (
    <div className="stat-card">
      <span className="stat-icon">
        <Icon name={icon} />
      </span>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
