/** Strings of 抄送 (copies) and comments (issue 12). Merged into app.* and resources.* */
export const collabCcChinese = {
  app: {
    ui: {
      tab_copied: '抄送我的',
      empty_copied: '暂无抄送给您的登记',
      copied_at: '抄送时间',
      copy_unread: '未读',
      copy_read: '已读',
      copy_state: '阅读状态',
      copy_occasion_submit: '提交时抄送',
      copy_occasion_approve: '通过时抄送',
      open_copied: '查看',
      read_only_copy: '此登记抄送给您，仅供查阅，您不能在此办理。',
      comments: '评论',
      comments_empty: '还没有评论',
      comment_placeholder: '写下评论（所有审批链上的人员都能看到）',
      comment_send: '发表评论',
      comment_attach: '添加图片',
      comment_attached: '已附 %{smart_count} 个文件',
      comment_remove_file: '移除附件',
      comment_sent: '评论已发表',
      comment_attachment: '附件',
      cc_hint: '抄送：在提交时（登记进入审批链）和/或本步通过时，将登记抄送给所选角色（在登记所属学校/区县范围内）和人员；被抄送人只能查阅。',
      cc_when_submit: '提交时',
      cc_when_approve: '本步通过时',
      cc_when_both: '提交时和本步通过时',
      cc_people: '抄送 %{smart_count} 人',
    },
    history_action: { copied: '抄送', comment: '评论' },
    step: { cc: '抄送', comment: '评论' },
  },
  resources: {
    'deadline-policies': {
      fields: { ccRoles: '抄送角色', ccUserIds: '抄送人', ccWhen: '抄送时机' },
    },
  },
};
