/** Both review cycles of a registration on one line of time: opened, reported, rated, rectification. */
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import Step from '@mui/material/Step';
import StepContent from '@mui/material/StepContent';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';
import { useFormatDateTime } from '../common/fields';
import type { GoalReview } from './types';

interface Entry {
  key: string;
  at: string;
  label: string;
  detail?: string | null;
  error?: boolean;
  pending?: boolean;
}

export function ReviewTimeline({ reviews, currentId }: { reviews: GoalReview[]; currentId: string }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const entries: Entry[] = [];
  for (const r of [...reviews].sort((a, b) => a.cycle - b.cycle)) {
    const cycle = `${translate('app.goal_reviews.cycle', { cycle: r.cycle })}${r.id === currentId ? translate('app.goal_reviews.this_review') : ''}`;
    entries.push({ key: `${r.id}-o`, at: r.openedAt, label: `${cycle} · ${translate('app.goal_reviews.opened')}` });
    if (r.reportedAt) entries.push({ key: `${r.id}-r`, at: r.reportedAt, label: `${cycle} · ${translate('app.goal_reviews.reported_at')}${r.reportedByName ? ` · ${r.reportedByName}` : ''}`, detail: r.reportComment });
    if (r.ratedAt)
      entries.push({
        key: `${r.id}-d`,
        at: r.ratedAt,
        label: `${cycle} · ${translate('app.goal_reviews.rated_at')} · ${translate(`app.review.${r.overall}`, { _: r.overall ?? '' })}${r.ratedByName ? ` · ${r.ratedByName}` : ''}`,
        detail: r.comment,
        error: r.overall === 'fail',
      });
    if (r.rectificationDueAt) entries.push({ key: `${r.id}-x`, at: r.rectificationDueAt, label: `${translate('app.goal_reviews.rectification_until')}`, pending: Date.parse(r.rectificationDueAt) > Date.now() });
    if (r.task?.status === 'open') entries.push({ key: `${r.id}-t`, at: r.task.dueAt ?? r.openedAt, label: `${cycle} · ${translate(`app.step.${r.task.step}`)} · ${translate('app.goal_reviews.due')}`, pending: true, error: r.task.overdue });
  }
  return (
    <Stepper orientation="vertical" activeStep={entries.length} data-testid="review-timeline">
      {entries.map((e) => (
        <Step key={e.key} completed={!e.pending} active={e.pending} expanded>
          <StepLabel error={e.error} icon={e.pending ? <HourglassTopIcon color={e.error ? 'error' : 'primary'} /> : undefined} optional={<Typography variant="caption">{format(e.at)}</Typography>}>
            {e.label}
          </StepLabel>
          <StepContent>{e.detail ? <Typography variant="body2">{e.detail}</Typography> : null}</StepContent>
        </Step>
      ))}
    </Stepper>
  );
}
