/**
 * The operator's page (administrators): health of Postgres, Temporal and the workers; activities
 * that fail and are retried, with their last error; registrations stuck past their step's policy;
 * the outbox backlog. Every item links to its registration and to its workflow in the Temporal UI.
 */
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link as RouterLink, Loading, Title, useTranslate } from 'react-admin';
import { formatChinaTime, useFormatDateTime } from '../common/fields';
import { apiCall } from '../providers/httpClient';
import type { FailingActivity, OperationsView, StuckRegistration } from './types';

const REFRESH_MS = 15_000;

function HealthCard({ id, label, ok, detail }: { id: string; label: string; ok: boolean; detail: ReactNode }) {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ flex: 1, minWidth: 200 }} data-testid={`health-${id}`} data-ok={ok ? 'true' : 'false'}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          {ok ? <CheckCircleIcon color="success" /> : <ErrorIcon color="error" />}
          <Typography variant="subtitle1">{label}</Typography>
          <Chip size="small" color={ok ? 'success' : 'error'} label={translate(ok ? 'resources.operations.health.ok' : 'resources.operations.health.down')} />
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1, overflowWrap: 'anywhere' }}>
          {detail}
        </Typography>
      </CardContent>
    </Card>
  );
}

/** The two links every item carries. */
function ItemLinks({ registrationId, temporal }: { registrationId: string; temporal: string | null }) {
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={2} sx={{ mt: 1, flexWrap: 'wrap' }}>
      <Link component={RouterLink} to={`/registrations/${registrationId}/show`} data-testid="registration-link">
        {translate('resources.operations.links.registration')}
      </Link>
      {temporal ? (
        <Link href={temporal} target="_blank" rel="noopener noreferrer" data-testid="temporal-link" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
          {translate('resources.operations.links.temporal')}
          <OpenInNewIcon fontSize="inherit" />
        </Link>
      ) : null}
    </Stack>
  );
}

function Section({ title, count, children, testId }: { title: string; count?: number; children: ReactNode; testId: string }) {
  return (
    <Box component="section" sx={{ mt: 3 }} data-testid={testId}>
      <Typography variant="h6" sx={{ mb: 1 }}>
        {title}
        {count !== undefined ? ` (${count})` : ''}
      </Typography>
      {children}
    </Box>
  );
}

function FailingActivityCard({ item }: { item: FailingActivity }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  return (
    <Card variant="outlined" data-testid="failing-activity" data-registration-id={item.registrationId}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="subtitle1">{item.registrationName ?? item.registrationId}</Typography>
          <Chip size="small" label={item.activityType} />
          <Chip size="small" color="warning" label={translate('resources.operations.failing.attempt', { attempt: item.attempt })} />
        </Stack>
        <Typography variant="body2" color="error" sx={{ mt: 1, fontFamily: 'monospace', overflowWrap: 'anywhere' }} data-testid="last-error">
          {item.lastError ?? '—'}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          {translate('resources.operations.failing.next_attempt')}: {format(item.nextAttemptAt)}
        </Typography>
        <ItemLinks registrationId={item.registrationId} temporal={item.links.temporal} />
      </CardContent>
    </Card>
  );
}

function StuckCard({ item }: { item: StuckRegistration }) {
  const translate = useTranslate();
  const hours = Math.floor(item.overdueSeconds / 3600);
  return (
    <Card variant="outlined" data-testid="stuck-registration" data-registration-id={item.registrationId}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="subtitle1">{item.registrationName}</Typography>
          <Chip size="small" label={translate(`app.step.${item.step}`, { _: item.step })} />
          <Chip
            size="small"
            color="error"
            label={
              hours >= 24
                ? translate('resources.operations.stuck.overdue_days', { days: Math.floor(hours / 24) })
                : translate('resources.operations.stuck.overdue_hours', { hours })
            }
          />
        </Stack>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          {item.schoolName} · {translate('resources.operations.stuck.due')}: {formatChinaTime(item.dueAt)} ({translate('app.beijing_time')})
        </Typography>
        <ItemLinks registrationId={item.registrationId} temporal={item.links.temporal} />
      </CardContent>
    </Card>
  );
}

export function OperationsPage() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const { data, error, isPending } = useQuery({
    queryKey: ['operations'],
    queryFn: () => apiCall<OperationsView>('/operations'),
    refetchInterval: REFRESH_MS,
  });
  if (isPending) return <Loading />;
  if (error || !data) return <Alert severity="error">{(error as Error | null)?.message ?? ''}</Alert>;
  const { health, outbox } = data;
  const t = (key: string, opts?: Record<string, unknown>) => translate(`resources.operations.${key}`, opts);
  const pollers = t('health.pollers', { workflow: health.workers.workflowPollers.length, activity: health.workers.activityPollers.length });

  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }}>
      <Title title="resources.operations.name" />
      <Typography variant="body2" color="text.secondary">
        {t('checked_at', { at: format(data.checkedAt) })}
      </Typography>

      <Section title={t('health.title')} testId="health">
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <HealthCard id="postgres" label="PostgreSQL" ok={health.postgres.ok} detail={health.postgres.ok ? t('health.latency', { ms: health.postgres.latencyMs }) : health.postgres.error} />
          <HealthCard id="temporal" label="Temporal" ok={health.temporal.ok} detail={health.temporal.ok ? t('health.reachable') : health.temporal.error} />
          <HealthCard
            id="workers"
            label={t('health.workers')}
            ok={health.workers.ok}
            detail={`${health.workers.taskQueue}: ${pollers}${health.workers.error ? ` — ${health.workers.error}` : ''}`}
          />
        </Stack>
      </Section>

      <Section title={t('failing.title')} count={data.failingActivities.length} testId="failing-activities">
        <Stack spacing={1}>
          {data.failingActivities.length === 0 ? <Typography color="text.secondary">{t('failing.none')}</Typography> : null}
          {data.failingActivities.map((a) => (
            <FailingActivityCard key={`${a.workflowId}:${a.activityType}`} item={a} />
          ))}
          {data.scanned.truncated ? <Alert severity="info">{t('failing.truncated', { n: data.scanned.described })}</Alert> : null}
        </Stack>
      </Section>

      <Section title={t('stuck.title')} count={data.stuck.length} testId="stuck-registrations">
        <Stack spacing={1}>
          {data.stuck.length === 0 ? <Typography color="text.secondary">{t('stuck.none')}</Typography> : null}
          {data.stuck.map((s) => (
            <StuckCard key={s.taskId} item={s} />
          ))}
        </Stack>
      </Section>

      <Section title={t('outbox.title')} testId="outbox">
        <Card variant="outlined">
          <CardContent>
            {outbox.configured ? (
              <>
                <Typography>{t('outbox.backlog', { pending: outbox.pending, failed: outbox.failed })}</Typography>
                <Typography variant="body2" color="text.secondary">
                  {t('outbox.oldest')}: {format(outbox.oldestPendingAt)}
                </Typography>
                {outbox.lastError ? (
                  <Typography variant="body2" color="error" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
                    {outbox.lastError}
                  </Typography>
                ) : null}
              </>
            ) : (
              <Typography color="text.secondary">{t('outbox.not_configured')}</Typography>
            )}
          </CardContent>
        </Card>
      </Section>
    </Box>
  );
}
