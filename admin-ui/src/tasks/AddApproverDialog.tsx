/** 加签: the holder of an open approval task adds someone before or after themselves (POST /api/tasks/:id/add-approver). */
import PersonAddIcon from '@mui/icons-material/PersonAddAlt1';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { ADD_APPROVER_STEPS, type TaskStep } from '@process';
import { ActionButton } from '../common/ActionButton';
import { useCan } from '../common/access';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { useAppDataProvider } from '../common/fields';
import { useTaskAction } from './useTaskAction';

export function AddApproverButton() {
  const task = useRecordContext<{ id: string; step: string; status: string; registrationName: string; schoolId: number | null; districtId?: number | null; claimedBy: number | null; assigneeUserId?: number | null }>();
  const can = useCan();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const fullScreen = useFullScreenDialog();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [userId, setUserId] = useState<number | ''>('');
  const [position, setPosition] = useState<'before' | 'after'>('before');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const candidates = useQuery({
    queryKey: ['tasks', task?.id, 'approver-candidates'],
    queryFn: () => dataProvider.approverCandidates(String(task!.id)),
    enabled: open && !!task,
  });
  // Rendered only where it applies: an open approval task the viewer may act on.
  if (!task || !ADD_APPROVER_STEPS.includes(task.step as TaskStep) || !can('tasks', 'complete', task)) return null;
  const close = () => {
    setOpen(false);
    setTouched(false);
  };
  const submit = () => {
    setTouched(true);
    if (userId === '' || !reason.trim()) return;
    void run(() => dataProvider.addApprover(String(task.id), { userId, position, reason: reason.trim() }), 'app.collab.add_approver_done', close);
  };
  return (
    <>
      <ActionButton label="app.collab.add_approver" variant="outlined" icon={<PersonAddIcon />} onClick={() => setOpen(true)} data-testid="open-add-approver" />
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm" fullScreen={fullScreen}>
        <DialogTitle>{translate('app.collab.add_approver_title', { name: task.registrationName })}</DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            <TextField
              select
              label={translate('app.collab.add_approver_user')}
              value={userId}
              onChange={(e) => setUserId(Number(e.target.value))}
              error={touched && userId === ''}
              helperText={candidates.data?.length === 0 ? translate('app.collab.no_candidates') : touched && userId === '' ? translate('ra.validation.required') : ' '}
              fullWidth
              slotProps={{ select: { MenuProps: { slotProps: { paper: { 'data-testid': 'add-approver-options' } as object } } } }}
              data-testid="add-approver-user"
            >
              {(candidates.data ?? []).map((u) => (
                <MenuItem key={u.id} value={u.id}>
                  {u.name}（{u.username}）
                </MenuItem>
              ))}
            </TextField>
            <div>
              <FormLabel>{translate('app.collab.add_approver_position')}</FormLabel>
              <RadioGroup value={position} onChange={(e) => setPosition(e.target.value as 'before' | 'after')}>
                <FormControlLabel value="before" control={<Radio size="small" />} label={translate('app.collab.position_before')} />
                <FormControlLabel value="after" control={<Radio size="small" />} label={translate('app.collab.position_after')} />
              </RadioGroup>
            </div>
            <TextField
              label={translate('app.collab.add_approver_reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={2}
              fullWidth
              error={touched && !reason.trim()}
              helperText={touched && !reason.trim() ? translate('ra.validation.required') : ' '}
              inputProps={{ maxLength: 500, 'data-testid': 'add-approver-reason' }}
            />
          </Stack>
        </DialogContent>
        <StickyActions>
          <ActionButton label="ra.action.cancel" onClick={close} />
          <ActionButton label="app.collab.add_approver" variant="contained" disabled={busy} onClick={submit} data-testid="confirm-add-approver" />
        </StickyActions>
      </Dialog>
    </>
  );
}

/** 退回到: the drafter (default) or an earlier step; the choices are the process rule's. */
export function ReturnTargetSelect({ targets, value, onChange }: { targets: readonly string[]; value: string; onChange: (v: string) => void }) {
  const translate = useTranslate();
  if (targets.length < 2) return null;
  return (
    <TextField select size="small" label={translate('app.collab.return_to')} value={value} onChange={(e) => onChange(e.target.value)} fullWidth data-testid="return-to">
      {targets.map((t) => (
        <MenuItem key={t} value={t}>
          {t === 'draft' ? translate('app.collab.return_to_draft') : translate(`app.step.${t}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}
