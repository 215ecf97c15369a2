/**
 * The bureau's rating of a review (each goal and the whole, with a comment), sent through the
 * task-completion API (POST /api/tasks/:id/complete, action `rate`). Used by the inbox dialog and
 * on the review page; the goals shown come from the review itself, with the school's report.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Button, useNotify, useTranslate } from 'react-admin';
import { useAppDataProvider } from '../common/fields';
import { useTaskAction } from '../tasks/useTaskAction';
import { ACTION_PAYLOADS, checkPayload } from '@process';
import { RATINGS, type GoalReview, type ReviewItem } from './types';

export function RatingSelect({ label, value, onChange, name }: { label: string; value: string; onChange: (v: string) => void; name: string }) {
  const translate = useTranslate();
  return (
    <TextField select label={label} value={value} onChange={(e) => onChange(e.target.value)} sx={{ minWidth: 200 }} name={name} data-testid={name}>
      {RATINGS.map((r) => (
        <MenuItem key={r} value={r}>
          {translate(`app.review.${r}`)}
        </MenuItem>
      ))}
    </TextField>
  );
}

export function ReportSummary({ item }: { item: ReviewItem }) {
  const translate = useTranslate();
  if (!item.progress) return <Alert severity="warning">{translate('app.review.no_report')}</Alert>;
  return (
    <Alert severity="info" icon={false} sx={{ my: 1 }}>
      {translate('app.review.school_report')}：{translate(`app.review.${item.progress}`, { _: item.progress })} — {item.narrative}
      {item.evidence.length ? `（${translate('app.goal_reviews.evidence')} ${item.evidence.length}）` : ''}
    </Alert>
  );
}

export function useRatingForm(review: GoalReview | undefined, onDone?: () => void) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const [ratings, setRatings] = useState<Record<string, string>>({});
  const [overall, setOverall] = useState('');
  const [comment, setComment] = useState('');
  const items = review?.items ?? [];
  const submit = () => {
    const payload = { ratings: items.map((g) => ({ goalId: g.goalId, rating: ratings[g.goalId] })), overall };
    // The server's own payload check (domain/process/payloads.ts): every goal rated, and the whole.
    if (!review?.task || !checkPayload(ACTION_PAYLOADS, 'rate', payload).ok) {
      notify('app.review.all_rated', { type: 'warning' });
      return;
    }
    void run(() => dataProvider.completeTask(review.task!.id, { action: 'rate', comment: comment.trim() || null, payload }), 'app.message.completed', onDone);
  };
  const fields = (withGoals: boolean) => (
    <>
      {items.map((item, i) => (
        <Box key={item.goalId} sx={{ mb: 2 }}>
          {withGoals ? (
            <Card variant="outlined">
              <CardContent>
                <Typography variant="subtitle1">
                  {i + 1}. {item.title}
                </Typography>
                {item.measures ? (
                  <Typography variant="body2" color="textSecondary">
                    {translate('resources.registrations.fields.goals.measures')}：{item.measures}
                  </Typography>
                ) : null}
                <ReportSummary item={item} />
                <RatingSelect name={`rating-${i}`} label={translate('app.review.rating')} value={ratings[item.goalId] ?? ''} onChange={(v) => setRatings((r) => ({ ...r, [item.goalId]: v }))} />
              </CardContent>
            </Card>
          ) : (
            <RatingSelect name={`rating-${i}`} label={`${i + 1}. ${item.title}`} value={ratings[item.goalId] ?? ''} onChange={(v) => setRatings((r) => ({ ...r, [item.goalId]: v }))} />
          )}
        </Box>
      ))}
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <RatingSelect name="overall" label={translate('app.review.overall')} value={overall} onChange={setOverall} />
        <TextField label={translate('app.message.comment')} value={comment} onChange={(e) => setComment(e.target.value)} multiline sx={{ flex: 1, minWidth: 240 }} name="comment" />
      </Box>
    </>
  );
  return { busy, submit, fields };
}

/** The rating form on the review page: one select per goal (the goals are shown beside it), the overall rating and the comment. */
export function RatingPanel({ review, onDone }: { review: GoalReview; onDone?: () => void }) {
  const translate = useTranslate();
  const { busy, submit, fields } = useRatingForm(review, onDone);
  return (
    <Card variant="outlined" sx={{ borderColor: 'primary.main' }} data-testid="rating-panel">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {translate('app.goal_reviews.rate_here')}
        </Typography>
        {fields(false)}
        <Box sx={{ mt: 2 }}>
          <Button label="app.action.rate" variant="contained" disabled={busy} onClick={submit} />
        </Box>
      </CardContent>
    </Card>
  );
}
