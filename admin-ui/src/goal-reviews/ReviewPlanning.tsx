/**
 * 评估计划 (bureau and administrators): reviews falling due within 30/90/180 days, reviews under
 * way, alliances in rectification with their due dates, and outcomes by school and year — each
 * exportable as CSV with Chinese headers (GET /api/goal-reviews/planning[.csv]).
 */
import DownloadIcon from '@mui/icons-material/Download';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Button, Link, Loading, Title, useNotify, useTranslate } from 'react-admin';
import { useFormatDateTime } from '../common/fields';
import { apiCall, downloadProtected } from '../providers/httpClient';
import { ReviewStatusChip } from './GoalReviewShow';

interface Planning {
  days: number;
  upcoming: { registrationId: string; registrationName: string; schoolName: string; status: string; cycle: number; reviewDueAt: string; daysLeft: number }[];
  inProgress: { reviewId: string; registrationName: string; schoolName: string; cycle: number; status: string; dueAt: string | null; overdue: boolean }[];
  rectification: { registrationId: string; registrationName: string; schoolName: string; reviewId: string | null; failedAt: string | null; comment: string | null; rectificationDueAt: string | null; daysLeft: number | null }[];
  outcomes: { schoolId: number; schoolName: string; year: number; passed: number; conditional: number; failed: number; total: number }[];
}

const HORIZONS = [30, 90, 180];

function Section({ title, count, action, children }: { title: string; count: number; action?: ReactNode; children: ReactNode }) {
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1, gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="h6" component="h2">
            {title} <Chip size="small" label={count} />
          </Typography>
          {action}
        </Stack>
        <Box sx={{ overflowX: 'auto' }}>{children}</Box>
      </CardContent>
    </Card>
  );
}

function DaysLeft({ days }: { days: number | null }) {
  const translate = useTranslate();
  if (days == null) return null;
  return days >= 0 ? (
    <Chip size="small" color={days <= 30 ? 'warning' : 'default'} label={translate('app.goal_reviews.days_left', { smart_count: days })} />
  ) : (
    <Chip size="small" color="error" label={translate('app.goal_reviews.overdue_days', { smart_count: -days })} />
  );
}

export function ReviewPlanning() {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormatDateTime();
  const [days, setDays] = useState(90);
  const { data, isPending, error } = useQuery({ queryKey: ['goal-reviews', 'planning', days], queryFn: () => apiCall<Planning>(`/goal-reviews/planning?days=${days}`) });
  const csv = (section: string, name: string) => (
    <Button
      label="app.goal_reviews.export_csv"
      onClick={() => void downloadProtected(`/goal-reviews/planning.xlsx?days=${days}&section=${section}`, `${name}.xlsx`).catch((e: Error) => notify(e.message, { type: 'error' }))}
    >
      <DownloadIcon />
    </Button>
  );
  const none = <Typography color="textSecondary">{translate('app.goal_reviews.none')}</Typography>;
  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }} data-testid="review-planning">
      <Title title="app.goal_reviews.planning_title" />
      <ToggleButtonGroup exclusive size="small" value={days} onChange={(_, v: number | null) => v && setDays(v)} sx={{ mb: 2 }}>
        {HORIZONS.map((d) => (
          <ToggleButton key={d} value={d}>
            {translate('app.goal_reviews.horizon', { days: d })}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {isPending ? <Loading /> : null}
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {data ? (
        <>
          <Section title={translate('app.goal_reviews.upcoming')} count={data.upcoming.length + data.inProgress.length} action={csv('upcoming', translate('app.goal_reviews.upcoming'))}>
            {data.upcoming.length + data.inProgress.length === 0 ? none : (
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.goal-reviews.fields.registrationName')}</TableCell>
                    <TableCell>{translate('resources.goal-reviews.fields.schoolName')}</TableCell>
                    <TableCell>{translate('app.goal_reviews.next_review')}</TableCell>
                    <TableCell>{translate('resources.goal-reviews.fields.dueAt')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.inProgress.map((p) => (
                    <TableRow key={p.reviewId}>
                      <TableCell>
                        <Link to={`/goal-reviews/${p.reviewId}/show`}>{p.registrationName}</Link>
                      </TableCell>
                      <TableCell>{p.schoolName}</TableCell>
                      <TableCell>
                        <ReviewStatusChip status={p.status} />
                      </TableCell>
                      <TableCell sx={{ color: p.overdue ? 'error.main' : undefined }}>{format(p.dueAt, false)}</TableCell>
                    </TableRow>
                  ))}
                  {data.upcoming.map((u) => (
                    <TableRow key={u.registrationId}>
                      <TableCell>
                        <Link to={`/registrations/${u.registrationId}/show`}>{u.registrationName}</Link>
                      </TableCell>
                      <TableCell>{u.schoolName}</TableCell>
                      <TableCell>{translate('app.goal_reviews.cycle', { cycle: u.cycle })}</TableCell>
                      <TableCell>
                        {format(u.reviewDueAt, false)} <DaysLeft days={u.daysLeft} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Section>
          <Section title={translate('app.goal_reviews.rectification')} count={data.rectification.length} action={csv('rectification', translate('app.goal_reviews.rectification'))}>
            {data.rectification.length === 0 ? none : (
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.goal-reviews.fields.registrationName')}</TableCell>
                    <TableCell>{translate('resources.goal-reviews.fields.schoolName')}</TableCell>
                    <TableCell>{translate('app.goal_reviews.failed_on')}</TableCell>
                    <TableCell>{translate('app.goal_reviews.rectification_until')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.rectification.map((r) => (
                    <TableRow key={r.registrationId}>
                      <TableCell>{r.reviewId ? <Link to={`/goal-reviews/${r.reviewId}/show`}>{r.registrationName}</Link> : r.registrationName}</TableCell>
                      <TableCell>{r.schoolName}</TableCell>
                      <TableCell>
                        {format(r.failedAt, false)}
                        {r.comment ? (
                          <Typography variant="caption" component="div" color="textSecondary">
                            {r.comment}
                          </Typography>
                        ) : null}
                      </TableCell>
                      <TableCell>
                        {format(r.rectificationDueAt, false)} <DaysLeft days={r.daysLeft} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Section>
          <Section title={translate('app.goal_reviews.outcomes')} count={data.outcomes.length} action={csv('outcomes', translate('app.goal_reviews.outcomes'))}>
            {data.outcomes.length === 0 ? none : (
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.goal-reviews.fields.schoolName')}</TableCell>
                    <TableCell>{translate('app.goal_reviews.year')}</TableCell>
                    <TableCell align="right">{translate('app.review.pass')}</TableCell>
                    <TableCell align="right">{translate('app.review.conditional')}</TableCell>
                    <TableCell align="right">{translate('app.review.fail')}</TableCell>
                    <TableCell align="right">{translate('app.goal_reviews.total')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.outcomes.map((o) => (
                    <TableRow key={`${o.schoolId}-${o.year}`}>
                      <TableCell>{o.schoolName}</TableCell>
                      <TableCell>{o.year}</TableCell>
                      <TableCell align="right">{o.passed}</TableCell>
                      <TableCell align="right">{o.conditional}</TableCell>
                      <TableCell align="right">{o.failed}</TableCell>
                      <TableCell align="right">{o.total}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Section>
        </>
      ) : null}
    </Box>
  );
}
