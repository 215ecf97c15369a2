/**
 * The two-year goal review from the inbox: the lead school reports on every goal (progress,
 * narrative, evidence images), seeing the previous cycle's ratings on a second review; the bureau
 * rates every goal and the whole, reading the school's report from the review itself
 * (GET /api/goal-reviews).
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
import { Button, Link, useGetList, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { useAppDataProvider } from '../common/fields';
import { RatingChip } from '../goal-reviews/GoalsSideBySide';
import { useRatingForm } from '../goal-reviews/RatingForm';
import { PROGRESS, type GoalReview, type ReviewItem } from '../goal-reviews/types';
import { ACTION_PAYLOADS, checkPayload } from '@process';
import { uploadFile } from '../providers/httpClient';
import { useTaskAction } from './useTaskAction';

type Task = { id: string; registrationId: string; registrationName: string; round: number };
type ReportItem = { goalId: string; status: string; narrative: string; evidenceFileIds: string[] };


/** The reviews of the task's registration (both cycles); `current` is the task's cycle, `previous` the one before. */
function useReviews(task: Task | undefined, enabled: boolean) {
  const { data, isPending } = useGetList<GoalReview>(
    'goal-reviews',
    { filter: { registrationId: task?.registrationId }, sort: { field: 'cycle', order: 'ASC' }, pagination: { page: 1, perPage: 10 } },
    { enabled: enabled && !!task },
  );
  const current = data?.find((r) => r.cycle === task?.round) ?? data?.[data.length - 1];
  const previous = current ? data?.find((r) => r.cycle === current.cycle - 1) : undefined;
  return { current, previous, isPending };
}

function GoalHeading({ goal, index }: { goal: ReviewItem; index: number }) {
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

/** On a second review: how the bureau rated this goal last time, and what it asked for. */
function PreviousRating({ item }: { item: ReviewItem | undefined }) {
  const translate = useTranslate();
  if (!item?.rating) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 1 }} data-testid="previous-rating">
      <Typography variant="body2" color="textSecondary">
        {translate('app.goal_reviews.previous_rating')}：
      </Typography>
      <RatingChip rating={item.rating} />
    </Box>
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
  const { current, previous } = useReviews(task, open);
  const goals = current?.items;
  const before = new Map((previous?.items ?? []).map((i) => [i.goalId, i]));
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
    const report = (goals ?? []).map((g) => itemOf(g.goalId));
    // The server's own payload check (domain/process/payloads.ts), before anything is sent.
    if (!checkPayload(ACTION_PAYLOADS, 'report', { goals: report }).ok) {
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
          {previous ? (
            <Alert severity="warning" sx={{ mb: 2 }} data-testid="previous-review">
              {translate('app.goal_reviews.previous_ratings', { cycle: previous.cycle })}：{translate(`app.review.${previous.overall}`, { _: previous.overall ?? '' })}
              {previous.comment ? ` — ${previous.comment}` : ''}
            </Alert>
          ) : null}
          {(goals ?? []).map((goal, i) => {
            const item = itemOf(goal.goalId);
            return (
              <Card key={goal.goalId} variant="outlined" sx={{ mb: 2 }}>
                <CardContent>
                  <GoalHeading goal={goal} index={i} />
                  <PreviousRating item={before.get(goal.goalId)} />
                  <Box sx={{ display: 'flex', gap: 2, mt: 1, flexWrap: 'wrap' }}>
                    <TextField select label={translate('app.review.progress')} value={item.status} onChange={(e) => set(goal.goalId, { status: e.target.value })} sx={{ minWidth: 160 }}>
                      {PROGRESS.map((p) => (
                        <MenuItem key={p} value={p}>
                          {translate(`app.review.${p}`)}
                        </MenuItem>
                      ))}
                    </TextField>
                    <TextField label={translate('app.review.narrative')} value={item.narrative} onChange={(e) => set(goal.goalId, { narrative: e.target.value })} multiline minRows={2} sx={{ flex: 1, minWidth: 240 }} />
                  </Box>
                  <Box sx={{ mt: 1, display: 'flex', alignItems: 'center', gap: 1 }}>
                    <Button label="app.review.add_evidence" size="small" component="label">
                      <input type="file" accept="image/png,image/jpeg" hidden onChange={(e) => e.target.files?.[0] && addEvidence(goal.goalId, e.target.files[0])} />
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

export function GoalRatingButton() {
  const task = useRecordContext<Task>();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const { current, isPending } = useReviews(task, open);
  const { busy, submit, fields } = useRatingForm(current, () => setOpen(false));
  if (!task) return null;
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
          {current ? (
            <>
              <Typography variant="body2" sx={{ mb: 1 }}>
                <Link to={`/goal-reviews/${current.id}/show`}>{translate('app.goal_reviews.open_review')}</Link>
              </Typography>
              {fields(true)}
            </>
          ) : !isPending ? (
            <Alert severity="warning">{translate('app.goal_reviews.no_review')}</Alert>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={() => setOpen(false)} />
          <Button label="app.action.rate" variant="contained" disabled={busy || !current} onClick={submit} />
        </DialogActions>
      </Dialog>
    </>
  );
}
