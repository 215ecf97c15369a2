import RateReviewIcon from '@mui/icons-material/RateReview';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Button, useRecordContext, useTranslate } from 'react-admin';
import { useAppDataProvider } from '../common/fields';
import { useTaskAction } from './useTaskAction';

/** The lead-school leader's step: write the opinion (牵头学校意见) or return the draft with a reason. */
export function OpinionButton() {
  const task = useRecordContext<{ id: string; registrationName: string }>();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState<'opinion' | 'return' | null>(null);
  if (!task) return null;
  const close = () => {
    setOpen(false);
    setTouched(null);
  };
  const act = (action: 'opinion' | 'return') => {
    setTouched(action);
    if (!text.trim()) return;
    const body = action === 'opinion' ? { action, payload: { opinion: text.trim() } } : { action, comment: text.trim() };
    void run(() => dataProvider.completeTask(String(task.id), body), 'app.message.completed', close);
  };
  return (
    <>
      <Button label="app.action.opinion" size="small" variant="contained" onClick={() => setOpen(true)} data-testid="open-opinion">
        <RateReviewIcon />
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="md">
        <DialogTitle>
          {translate('resources.registrations.fields.leadSchoolOpinion')} · {task.registrationName}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="textSecondary" sx={{ mb: 1 }}>
            {translate('app.message.opinion_hint')}
          </Typography>
          <TextField
            name="opinion"
            label={translate('app.message.comment')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            multiline
            minRows={5}
            fullWidth
            autoFocus
            error={!!touched && !text.trim()}
            helperText={touched && !text.trim() ? translate(touched === 'return' ? 'app.message.comment_required' : 'ra.validation.required') : ' '}
          />
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={close} />
          <Button label="app.action.return" color="warning" disabled={busy} onClick={() => act('return')} />
          <Button label="app.action.opinion" variant="contained" disabled={busy} onClick={() => act('opinion')} data-testid="submit-opinion" />
        </DialogActions>
      </Dialog>
    </>
  );
}
