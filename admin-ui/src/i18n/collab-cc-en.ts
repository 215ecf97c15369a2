/** Strings of 抄送 (copies) and comments (issue 12). Merged into app.* and resources.* */
export const collabCcEnglish = {
  app: {
    ui: {
      tab_copied: 'Copied to me',
      empty_copied: 'Nothing has been copied to you',
      copied_at: 'Copied at',
      copy_unread: 'Unread',
      copy_read: 'Read',
      copy_state: 'Read state',
      copy_occasion_submit: 'Copied at submission',
      copy_occasion_approve: 'Copied at approval',
      open_copied: 'Open',
      read_only_copy: 'This registration was copied to you: you can read it, not act on it.',
      comments: 'Comments',
      comments_empty: 'No comments yet',
      comment_placeholder: 'Write a comment (everyone in the approval chain sees it)',
      comment_send: 'Post comment',
      comment_attach: 'Attach image',
      comment_attached: '%{smart_count} file attached |||| %{smart_count} files attached',
      comment_remove_file: 'Remove attachment',
      comment_sent: 'Comment posted',
      comment_attachment: 'Attachment',
      cc_hint: 'Copies: at submission (the registration entering the chain) and/or when this step is passed, the registration is copied to the chosen roles (within its school / district) and people; they can read it only.',
      cc_when_submit: 'At submission',
      cc_when_approve: 'When this step is passed',
      cc_when_both: 'At submission and when this step is passed',
      cc_people: 'Copied to %{smart_count} person |||| Copied to %{smart_count} people',
    },
    history_action: { copied: 'Copied', comment: 'Comment' },
    step: { cc: 'Copy', comment: 'Comment' },
  },
  resources: {
    'deadline-policies': {
      fields: { ccRoles: 'Copy roles', ccUserIds: 'Copy people', ccWhen: 'When to copy' },
    },
  },
};
