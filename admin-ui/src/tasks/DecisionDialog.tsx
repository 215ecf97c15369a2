import GavelIcon from '@mui/icons-material/Gavel';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import { Button, useRecordContext, useTranslate } from 'react-admin';
import { useAppDataProvider } from '../common/fields';
import { useTaskAction } from './useTaskAction';

/** The bureau's decision on one registration: approve, return for revision, or reject (both with a reason). */
export function DecisionButton() {
  const task = useRecordContext<{ id: string; registrationName: string }>();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [needReason, setNeedReason] = useState(false);
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
    void run(() => dataProvider.completeTask(String(task.id), { action, comment: comment.trim() || null }), 'app.message.completed', close);
  };
  return (
    <>
      <Button label="app.action.decide" size="small" variant="contained" onClick={() => setOpen(true)}>
        <GavelIcon />
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>
          {translate('app.step.bureau_approval')} · {task.registrationName}
        </DialogTitle>
        <DialogContent>
          <TextField
            label={translate('app.message.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            multiline
            minRows={3}
            fullWidth
            sx={{ mt: 1 }}
            error={needReason && !comment.trim()}
            helperText={needReason && !comment.trim() ? translate('app.message.comment_required') : ' '}
          />
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={close} />
          <Button label="app.action.reject" color="error" disabled={busy} onClick={() => act('reject')} />
          <Button label="app.action.return" color="warning" disabled={busy} onClick={() => act('return')} />
          <Button label="app.action.approve" variant="contained" disabled={busy} onClick={() => act('approve')} />
        </DialogActions>
      </Dialog>
    </>
  );
}
