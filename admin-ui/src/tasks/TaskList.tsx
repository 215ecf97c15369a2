/**
 * The inbox in three tabs — 待办 (to do, incl. registrations returned to their drafter), 已办 (done by
 * me), 我发起的 (started by me) — each with its count (GET /api/tasks?filter={"view": …}). A table on a
 * desktop, cards with the name first and labelled actions below 600 px.
 */
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';
import { useState } from 'react';
import {
  BooleanInput,
  DataTable,
  FilterButton,
  Link,
  List,
  SearchInput,
  SelectInput,
  Title,
  TopToolbar,
  useGetList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { TASK_STEPS } from '@process';
import { currentViewer, useCan } from '../common/access';
import { DueField, StepField } from '../common/fields';
import { XlsxExportButton } from '../district/XlsxExportButton';
import { AssigneeField } from '../collaboration/TaskPeople';
import { BulkDecisionButtons } from './BulkDecisionButtons';
import { Actions, isReturnedToMe, type TaskRecord } from './TaskActions';
import { TaskCards } from './TaskCards';

const STEPS = TASK_STEPS;
const VIEWS = ['todo', 'done', 'started'] as const;
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

function ViewTabs({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  const translate = useTranslate();
  const counts = { todo: useViewCount('todo'), done: useViewCount('done'), started: useViewCount('started') };
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
              <Badge color={v === 'todo' ? 'error' : 'default'} badgeContent={counts[v] ?? 0} showZero max={999} sx={{ '& .MuiBadge-badge': { position: 'static', transform: 'none' } }} data-testid={`count-${v}`} />
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

export function TaskList() {
  const roles = currentViewer()?.roles ?? [];
  const translate = useTranslate();
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [view, setView] = useState<View>('todo');
  const bulk = view === 'todo' && roles.includes('bureau_approver');
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
        filters={useFilters()}
        sort={{ field: view === 'todo' ? 'dueAt' : 'completedAt', order: view === 'todo' ? 'ASC' : 'DESC' }}
        perPage={25}
        actions={<ListActions />}
        exporter={false}
        empty={false}
        storeKey={`tasks.inbox.${view}`}
        disableSyncWithLocation
      >
        {small ? (
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
