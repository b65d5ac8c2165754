// An action in a sentence, for the pages and messages people act from outside the dashboard
// ("Pause the campaign"). The dashboard's filter words are its own (web/src/pages/actions-row.tsx).
const ACTION_WORDS: Record<string, string> = {
  auto_pause: 'Pause the campaign',
  auto_scale_up: 'Raise the campaign’s budget',
  auto_resume: 'Resume the paused campaign',
  auto_post: 'Publish a social post',
  notify: 'An alert',
  rollback: 'Undo an earlier action',
  external_change: 'A change made on the ad platform',
  manual_pause: 'Pause the campaign (by hand)',
  manual_resume: 'Resume the campaign (by hand)',
  kill_variant: 'Stop the losing variant',
  rewrite_email_subject: 'Rewrite the e-mail’s subject line',
  rewrite_email_body: 'Rewrite the e-mail’s body',
  rewrite_sms_copy: 'Rewrite the SMS text',
  rewrite_voice_script: 'Rewrite the voice script',
  change_delay: 'Change the wait before a sequence step',
};

export const actionInWords = (actionType: string) => ACTION_WORDS[actionType] ?? actionType.replaceAll('_', ' ');
