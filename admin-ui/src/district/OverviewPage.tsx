/**
 * 区域概览 for bureau leaders and administrators: one call to GET /api/overview, drawn as charts
 * (recharts) with the numbers on every bar and a table beside each chart.
 */
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, Title, useLocaleState, useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { apiCall } from '../providers/httpClient';
import type { Overview } from './overview-types';

/** Axis labels stay on one line; the table beside each chart has the full names. */
const short = (v: unknown) => {
  const text = String(v ?? '');
  return text.length > 12 ? `${text.slice(0, 11)}…` : text;
};

const COLORS = { primary: '#1565c0', success: '#2e7d32', warning: '#ed6c02', error: '#c62828', grey: '#9e9e9e' };

function Section({ title, note, children, testId }: { title: string; note?: string; children: ReactNode; testId: string }) {
  return (
    <Card data-testid={testId} sx={{ minWidth: 0 }}>
      <CardContent>
        <Typography variant="h6">{title}</Typography>
        {note ? (
          <Typography variant="body2" color="textSecondary" sx={{ mb: 1 }}>
            {note}
          </Typography>
        ) : null}
        {children}
      </CardContent>
    </Card>
  );
}

function Figures({ head, rows }: { head: string[]; rows: (ReactNode[] & { key?: string })[] }) {
  const translate = useTranslate();
  return (
    <Box sx={{ overflowX: 'auto', mt: 1 }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            {head.map((h, i) => (
              <TableCell key={h} align={i === 0 ? 'left' : 'right'}>
                {h}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={head.length}>{translate('app.district.ov.none')}</TableCell>
            </TableRow>
          ) : (
            rows.map((r, i) => (
              <TableRow key={i}>
                {r.map((c, j) => (
                  <TableCell key={j} align={j === 0 ? 'left' : 'right'}>
                    {c}
                  </TableCell>
                ))}
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </Box>
  );
}

function Bars({ data, bars, height, vertical = false, category = 'label' }: { data: object[]; bars: { key: string; name: string; color: string }[]; height?: number; vertical?: boolean; category?: string }) {
  const h = height ?? (vertical ? Math.max(160, data.length * 30 + 40) : 240);
  return (
    <ResponsiveContainer width="100%" height={h}>
      <BarChart data={data} layout={vertical ? 'vertical' : 'horizontal'} margin={{ top: 16, right: 28, left: 4, bottom: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        {vertical ? <XAxis type="number" allowDecimals={false} /> : <XAxis dataKey={category} tick={{ fontSize: 12 }} interval={0} />}
        {vertical ? <YAxis type="category" dataKey={category} width={120} tick={{ fontSize: 12 }} interval={0} tickFormatter={short} /> : <YAxis allowDecimals={false} />}
        <Tooltip />
        {bars.length > 1 ? <Legend /> : null}
        {bars.map((b) => (
          <Bar key={b.key} dataKey={b.key} name={b.name} fill={b.color} stackId={bars.length > 1 ? 'a' : undefined} isAnimationActive={false}>
            <LabelList dataKey={b.key} position={bars.length > 1 ? 'center' : vertical ? 'right' : 'top'} fontSize={11} fill={bars.length > 1 ? '#fff' : '#333'} formatter={(v: unknown) => (v ? String(v) : '')} />
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

function NumberCard({ label, value, testId, tone = 'primary.main' }: { label: string; value: ReactNode; testId: string; tone?: string }) {
  return (
    <Card sx={{ flex: '1 1 160px' }}>
      <CardContent>
        <Typography variant="body2" color="textSecondary">
          {label}
        </Typography>
        <Typography variant="h4" sx={{ color: tone }} data-testid={testId}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

export function OverviewPage() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { data: o } = useQuery({ queryKey: ['overview'], queryFn: () => apiCall<Overview>('/overview') });
  const t = (k: string, opts?: object) => translate(`app.district.ov.${k}`, opts);
  const status = (s: string) => translate(`app.status.${s}`);
  const step = (s: string) => translate(`app.step.${s}`);
  const category = (c: string) => translate(`app.category.${c}`);
  const listOf = (filter: object) => `/registrations?filter=${encodeURIComponent(JSON.stringify(filter))}`;
  if (!o) {
    return (
      <Box sx={{ mt: 2 }}>
        <Title title="app.district.overview" />
        <Typography>…</Typography>
      </Box>
    );
  }
  const partyName = (p: { nameZh: string; nameEn: string }) => (locale === 'en' ? p.nameEn : p.nameZh);
  const outcomeRows = Object.values(
    o.reviewOutcomes.reduce<Record<number, Record<string, number | string>>>((acc, r) => {
      acc[r.cycle] ??= { label: t('cycle_n', { n: r.cycle }) };
      acc[r.cycle][r.outcome] = r.count;
      return acc;
    }, {}),
  );
  const OUTCOMES = ['pass', 'conditional', 'fail', 'pending'] as const;
  const OUTCOME_COLOR = { pass: COLORS.success, conditional: COLORS.warning, fail: COLORS.error, pending: COLORS.grey };

  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0, maxWidth: { xs: 'calc(100vw - 16px)', sm: '100%' } }} data-testid="district-overview">
      <Title title="app.district.overview" />
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <NumberCard testId="ov-alliances" label={t('alliances')} value={o.alliances.total} />
        <NumberCard testId="ov-schools" label={t('schools_with')} value={`${o.alliances.schoolsWithAlliance} / ${o.alliances.schools}`} />
        <NumberCard testId="dash-overdue-value" label={t('overdue')} value={o.overdueTasks.total} tone="error.main" />
        <NumberCard testId="ov-goals-due" label={t('goals')} value={o.goals.dueSoon} tone="warning.main" />
      </Box>

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
        <Section title={t('by_status')} testId="ov-by-status">
          <Bars vertical data={o.alliances.byStatus.map((r) => ({ label: status(r.status), count: r.count }))} bars={[{ key: 'count', name: t('count'), color: COLORS.primary }]} />
          <Figures
            head={[t('status'), t('count')]}
            rows={o.alliances.byStatus.map((r) => [
              <Link key="s" to={listOf({ status: r.status })}>
                {status(r.status)}
              </Link>,
              <span key="n" data-status-count={r.status}>
                {r.count}
              </span>,
            ])}
          />
        </Section>

        <Section title={t('by_school')} testId="ov-by-school">
          <Bars
            vertical
            data={o.alliances.bySchool.map((r) => ({ label: r.schoolName, active: r.active, inApproval: r.inApproval, draft: r.draft }))}
            bars={[
              { key: 'active', name: t('active'), color: COLORS.success },
              { key: 'inApproval', name: t('in_approval'), color: COLORS.primary },
              { key: 'draft', name: t('draft'), color: COLORS.grey },
            ]}
          />
          <Figures head={[t('school'), t('total'), t('active'), t('in_approval'), t('draft')]} rows={o.alliances.bySchool.map((r) => [r.schoolName, r.total, r.active, r.inApproval, r.draft])} />
        </Section>
      </Box>

      <Section title={t('coverage')} note={t('coverage_note', { count: o.partyCoverage.alliances })} testId="ov-coverage">
        <Bars vertical data={o.partyCoverage.byPartyType.map((p) => ({ label: partyName(p), count: p.alliances }))} bars={[{ key: 'count', name: t('count'), color: COLORS.primary }]} />
        <Figures head={[t('party'), t('count')]} rows={o.partyCoverage.byPartyType.map((p) => [`${partyName(p)}（${category(p.category)}）`, p.alliances])} />
      </Section>

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
        <Section title={t('lacking')} note={t('lacking_note')} testId="ov-lacking">
          <Bars data={o.partyCoverage.lackingByCategory.map((c) => ({ label: category(c.category), count: c.alliances }))} bars={[{ key: 'count', name: t('lacking_count'), color: COLORS.error }]} />
          <Figures head={[t('party'), t('lacking_count')]} rows={o.partyCoverage.lackingByCategory.map((c) => [category(c.category), c.alliances])} />
        </Section>
        <Section title={t('schools_lacking')} testId="ov-schools-lacking">
          <Figures
            head={[t('school'), t('alliances'), t('missing')]}
            rows={o.partyCoverage.schoolsLacking.map((s) => [s.schoolName, s.alliances, s.lacking.map((l) => `${category(l.category)} ${l.alliances}`).join('、')])}
          />
        </Section>
      </Box>

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
        <Section title={t('goals')} note={t('goals_note', { days: o.goals.withinDays, due: o.goals.dueSoon, past: o.goals.pastTarget })} testId="ov-goals">
          <Bars data={o.goals.byMonth.map((m) => ({ label: m.month, count: m.count }))} bars={[{ key: 'count', name: t('count'), color: COLORS.warning }]} height={200} />
          <Figures head={[t('goal'), t('alliance'), t('target_date')]} rows={o.goals.soonest.map((g) => [g.title, g.registrationName, g.targetDate])} />
        </Section>
        <Section title={t('overdue')} testId="ov-overdue">
          <Typography variant="subtitle2">{t('overdue_by_step')}</Typography>
          <Bars data={o.overdueTasks.byStep.map((r) => ({ label: step(r.step), count: r.count }))} bars={[{ key: 'count', name: t('count'), color: COLORS.error }]} height={200} />
          <Figures head={[t('step'), t('count')]} rows={o.overdueTasks.byStep.map((r) => [step(r.step), r.count])} />
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            {t('overdue_by_school')}
          </Typography>
          <Figures head={[t('school'), t('count')]} rows={o.overdueTasks.bySchool.map((r) => [r.schoolName, r.count])} />
        </Section>
      </Box>

      <Section title={t('reviews')} testId="ov-reviews">
        <Bars data={outcomeRows} bars={OUTCOMES.map((k) => ({ key: k, name: t(`outcomes.${k}`), color: OUTCOME_COLOR[k] }))} height={220} />
        <Figures head={[t('cycle'), t('outcome'), t('count')]} rows={o.reviewOutcomes.map((r) => [t('cycle_n', { n: r.cycle }), t(`outcomes.${r.outcome}`), r.count])} />
      </Section>
    </Box>
  );
}
