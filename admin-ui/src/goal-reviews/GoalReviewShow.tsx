/**
 * One goal review: a header (alliance, cycle, status, overall rating, bureau comment), the goals
 * side by side (promised / reported / rated) with evidence inline, the timeline of both cycles,
 * and — when the review's rating task is open and the viewer may act on it — the rating form.
 */
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import PrintIcon from '@mui/icons-material/Print';
import { Button, Link, Show, TopToolbar, useGetList, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { useCan } from '../common/access';
import { formatChinaTime } from '../common/fields';
import { openProtected } from '../providers/httpClient';
import { GoalsSideBySide, useColon } from './GoalsSideBySide';
import { RatingPanel } from './RatingForm';
import { ReviewTimeline } from './ReviewTimeline';
import type { GoalReview } from './types';

export function ReviewStatusChip({ status }: { status: string }) {
  const translate = useTranslate();
  const color = status === 'passed' ? 'success' : status === 'failed' ? 'error' : status === 'conditional' ? 'warning' : 'primary';
  return <Chip size="small" color={color} label={translate(`app.goal_reviews.status.${status}`, { _: status })} data-review-status={status} />;
}

function ShowActions() {
  const review = useRecordContext<GoalReview>();
  const notify = useNotify();
  if (!review) return null;
  const open = (path: string) => openProtected(path).catch((e: Error) => notify(e.message, { type: 'error' }));
  return (
    <TopToolbar>
      <Button label="app.goal_reviews.report_print" onClick={() => void open(`/goal-reviews/${review.id}/print`)}>
        <PrintIcon />
      </Button>
      <Button label="app.goal_reviews.report_pdf" onClick={() => void open(`/goal-reviews/${review.id}/report.pdf`)}>
        <PictureAsPdfIcon />
      </Button>
    </TopToolbar>
  );
}

function Title() {
  const review = useRecordContext<GoalReview>();
  const translate = useTranslate();
  return <span>{review ? `${review.registrationName} · ${translate('app.goal_reviews.cycle', { cycle: review.cycle })}` : ''}</span>;
}

function Header({ review }: { review: GoalReview }) {
  const translate = useTranslate();
  const colon = useColon();
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Stack spacing={1}>
          <Typography variant="h6">{review.registrationName}</Typography>
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
            <Chip size="small" variant="outlined" label={`${translate('app.goal_reviews.cycle', { cycle: review.cycle })} · ${translate(`app.goal_reviews.cycle_${review.cycle}`, { _: '' })}`} />
            <ReviewStatusChip status={review.status} />
          </Stack>
          <Typography variant="body2" color="textSecondary">
            {translate('resources.goal-reviews.fields.schoolName')}{colon}{review.schoolName} ·{' '}
            <Link to={`/registrations/${review.registrationId}/show`}>{translate('app.goal_reviews.registration')}</Link>
          </Typography>
          {review.task?.status === 'open' ? (
            <Typography variant="body2" color={review.task.overdue ? 'error' : 'textSecondary'}>
              {translate(`app.step.${review.task.step}`)} · {translate('app.goal_reviews.due')}{colon}{formatChinaTime(review.task.dueAt)} ({translate('app.beijing_time')})
            </Typography>
          ) : null}
          {review.comment ? (
            <Typography variant="body2" data-testid="review-comment">
              {translate('resources.goal-reviews.fields.comment')}{colon}{review.comment}
            </Typography>
          ) : null}
          {review.reportComment ? (
            <Typography variant="body2">
              {translate('app.goal_reviews.report_comment')}{colon}{review.reportComment}
            </Typography>
          ) : null}
        </Stack>
      </CardContent>
    </Card>
  );
}

function ReviewPage() {
  const review = useRecordContext<GoalReview>();
  const translate = useTranslate();
  const can = useCan();
  const refresh = useRefresh();
  const { data: all } = useGetList<GoalReview>(
    'goal-reviews',
    { filter: { registrationId: review?.registrationId }, sort: { field: 'cycle', order: 'ASC' }, pagination: { page: 1, perPage: 10 } },
    { enabled: !!review },
  );
  if (!review) return null;
  const reviews = all ?? [review];
  const previous = reviews.find((r) => r.cycle === review.cycle - 1) ?? null;
  const task = review.task;
  const mayRate = task?.step === 'goal_rating' && can('tasks', 'complete', { ...task, step: task.step, status: task.status });
  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }}>
      <Header review={review} />
      <Box sx={{ display: 'flex', flexDirection: { xs: 'column', lg: 'row' }, gap: 2 }}>
        <Box sx={{ flex: 3, minWidth: 0 }}>
          <GoalsSideBySide review={review} previous={previous} />
          {mayRate ? <RatingPanel review={review} onDone={refresh} /> : null}
        </Box>
        <Box sx={{ flex: 1, minWidth: 260 }}>
          <Typography variant="subtitle1">{translate('app.goal_reviews.timeline')}</Typography>
          <ReviewTimeline reviews={reviews} currentId={review.id} />
        </Box>
      </Box>
    </Box>
  );
}

export const GoalReviewShow = () => (
  <Show actions={<ShowActions />} title={<Title />} component="div">
    <ReviewPage />
  </Show>
);
