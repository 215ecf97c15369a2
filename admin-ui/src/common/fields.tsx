/** Small fields shared by the screens: status and step chips, role chips, due times. */
import Chip, { type ChipProps } from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useDataProvider, useFieldValue, useLocaleState, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../providers/dataProvider';

export const useAppDataProvider = () => useDataProvider() as unknown as AppDataProvider;

const STATUS_COLOR: Record<string, ChipProps['color']> = {
  draft: 'default',
  lead_school_opinion: 'info',
  principal_signature: 'info',
  bureau_approval: 'warning',
  active: 'success',
  goal_review: 'primary',
  rectification: 'warning',
  closed: 'default',
  rejected: 'error',
  withdrawn: 'default',
};

export function StatusChip({ status }: { status: string | null | undefined }) {
  const translate = useTranslate();
  if (!status) return null;
  return <Chip size="small" color={STATUS_COLOR[status] ?? 'default'} label={translate(`app.status.${status}`, { _: status })} data-status={status} />;
}

export function StatusField({ source = 'status' }: { source?: string; label?: string }) {
  const status = useFieldValue({ source });
  return <StatusChip status={status} />;
}
StatusField.displayName = 'StatusField';

export function StepField({ source = 'step' }: { source?: string; label?: string }) {
  const translate = useTranslate();
  const step = useFieldValue({ source });
  if (!step) return <span>—</span>;
  return <span>{translate(`app.step.${step}`, { _: step })}</span>;
}

export function RolesField({ source = 'roles' }: { source?: string; label?: string }) {
  const translate = useTranslate();
  const roles = (useFieldValue({ source }) ?? []) as string[];
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {roles.map((r) => (
        <Chip key={r} size="small" variant="outlined" label={translate(`app.role.${r}`, { _: r })} />
      ))}
    </Stack>
  );
}

export function useFormatDateTime() {
  const [locale] = useLocaleState();
  return (iso: string | null | undefined, withTime = true) => {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return withTime
      ? d.toLocaleString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      : d.toLocaleDateString(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
  };
}

/** A due time, red with an "overdue" chip once past. */
export function DueField({ source = 'dueAt', overdueSource = 'overdue' }: { source?: string; overdueSource?: string; label?: string }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const dueAt = useFieldValue({ source });
  const overdue = useFieldValue({ source: overdueSource });
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Typography variant="body2" color={overdue ? 'error' : 'textPrimary'}>
        {format(dueAt)}
      </Typography>
      {overdue ? <Chip size="small" color="error" label={translate('app.message.overdue')} data-testid="overdue-chip" /> : null}
    </Stack>
  );
}

/** Seconds as the largest whole unit: "3 天", "36 小时". */
export function useFormatDuration() {
  const translate = useTranslate();
  return (seconds: number | null | undefined) => {
    if (seconds == null) return '—';
    if (seconds === 0) return '0';
    const units: [string, number][] = [
      ['months', 30 * 86400],
      ['days', 86400],
      ['hours', 3600],
      ['minutes', 60],
      ['seconds', 1],
    ];
    const [unit, size] = units.find(([, s]) => seconds % s === 0 && seconds >= s) ?? ['seconds', 1];
    return `${seconds / size} ${translate(`app.unit.${unit}`)}`;
  };
}

/** The bilingual labels of admin-defined things ({labelZh, labelEn}) in the current language. */
export function useLabelOf() {
  const [locale] = useLocaleState();
  return (item: { labelZh?: string; labelEn?: string; nameZh?: string; nameEn?: string }) =>
    locale.startsWith('zh') ? (item.labelZh ?? item.nameZh ?? '') : (item.labelEn ?? item.nameEn ?? item.labelZh ?? item.nameZh ?? '');
}

/** Counts characters as a reader does (grapheme clusters), as the API does. */
export function graphemeCount(text: string): number {
  if (typeof Intl !== 'undefined' && 'Segmenter' in Intl) {
    let n = 0;
    for (const _ of new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(text)) n++;
    return n;
  }
  return Array.from(text).length;
}
