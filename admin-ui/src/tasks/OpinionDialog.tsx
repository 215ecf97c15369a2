import RateReviewIcon from '@mui/icons-material/RateReview';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { useAppDataProvider } from '../common/fields';
import { RegistrationSummary } from '../registrations/RegistrationSummary';
import { ACTION_PAYLOADS, checkPayload } from '@process';
import { useTaskAction } from './useTaskAction';

/** The lead-school leader's step: read the form, write the opinion (牵头学校意见) or return the draft with a reason. */
export function OpinionButton() {
  const task = useRecordContext<{ id: string; registrationId: string; registrationName: string }>();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const fullScreen = useFullScreenDialog();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState<'opinion' | 'return' | null>(null);
  if (!task) return null;
  const close = () => {
    setOpen(false);
    setTouched(null);
  };
  // The opinion as the server checks it (domain/process/payloads.ts); a return needs its reason.
  const opinionCheck = checkPayload(ACTION_PAYLOADS, 'opinion', { opinion: text });
  const opinionOk = opinionCheck.ok;
  const invalid = touched === 'opinion' ? !opinionOk : !!touched && !text.trim();
  const act = (action: 'opinion' | 'return') => {
    setTouched(action);
    if (action === 'opinion' ? !opinionOk : !text.trim()) return;
    const body = action === 'opinion' ? { action, payload: { opinion: text.trim() } } : { action, comment: text.trim() };
    void run(() => dataProvider.completeTask(String(task.id), body), 'app.message.completed', close);
  };
  return (
    <>
      <ActionButton label="app.action.opinion" variant="contained" icon={<RateReviewIcon />} onClick={() => setOpen(true)} data-testid="open-opinion" />
      <Dialog open={open} onClose={close} fullWidth maxWidth="md" fullScreen={fullScreen}>
        <DialogTitle>
          {translate('resources.registrations.fields.leadSchoolOpinion')} · {task.registrationName}
        </DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            {open ? <RegistrationSummary registrationId={task.registrationId} /> : null}
            <Typography variant="body2" color="textSecondary">
              {translate('app.message.opinion_hint')}
            </Typography>
            <TextField
              name="opinion"
              label={translate('app.message.comment')}
              value={text}
              onChange={(e) => setText(e.target.value)}
              multiline
              minRows={4}
              fullWidth
              error={invalid}
              helperText={
                !invalid ? ' ' : touched === 'return' ? translate('app.message.comment_required') : !text.trim() || opinionCheck.ok ? translate('ra.validation.required') : opinionCheck.errors['payload.opinion']
              }
            />
          </Stack>
        </DialogContent>
        <StickyActions>
          <ActionButton label="ra.action.cancel" onClick={close} />
          <ActionButton label="app.action.return" color="warning" variant="outlined" disabled={busy} onClick={() => act('return')} />
          <ActionButton label="app.ui.submit_opinion" variant="contained" disabled={busy} onClick={() => act('opinion')} data-testid="submit-opinion" />
        </StickyActions>
      </Dialog>
    </>
  );
}
