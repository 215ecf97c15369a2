/**
 * The two-year goal review: the lead school reports on every goal (progress, narrative, evidence
 * images); the bureau rates every goal and the whole (pass, pass with conditions, fail).
 */
import AssessmentIcon from '@mui/icons-material/Assessment';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Button, useGetList, useGetOne, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { useAppDataProvider } from '../common/fields';
import { uploadFile } from '../providers/httpClient';
import { useTaskAction } from './useTaskAction';

type Task = { id: string; registrationId: string; registrationName: string };
type Goal = { id: string; title: string; measures: string | null; indicator: string | null; targetDate: string | null };
type ReportItem = { goalId: string; status: string; narrative: string; evidenceFileIds: string[] };

const PROGRESS = ['achieved', 'in_progress', 'not_achieved'];
const RATINGS = ['pass', 'conditional', 'fail'];

function useGoals(registrationId: string | undefined, enabled: boolean) {
  const { data } = useGetOne<{ id: string; goals: Goal[] }>('registrations', { id: registrationId! }, { enabled: enabled && !!registrationId });
  return data?.goals;
}

function GoalHeading({ goal, index }: { goal: Goal; index: number }) {
  const translate = useTranslate();
  return (
    <>
      <Typography variant="subtitle1">
        {index + 1}. {goal.title}
      </Typography>
      {goal.measures ? (
        <Typography variant="body2" color="textSecondary">
          {translate('resources.registrations.fields.goals.measures')}：{goal.measures}
        </Typography>
      ) : null}
      {goal.indicator ? (
        <Typography variant="body2" color="textSecondary">
          {translate('resources.registrations.fields.goals.indicator')}：{goal.indicator}
        </Typography>
      ) : null}
    </>
  );
}

export function GoalReportButton() {
  const task = useRecordContext<Task>();
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Record<string, ReportItem>>({});
  const goals = useGoals(task?.registrationId, open);
  if (!task) return null;
  const itemOf = (goalId: string): ReportItem => items[goalId] ?? { goalId, status: '', narrative: '', evidenceFileIds: [] };
  const set = (goalId: string, change: Partial<ReportItem>) => setItems((all) => ({ ...all, [goalId]: { ...itemOf(goalId), ...change } }));
  const addEvidence = async (goalId: string, file: File) => {
    try {
      const stored = await uploadFile<{ id: string }>('/files', file);
      set(goalId, { evidenceFileIds: [...itemOf(goalId).evidenceFileIds, stored.id] });
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    }
  };
  const submit = () => {
    const report = (goals ?? []).map((g) => itemOf(g.id));
    if (report.some((r) => !r.status || !r.narrative.trim())) {
      notify('app.review.all_required', { type: 'warning' });
      return;
    }
    void run(() => dataProvider.completeTask(String(task.id), { action: 'report', payload: { goals: report } }), 'app.message.completed', () => setOpen(false));
  };
  return (
    <>
      <Button label="app.action.report" size="small" variant="contained" onClick={() => setOpen(true)}>
        <AssessmentIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md">
        <DialogTitle>
          {translate('app.review.report_title')} · {task.registrationName}
        </DialogTitle>
        <DialogContent dividers>
          {(goals ?? []).map((goal, i) => {
            const item = itemOf(goal.id);
            return (
              <Card key={goal.id} variant="outlined" sx={{ mb: 2 }}>
                <CardContent>
                  <GoalHeading goal={goal} index={i} />
                  <Box sx={{ display: 'flex', gap: 2, mt: 1, flexWrap: 'wrap' }}>
                    <TextField select label={translate('app.review.progress')} value={item.status} onChange={(e) => set(goal.id, { status: e.target.value })} sx={{ minWidth: 160 }}>
                      {PROGRESS.map((p) => (
                        <MenuItem key={p} value={p}>
                          {translate(`app.review.${p}`)}
                        </MenuItem>
                      ))}
                    </TextField>
                    <TextField label={translate('app.review.narrative')} value={item.narrative} onChange={(e) => set(goal.id, { narrative: e.target.value })} multiline minRows={2} sx={{ flex: 1, minWidth: 280 }} />
                  </Box>
                  <Box sx={{ mt: 1, display: 'flex', alignItems: 'center', gap: 1 }}>
                    <Button label="app.review.add_evidence" size="small" component="label">
                      <input type="file" accept="image/png,image/jpeg" hidden onChange={(e) => e.target.files?.[0] && addEvidence(goal.id, e.target.files[0])} />
                    </Button>
                    <Typography variant="caption" color="textSecondary">
                      {translate('app.review.evidence')}：{item.evidenceFileIds.length}
                    </Typography>
                  </Box>
                </CardContent>
              </Card>
            );
          })}
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
          <Button label="app.action.report" variant="contained" disabled={busy || !goals} onClick={submit} />
        </DialogActions>
      </Dialog>
    </>
  );
}

