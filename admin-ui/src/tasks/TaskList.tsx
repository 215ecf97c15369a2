/**
 * The inbox in four tabs — 待办 (to do, incl. registrations returned to their drafter), 已办 (done by
 * me), 我发起的 (started by me), 抄送我的 (copied to me, with its unread count; unread rows in bold) —
 * each with its count (GET /api/tasks?filter={"view": …}). A table on a desktop, cards with the name
 * first and labelled actions below 600 px.
 */
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  BooleanInput,
  DataTable,
  FilterButton,
  Link,
  SearchInput,
  SelectInput,
  Title,
  TopToolbar,
  RecordContextProvider,
  type RaRecord,
  useGetList,
  useListContext,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { TASK_STEPS } from '@process';
import { currentViewer, useCan } from '../common/access';
import { DueField, StatusChip, StepField, useAppDataProvider, useFormatDateTime } from '../common/fields';
import { XlsxExportButton } from '../district/XlsxExportButton';
import { AssigneeField } from '../collaboration/TaskPeople';
import { BulkDecisionButtons } from './BulkDecisionButtons';
import { Actions, isReturnedToMe, type TaskRecord } from './TaskActions';
import { TaskCards } from './TaskCards';

const STEPS = TASK_STEPS;
const VIEWS = ['todo', 'done', 'started', 'copied'] as const;
type View = (typeof VIEWS)[number];

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('ra.action.search')} />,
    <SelectInput key="step" source="step" choices={STEPS.map((s) => ({ id: s, name: translate(`app.step.${s}`) }))} />,
    <BooleanInput key="overdue" source="overdue" />,
  ];
}

function ClaimedField() {
  const task = useRecordContext<{ claimedBy: number | null }>();
  const translate = useTranslate();
  const me = currentViewer();
  if (!task?.claimedBy) return null;
  return <Chip size="small" variant="outlined" color={task.claimedBy === me?.id ? 'primary' : 'default'} label={translate('app.message.claimed')} />;
}

function RegistrationLink() {
  const task = useRecordContext<{ registrationId: string; registrationName: string }>();
  if (!task) return null;
  return (
    <Link to={`/registrations/${task.registrationId}/show`} onClick={(e: { stopPropagation(): void }) => e.stopPropagation()}>
      {task.registrationName}
    </Link>
  );
}

/** The task's state; a return to the drafter shows as 已退回 with its reason. */
function TaskStatusField() {
  const task = useRecordContext<TaskRecord>();
  const translate = useTranslate();
  if (!task) return null;
  if (isReturnedToMe(task)) {
    return (
      <Box>
        <Chip size="small" color="warning" label={translate('app.ui.returned')} data-testid="returned-chip" />
        {task.comment ? (
          <Typography variant="body2" sx={{ mt: 0.5, overflowWrap: 'anywhere' }} data-testid="returned-reason">
            {translate('app.ui.returned_reason', { reason: task.comment })}
          </Typography>
        ) : null}
      </Box>
    );
  }
  return <span>{translate(`app.task_status.${task.status}`, { _: task.status })}</span>;
}

const ListActions = () => (
  <TopToolbar>
    <FilterButton />
    <XlsxExportButton resource="tasks" />
  </TopToolbar>
);

function useViewCount(view: View) {
  const { total } = useGetList('tasks', { filter: { view }, pagination: { page: 1, perPage: 1 }, sort: { field: 'dueAt', order: 'ASC' } });
  return total;
}

/** 抄送我的 counts what is unread (GET /api/copies/unread-count), as a badge does. */
function useCopiedUnread() {
  const dataProvider = useAppDataProvider();
  const { data } = useQuery({ queryKey: ['copies', 'unread'], queryFn: () => dataProvider.copiedUnreadCount(), refetchOnWindowFocus: true });
  return data?.unread;
}

