/**
 * What a ledger row of a CMO loop change (kill_variant, change_delay, rewrite_*) holds in
 * previous_state and new_state: the target and the one value the change moves. Rolling back sets
 * `value` back to previous_state's, provided the target still holds new_state's.
 */
export type OptimizationState =
  | {
      target: 'variant_copy';
      variant_id: string;
      field: 'subject' | 'body' | 'sms_copy' | 'voice_script';
      value: string | null;
    }
  | { target: 'variant_status'; variant_id: string; asset_id: string; value: 'active' | 'killed' }
  | { target: 'asset_delay'; asset_id: string; value: number };
