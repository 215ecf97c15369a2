/** Each goal in three columns: what was promised at registration, what the school reported, how the bureau rated it. */
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip, { type ChipProps } from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { useFormatDateTime } from '../common/fields';
import { EvidenceList } from './Evidence';
import type { GoalReview, ReviewItem } from './types';

/** The label separator of the language: full-width in Chinese. */
export function useColon() {
  const [locale] = useLocaleState();
  return locale.startsWith('zh') ? '：' : ': ';
}

export const RATING_COLOR: Record<string, ChipProps['color']> = { pass: 'success', conditional: 'warning', fail: 'error' };

export function RatingChip({ rating }: { rating: string | null }) {
  const translate = useTranslate();
  if (!rating) return null;
  return <Chip size="small" color={RATING_COLOR[rating] ?? 'default'} label={translate(`app.review.${rating}`, { _: rating })} data-rating={rating} />;
}

function Column({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box sx={{ flex: 1, minWidth: 0, p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}>
      <Typography variant="overline" color="textSecondary" component="div" sx={{ lineHeight: 1.6 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

const line = (label: string, value: string | null, colon: string) =>
  value ? (
    <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
      <Box component="span" sx={{ color: 'text.secondary' }}>
        {label}
        {colon}
      </Box>
      {value}
    </Typography>
  ) : null;

function GoalRow({ item, index, previous }: { item: ReviewItem; index: number; previous?: ReviewItem }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const colon = useColon();
  return (
    <Card variant="outlined" sx={{ mb: 2 }} data-testid="review-goal">
      <CardContent>
        <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('app.goal_reviews.goal')} {index + 1}{colon}{item.title}
        </Typography>
        <Box sx={{ display: 'flex', flexDirection: { xs: 'column', md: 'row' }, gap: 1.5 }}>
          <Column title={translate('app.goal_reviews.promised')}>
            {line(translate('resources.registrations.fields.goals.measures'), item.measures, colon)}
            {line(translate('resources.registrations.fields.goals.indicator'), item.indicator, colon)}
            {line(translate('resources.registrations.fields.goals.targetDate'), item.targetDate ? format(item.targetDate, false) : null, colon)}
          </Column>
          <Column title={translate('app.goal_reviews.reported')}>
            {item.progress ? (
              <>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {translate(`app.review.${item.progress}`, { _: item.progress })}
                </Typography>
                <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                  {item.narrative}
                </Typography>
                <Typography variant="caption" color="textSecondary" component="div" sx={{ mt: 1 }}>
                  {translate('app.goal_reviews.evidence')}
                </Typography>
                <EvidenceList files={item.evidence} />
              </>
            ) : (
              <Typography variant="body2" color="textSecondary">
                {translate('app.goal_reviews.not_reported')}
              </Typography>
            )}
          </Column>
          <Column title={translate('app.goal_reviews.rated')}>
            {item.rating ? <RatingChip rating={item.rating} /> : <Typography variant="body2" color="textSecondary">{translate('app.goal_reviews.not_rated')}</Typography>}
            {previous?.rating ? (
              <Typography variant="caption" color="textSecondary" component="div" sx={{ mt: 1 }}>
                {translate('app.goal_reviews.previous_rating')}
                {colon}
                {translate(`app.review.${previous.rating}`)}
              </Typography>
            ) : null}
          </Column>
        </Box>
      </CardContent>
    </Card>
  );
}

export function GoalsSideBySide({ review, previous }: { review: GoalReview; previous?: GoalReview | null }) {
  const before = new Map((previous?.items ?? []).map((i) => [i.goalId, i]));
  return (
    <Box data-testid="goals-side-by-side">
      {review.items.map((item, i) => (
        <GoalRow key={item.goalId} item={item} index={i} previous={before.get(item.goalId)} />
      ))}
    </Box>
  );
}
