/**
 * The bureau's queue: approve or return many registrations at once. The selection becomes one
 * server-side job (POST /api/bulk-jobs) that goes on even if this tab is closed; the dialog polls
 * its progress and lists every item's result as it is decided (one failure never stops the others).
 */
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import DoneAllIcon from '@mui/icons-material/DoneAll';
import ErrorIcon from '@mui/icons-material/Error';
import UndoIcon from '@mui/icons-material/Undo';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { useListContext, useRefresh, useTranslate } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { useAppDataProvider } from '../common/fields';
import type { BulkItemResult } from '../providers/dataProvider';
import { localizeMessage } from '../providers/localize';

/** How often the dialog asks the job how far it is. */
const POLL_MS = 1000;

type Phase = 'closed' | 'confirm' | 'running' | 'done';

function BulkDecision({ action }: { action: 'approve' | 'return' }) {
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const refresh = useRefresh();
  // onUnselectItems clears the selection of this list's own store key (the inbox keeps one per tab).
  const { selectedIds, data = [], onUnselectItems } = useListContext();
  const fullScreen = useFullScreenDialog();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [phase, setPhase] = useState<Phase>('closed');
  const [reason, setReason] = useState('');
  const [needReason, setNeedReason] = useState(false);
  const [done, setDone] = useState(0);
  const [results, setResults] = useState<BulkItemResult[]>([]);
  const [ids, setIds] = useState<string[]>([]);
  const watching = useRef(false);
  useEffect(() => () => void (watching.current = false), []);

  const nameOf = (id: string) => names.get(id) ?? id;

  const start = async () => {
    if (action === 'return' && !reason.trim()) {
      setNeedReason(true);
      return;
    }
    const all = selectedIds.map(String);
    // Results are named by registration, also for rows no longer on the page.
    const known = new Map<string, string>(data.filter((t) => all.includes(String(t.id))).map((t) => [String(t.id), t.registrationName]));
    const missing = all.filter((id) => !known.has(id));
    if (missing.length) {
      const { data: more } = await dataProvider.getMany('tasks', { ids: missing }).catch(() => ({ data: [] as { id: string; registrationName: string }[] }));
      for (const t of more) known.set(String(t.id), t.registrationName);
    }
    setNames(known);
    setIds(all);
    setDone(0);
    setResults([]);
    setPhase('running');
    watching.current = true;
    try {
      let job = await dataProvider.startBulkJob({ ids: all, action, comment: action === 'return' ? reason.trim() : null });
      while (watching.current) {
        setResults(job.results.filter((r): r is BulkItemResult => r !== null));
        setDone(job.done);
        if (job.finished) break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await dataProvider.bulkJob(job.id);
      }
    } catch (error) {
      setResults(all.map((id) => ({ id, ok: false, status: (error as { status?: number }).status ?? 0, message: (error as Error).message })));
      setDone(all.length);
    }
    // The decided rows leave the list: no selection may outlive the action ("已选 4 项" of rows gone).
    onUnselectItems();
    // Unless the dialog was closed meanwhile (the job then finishes on its own).
    if (watching.current) setPhase('done');
    watching.current = false;
  };

  // Closing while it runs only stops watching: the job goes on on the server.
  const close = () => {
    watching.current = false;
    if (phase === 'running' || phase === 'done') {
      onUnselectItems();
      refresh();
    }
    setPhase('closed');
    setNeedReason(false);
  };

  const ok = results.filter((r) => r.ok).length;
  const title = translate(action === 'approve' ? 'app.message.bulk_approve_title' : 'app.message.bulk_return_title');
  return (
    <>
      <ActionButton
        label={action === 'approve' ? 'app.action.bulk_approve' : 'app.action.bulk_return'}
        color={action === 'approve' ? 'primary' : 'warning'}
        icon={action === 'approve' ? <DoneAllIcon /> : <UndoIcon />}
        onClick={() => setPhase('confirm')}
        data-testid={`bulk-${action}`}
      />
      <Dialog open={phase !== 'closed'} onClose={close} fullWidth maxWidth="sm" fullScreen={fullScreen}>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>
          {phase === 'confirm' ? (
            <>
              <Typography gutterBottom>{translate(action === 'approve' ? 'app.message.bulk_approve_confirm' : 'app.message.bulk_return_confirm', { smart_count: selectedIds.length })}</Typography>
              {action === 'return' ? (
                <TextField
                  label={translate('app.message.return_reason')}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  multiline
                  minRows={2}
                  fullWidth
                  autoFocus
                  error={needReason && !reason.trim()}
                  helperText={needReason && !reason.trim() ? translate('app.message.comment_required') : ' '}
                />
              ) : null}
            </>
          ) : null}
          {phase === 'running' || phase === 'done' ? (
            <>
              <Typography variant="body2" gutterBottom data-testid="bulk-progress-text">
                {phase === 'running'
                  ? translate('app.message.bulk_running', { done, total: ids.length })
                  : translate('app.message.bulk_done', { ok, failed: results.length - ok })}
              </Typography>
              <LinearProgress variant="determinate" value={ids.length ? (done / ids.length) * 100 : 0} data-testid="bulk-progress" />
              {results.length ? (
                <>
                  <Typography variant="subtitle2" sx={{ mt: 2 }}>
                    {translate('app.message.bulk_results')}
                  </Typography>
                  <List dense data-testid="bulk-results">
                    {results.map((r) => (
                      <ListItem key={r.id} data-ok={r.ok ? 'yes' : 'no'}>
                        <ListItemIcon sx={{ minWidth: 32 }}>{r.ok ? <CheckCircleIcon color="success" fontSize="small" /> : <ErrorIcon color="error" fontSize="small" />}</ListItemIcon>
                        <ListItemText primary={nameOf(r.id)} secondary={r.ok ? translate('app.message.ok') : `${translate('app.message.failed')}：${r.message ? localizeMessage(r.message) : r.status}`} />
                      </ListItem>
                    ))}
                  </List>
                </>
              ) : null}
            </>
          ) : null}
        </DialogContent>
        <StickyActions>
          {phase === 'confirm' ? (
            <>
              <ActionButton label="ra.action.cancel" onClick={close} />
              <ActionButton label="ra.action.confirm" variant="contained" onClick={start} data-testid="bulk-confirm" />
            </>
          ) : (
            <ActionButton label="ra.action.close" onClick={close} data-testid="bulk-close" />
          )}
        </StickyActions>
      </Dialog>
    </>
  );
}

export const BulkDecisionButtons = () => (
  <>
    <BulkDecision action="approve" />
    <BulkDecision action="return" />
  </>
);