/** The school's report, read from its audit event (the API has no review endpoint of its own yet). */
function useSchoolReport(registrationId: string | undefined, enabled: boolean) {
  const { data } = useGetList<{ id: string; details: { goals?: ReportItem[] } }>(
    'audit-events',
    { filter: { registrationId, action: 'goal_review.reported' }, sort: { field: 'id', order: 'DESC' }, pagination: { page: 1, perPage: 1 } },
    { enabled: enabled && !!registrationId },
  );
  const goals = data?.[0]?.details?.goals ?? [];
  return new Map(goals.map((g) => [g.goalId, g]));
}

export function GoalRatingButton() {
  const task = useRecordContext<Task>();
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const [open, setOpen] = useState(false);
  const [ratings, setRatings] = useState<Record<string, string>>({});
  const [overall, setOverall] = useState('');
  const [comment, setComment] = useState('');
  const goals = useGoals(task?.registrationId, open);
  const report = useSchoolReport(task?.registrationId, open);
  if (!task) return null;
  const submit = () => {
    if (!goals || goals.some((g) => !ratings[g.id]) || !overall) {
      notify('app.review.all_rated', { type: 'warning' });
      return;
    }
    const payload = { ratings: goals.map((g) => ({ goalId: g.id, rating: ratings[g.id] })), overall };
    void run(() => dataProvider.completeTask(String(task.id), { action: 'rate', comment: comment.trim() || null, payload }), 'app.message.completed', () => setOpen(false));
  };
  return (
    <>
      <Button label="app.action.rate" size="small" variant="contained" onClick={() => setOpen(true)}>
        <FactCheckIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md">
        <DialogTitle>
          {translate('app.review.rate_title')} · {task.registrationName}
        </DialogTitle>
        <DialogContent dividers>
          {(goals ?? []).map((goal, i) => {
            const reported = report.get(goal.id);
            return (
              <Card key={goal.id} variant="outlined" sx={{ mb: 2 }}>
                <CardContent>
                  <GoalHeading goal={goal} index={i} />
                  {reported ? (
                    <Alert severity="info" icon={false} sx={{ my: 1 }}>
                      {translate('app.review.school_report')}：{translate(`app.review.${reported.status}`, { _: reported.status })} — {reported.narrative}
                    </Alert>
                  ) : null}
                  <TextField select label={translate('app.review.rating')} value={ratings[goal.id] ?? ''} onChange={(e) => setRatings((r) => ({ ...r, [goal.id]: e.target.value }))} sx={{ minWidth: 200, mt: 1 }}>
                    {RATINGS.map((r) => (
                      <MenuItem key={r} value={r}>
                        {translate(`app.review.${r}`)}
                      </MenuItem>
                    ))}
                  </TextField>
                </CardContent>
              </Card>
            );
          })}
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
            <TextField select label={translate('app.review.overall')} value={overall} onChange={(e) => setOverall(e.target.value)} sx={{ minWidth: 200 }}>
              {RATINGS.map((r) => (
                <MenuItem key={r} value={r}>
                  {translate(`app.review.${r}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField label={translate('app.message.comment')} value={comment} onChange={(e) => setComment(e.target.value)} sx={{ flex: 1, minWidth: 280 }} />
          </Box>
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
          <Button label="app.action.rate" variant="contained" disabled={busy || !goals} onClick={submit} />
        </DialogActions>
      </Dialog>
    </>
  );
}
