/**
 * Tasks for people on a task: who holds it (named, or on behalf of someone, or the role's pool),
 * 转交 (transfer, with a user picker of those eligible and a reason) and 催办 (urge, with a message;
 * it says when urging is next allowed). The buttons render only where the server's rules allow.
 */
import CampaignIcon from '@mui/icons-material/Campaign';
import ForwardIcon from '@mui/icons-material/Forward';
import Alert from '@mui/material/Alert';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { useCan } from '../common/access';
import { ActionButton } from '../common/ActionButton';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { useFormatDateTime } from '../common/fields';
import { apiCall } from '../providers/httpClient';
import { useTaskAction } from '../tasks/useTaskAction';

export interface PeopleTask {
  id: string;
  step: string;
  status: string;
  schoolId: number | null;
  districtId?: number | null;
  assigneeRole: string;
  assigneeUserId?: number | null;
  assigneeName?: string | null;
  onBehalfOf?: number | null;
  onBehalfOfName?: string | null;
  claimedBy?: number | null;
  urgedAt?: string | null;
  nextUrgeAt?: string | null;
  registrationName?: string;
}

/** Who holds the task: "王校长", "李主任 代 王校长", or "any 校长". */
export function AssigneeField(_: { label?: string; source?: string }) {
  const task = useRecordContext<PeopleTask>();
  const translate = useTranslate();
  if (!task) return null;
  if (task.assigneeUserId == null) {
    return (
      <Typography variant="body2" color="textSecondary" component="span" data-testid="assignee">
        {translate('app.people.role_pool', { role: translate(`app.role.${task.assigneeRole}`, { _: task.assigneeRole }) })}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" component="span" data-testid="assignee" sx={{ overflowWrap: 'anywhere' }}>
      {task.onBehalfOfName ? translate('app.people.on_behalf', { actor: task.assigneeName ?? '', for: task.onBehalfOfName }) : task.assigneeName}
    </Typography>
  );
}

export function TransferButton() {
  const task = useRecordContext<PeopleTask>();
  const can = useCan();
  const translate = useTranslate();
  const fullScreen = useFullScreenDialog();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [toUserId, setToUserId] = useState<number | ''>('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  // Fetched when the dialog opens (not a cached query: the screen's refresh after the transfer must not ask again).
  const [candidates, setCandidates] = useState<{ data?: { id: number; name: string }[] }>({});
  const taskId = task?.id;
  useEffect(() => {
    if (!open || !taskId) return;
    let live = true;
    apiCall<{ id: number; name: string }[]>(`/tasks/${taskId}/transfer-candidates`).then(
      (data) => live && setCandidates({ data }),
      () => live && setCandidates({ data: [] }),
    );
    return () => {
      live = false;
    };
  }, [open, taskId]);
  if (!task || task.status !== 'open' || !can('tasks', 'transfer', task)) return null;
  const close = () => {
    setOpen(false);
    setTried(false);
  };
  const confirm = () => {
    setTried(true);
    if (toUserId === '' || !reason.trim()) return;
    void run(() => apiCall(`/tasks/${task.id}/transfer`, { method: 'POST', body: { toUserId, reason: reason.trim() } }), 'app.people.transferred', () => {
      close();
      setReason('');
      setToUserId('');
    });
  };
  return (
    <>
      <ActionButton label="app.people.transfer" icon={<ForwardIcon />} onClick={() => setOpen(true)} data-testid="open-transfer" />
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm" fullScreen={fullScreen}>
        <DialogTitle>
          {translate('app.people.transfer_title')}
          {task.registrationName ? ` · ${task.registrationName}` : ''}
        </DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {candidates.data && candidates.data.length === 0 ? <Alert severity="info">{translate('app.people.no_candidates')}</Alert> : null}
            <TextField
              select
              label={translate('app.people.transfer_to')}
              value={toUserId}
              onChange={(e) => setToUserId(Number(e.target.value))}
              fullWidth
              error={tried && toUserId === ''}
              helperText={tried && toUserId === '' ? translate('app.people.choose_user') : ' '}
              slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'transfer-to' } as never } }}
            >
              {(candidates.data ?? []).map((u) => (
                <MenuItem key={u.id} value={u.id} data-testid="transfer-candidate">
                  {u.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={translate('app.people.transfer_reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={2}
              fullWidth
              required
              error={tried && !reason.trim()}
              helperText={tried && !reason.trim() ? translate('app.people.reason_required') : ' '}
              slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'transfer-reason' } }}
            />
          </Stack>
        </DialogContent>
        <StickyActions>
          <ActionButton label="ra.action.cancel" onClick={close} />
          <ActionButton label="app.people.transfer" variant="contained" disabled={busy} onClick={confirm} data-testid="confirm-transfer" />
        </StickyActions>
      </Dialog>
    </>
  );
}

export function UrgeButton() {
  const task = useRecordContext<PeopleTask>();
  const can = useCan();
  const translate = useTranslate();
  const format = useFormatDateTime();
  const fullScreen = useFullScreenDialog();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  if (!task || task.status !== 'open' || !can('tasks', 'urge', task)) return null;
  const waiting = !!task.nextUrgeAt && Date.parse(task.nextUrgeAt) > Date.now();
  const close = () => setOpen(false);
  return (
    <>
      <ActionButton label="app.people.urge" icon={<CampaignIcon />} onClick={() => setOpen(true)} data-testid="open-urge" />
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm" fullScreen={fullScreen}>
        <DialogTitle>
          {translate('app.people.urge_title')}
          {task.registrationName ? ` · ${task.registrationName}` : ''}
        </DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <Typography variant="body2">
              {translate('app.people.assignee')}：<AssigneeField />
            </Typography>
            {task.urgedAt ? (
              <Typography variant="body2" color="textSecondary" data-testid="urge-last">
                {translate('app.people.urge_last', { time: format(task.urgedAt) })}
              </Typography>
            ) : null}
            {waiting ? (
              <Alert severity="info" data-testid="urge-next">
                {translate('app.people.urge_next', { time: format(task.nextUrgeAt) })}
              </Alert>
            ) : null}
            <TextField
              label={translate('app.people.urge_message')}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              multiline
              minRows={2}
              fullWidth
              slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'urge-message' } }}
            />
          </Stack>
        </DialogContent>
        <StickyActions>
          <ActionButton label="ra.action.cancel" onClick={close} />
          <ActionButton
            label="app.people.urge"
            variant="contained"
            disabled={busy || waiting}
            onClick={() => void run(() => apiCall(`/tasks/${task.id}/urge`, { method: 'POST', body: { message: message.trim() || null } }), 'app.people.urged', () => {
              close();
              setMessage('');
            })}
            data-testid="confirm-urge"
          />
        </StickyActions>
      </Dialog>
    </>
  );
}