function ViewTabs({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  const translate = useTranslate();
  const counts = { todo: useViewCount('todo'), done: useViewCount('done'), started: useViewCount('started'), copied: useCopiedUnread() };
  return (
    <Tabs value={view} onChange={(_, v: View) => onChange(v)} variant="fullWidth" aria-label={translate('resources.tasks.name', { smart_count: 2 })} sx={{ borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}>
      {VIEWS.map((v) => (
        <Tab
          key={v}
          value={v}
          data-testid={`tab-${v}`}
          label={
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <span>{translate(`app.ui.tab_${v}`)}</span>
              <Badge color={v === 'todo' ? 'error' : v === 'copied' && counts.copied ? 'primary' : 'default'} badgeContent={counts[v] ?? 0} showZero max={999} sx={{ '& .MuiBadge-badge': { position: 'static', transform: 'none' } }} data-testid={`count-${v}`} />
            </Stack>
          }
        />
      ))}
    </Tabs>
  );
}

function Empty({ view }: { view: View }) {
  const translate = useTranslate();
  return (
    <Typography sx={{ p: 3, textAlign: 'center' }} color="textSecondary" data-testid="inbox-empty">
      {translate(`app.ui.empty_${view}`)}
    </Typography>
  );
}

interface CopiedRecord {
  registrationId: string;
  registrationName: string;
  registrationStatus: string;
  copy?: { read: boolean; copiedAt: string; occasions: string[] };
}

const unreadSx = (record: RaRecord) => ((record as { copy?: CopiedRecord['copy'] }).copy?.read === false ? { '& td': { fontWeight: 700 } } : { '& td': { fontWeight: 400 } });

/** The registration, bold while unread; opening it reads the copy (the server marks it on GET). */
function CopiedLink() {
  const task = useRecordContext<CopiedRecord>();
  if (!task) return null;
  const unread = task.copy && !task.copy.read;
  return (
    <Link to={`/registrations/${task.registrationId}/show`} sx={{ fontWeight: unread ? 700 : 400 }} data-testid={unread ? 'copied-unread' : 'copied-read'}>
      {task.registrationName}
    </Link>
  );
}

function CopyStateField() {
  const task = useRecordContext<CopiedRecord>();
  const translate = useTranslate();
  if (!task?.copy) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      <Chip size="small" color={task.copy.read ? 'default' : 'primary'} variant={task.copy.read ? 'outlined' : 'filled'} label={translate(task.copy.read ? 'app.ui.copy_read' : 'app.ui.copy_unread')} />
      {task.copy.occasions.map((o) => (
        <Chip key={o} size="small" variant="outlined" label={translate(`app.ui.copy_occasion_${o}`, { _: o })} />
      ))}
    </Stack>
  );
}

function CopiedAtField() {
  const task = useRecordContext<CopiedRecord>();
  const format = useFormatDateTime();
  return <span>{task?.copy ? format(task.copy.copiedAt) : ''}</span>;
}

function RegistrationStatusField() {
  const task = useRecordContext<CopiedRecord>();
  return <StatusChip status={task?.registrationStatus} />;
}

/** 抄送我的 on a phone: one card per registration, bold while unread, its state beneath. */
function CopiedCards({ empty }: { empty: React.ReactNode }) {
  const { data, isPending } = useListContext<CopiedRecord & { id: string; schoolName: string }>();
  if (isPending) return null;
  if (!data?.length) return <>{empty}</>;
  return (
    <Stack spacing={1} sx={{ p: 1 }} data-testid="copied-cards">
      {data.map((task) => (
        <RecordContextProvider key={task.id} value={task}>
          <Card variant="outlined" data-testid="copied-card" sx={{ borderLeft: task.copy && !task.copy.read ? 4 : 1, borderLeftColor: task.copy && !task.copy.read ? 'primary.main' : 'divider' }}>
            <CardContent>
              <Typography variant="subtitle1" component="h3" sx={{ overflowWrap: 'anywhere' }}>
                <CopiedLink />
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {task.schoolName} · <StepField />
              </Typography>
              <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 0.5, alignItems: 'center', flexWrap: 'wrap' }}>
                <RegistrationStatusField />
                <CopyStateField />
                <Typography variant="caption" color="textSecondary">
                  <CopiedAtField />
                </Typography>
              </Stack>
            </CardContent>
          </Card>
        </RecordContextProvider>
      ))}
    </Stack>
  );
}

function CopiedTable({ empty }: { empty: React.ReactNode }) {
  return (
    <DataTable rowClick={false} bulkActionButtons={false} empty={empty} rowSx={unreadSx} data-testid="copied-table">
      <DataTable.Col source="registrationName" field={CopiedLink} />
      <DataTable.Col source="schoolName" />
      <DataTable.Col source="step" field={StepField} />
      <DataTable.Col source="registrationStatus" label="resources.registrations.fields.status" field={RegistrationStatusField} />
      <DataTable.Col label="app.ui.copied_at" field={CopiedAtField} />
      <DataTable.Col label="app.ui.copy_state" field={CopyStateField} />
    </DataTable>
  );
}

export function TaskList() {
  const roles = currentViewer()?.roles ?? [];
  const translate = useTranslate();
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [view, setView] = useState<View>('todo');
  const bulk = view === 'todo' && roles.includes('bureau_approver');
  const filters = useFilters();
  const copied = view === 'copied';
  return (
    <Box>
      <Title title={translate('resources.tasks.name', { smart_count: 2 })} />
      <Box sx={{ mt: 1 }}>
        <ViewTabs view={view} onChange={setView} />
      </Box>
      <List
        key={view}
        title={false}
        filter={{ view }}
        // 抄送我的 is searched by name only (its rows are registrations, not tasks to act on): no step filter, no task export.
        filters={copied ? filters.slice(0, 1) : filters}
        sort={{ field: view === 'todo' ? 'dueAt' : 'completedAt', order: view === 'todo' ? 'ASC' : 'DESC' }}
        perPage={25}
        actions={copied ? false : <ListActions />}
        exporter={false}
        empty={false}
        storeKey={`tasks.inbox.${view}`}
        disableSyncWithLocation
      >
        {view === 'copied' ? (
          small ? (
            <CopiedCards empty={<Empty view={view} />} />
          ) : (
            <CopiedTable empty={<Empty view={view} />} />
          )
        ) : small ? (
          <TaskCards actions={<Actions />} status={<TaskStatusField />} claimed={<ClaimedField />} assignee={<AssigneeField />} empty={<Empty view={view} />} />
        ) : (
          <DataTable rowClick={false} bulkActionButtons={bulk ? <BulkDecisionButtons /> : false} empty={<Empty view={view} />}>
            <DataTable.Col source="registrationName" field={RegistrationLink} />
            <DataTable.Col source="schoolName" />
            <DataTable.Col source="step" field={StepField} />
            <DataTable.Col source="dueAt" field={DueField} />
            <DataTable.Col source="assigneeName" label="app.people.assignee" field={AssigneeField} />
            <DataTable.Col source="status" field={TaskStatusField} />
            <DataTable.Col source="claimedBy" field={ClaimedField} />
            <DataTable.Col label="app.ui.actions" align="right">
              <Actions />
            </DataTable.Col>
          </DataTable>
        )}
      </List>
    </Box>
  );
}
