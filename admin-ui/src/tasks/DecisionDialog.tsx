import GavelIcon from '@mui/icons-material/Gavel';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { useAppDataProvider } from '../common/fields';
import { RegistrationSummary } from '../registrations/RegistrationSummary';
import { returnTargetsOf } from '@process';
import { ReturnTargetSelect } from './AddApproverDialog';
import { useTaskAction } from './useTaskAction';

/** The bureau's decision on one registration, with the form in view: approve, return for revision, or reject (both with a reason). */
export function DecisionButton() {
  const task = useRecordContext<{ id: string; registrationId: string; registrationName: string }>();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const fullScreen = useFullScreenDialog();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [needReason, setNeedReason] = useState(false);
  const [toStep, setToStep] = useState('draft');
  if (!task) return null;
  const close = () => {
    setOpen(false);
    setNeedReason(false);
  };
  const act = (action: 'approve' | 'return' | 'reject') => {
    if (action !== 'approve' && !comment.trim()) {
      setNeedReason(true);
      return;
    }
    const payload = action === 'return' && toStep !== 'draft' ? { toStep } : undefined;
    void run(() => dataProvider.completeTask(String(task.id), { action, comment: comment.trim() || null, ...(payload ? { payload } : {}) }), 'app.message.completed', close);
  };
  return (
    <>
      <ActionButton label="app.action.decide" variant="contained" icon={<GavelIcon />} onClick={() => setOpen(true)} data-testid="open-decision" />
      <Dialog open={open} onClose={close} fullWidth maxWidth="md" fullScreen={fullScreen}>
        <DialogTitle>
          {translate('app.step.bureau_approval')} · {task.registrationName}
        </DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            {open ? <RegistrationSummary registrationId={task.registrationId} /> : null}
            <ReturnTargetSelect targets={returnTargetsOf('bureau_approval')} value={toStep} onChange={setToStep} />
            <TextField
              label={translate('app.message.comment')}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              multiline
              minRows={3}
              fullWidth
              error={needReason && !comment.trim()}
              helperText={needReason && !comment.trim() ? translate('app.message.comment_required') : ' '}
            />
          </Stack>
        </DialogContent>
        <StickyActions>
          <ActionButton label="ra.action.cancel" onClick={close} />
          <ActionButton label="app.action.reject" color="error" variant="outlined" disabled={busy} onClick={() => act('reject')} />
          <ActionButton label="app.action.return" color="warning" variant="outlined" disabled={busy} onClick={() => act('return')} />
          <ActionButton label="app.action.approve" variant="contained" disabled={busy} onClick={() => act('approve')} data-testid="confirm-approve" />
        </StickyActions>
      </Dialog>
    </>
  );
}
