/** Small fields shared by the screens: status and step chips, role chips, due times. */
import Chip, { type ChipProps } from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useDataProvider, useFieldValue, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
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

/**
 * A registration's status. A draft that was submitted before is a returned one (只有退回会让已提交的登记回到草稿):
 * it reads 已退回, not 草稿 (data-status stays the API's `draft`).
 */
export function StatusChip({ status, returned = false }: { status: string | null | undefined; returned?: boolean }) {
  const translate = useTranslate();
  if (!status) return null;
  if (status === 'draft' && returned) return <Chip size="small" color="warning" label={translate('app.ui.returned')} data-status={status} data-returned="yes" />;
  return <Chip size="small" color={STATUS_COLOR[status] ?? 'default'} label={translate(`app.status.${status}`, { _: status })} data-status={status} />;
}

export function StatusField({ source = 'status' }: { source?: string; label?: string }) {
  const status = useFieldValue({ source });
  const record = useRecordContext<{ submittedAt?: string | null }>();
  return <StatusChip status={status} returned={source === 'status' && !!record?.submittedAt} />;
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

const pad2 = (n: number) => String(n).padStart(2, '0');

/** One date format everywhere, in both languages: 2026-09-01, with the time 2026-09-01 14:05 (local). */
export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return '—';
  // A plain date (yyyy-MM-dd) is a calendar day: shown as it is, never shifted by the time zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  return withTime ? `${day} ${pad2(d.getHours())}:${pad2(d.getMinutes())}` : day;
}

/** Asia/Shanghai (UTC+8 all year, no daylight saving): the zone due times are set and shown in. */
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** A time as China's wall clock, whatever the browser's zone: 2026-12-07 18:00. */
export function formatChinaTime(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t + CHINA_OFFSET_MS).toISOString();
  return withTime ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : s.slice(0, 10);
}

export function useFormatDateTime() {
  return (iso: string | null | undefined, withTime = true) => formatDate(iso, withTime);
}

/** A date (or date and time) field in the one format; replaces react-admin's locale-dependent DateField. */
export function DateText({ source, showTime = false }: { source: string; showTime?: boolean; label?: string }) {
  const value = useFieldValue({ source });
  return <span style={{ whiteSpace: 'nowrap' }}>{formatDate(value, showTime)}</span>;
}

/** A due time in Beijing time (the zone working-day deadlines are set in), red with an "overdue" chip once past. */
export function DueField({ source = 'dueAt', overdueSource = 'overdue' }: { source?: string; overdueSource?: string; label?: string }) {
  const translate = useTranslate();
  const dueAt = useFieldValue({ source });
  const overdue = useFieldValue({ source: overdueSource });
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Typography variant="body2" color={overdue ? 'error' : 'textPrimary'} title={translate('app.beijing_time')} data-zone="Asia/Shanghai">
        {formatChinaTime(dueAt)}
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
