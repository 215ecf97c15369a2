/** 待办: the signed-in user's tasks, soonest due first, overdue ones marked, each with the action of its step. */
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import {
  BooleanInput,
  DataTable,
  FilterButton,
  List,
  Link,
  SearchInput,
  SelectInput,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { TASK_STEPS } from '@process';
import { currentViewer, useCan } from '../common/access';
import { DueField, StepField } from '../common/fields';
import { XlsxExportButton } from '../district/XlsxExportButton';
import { BulkDecisionButtons } from './BulkDecisionButtons';
import { ClaimButton } from './ClaimButtons';
import { DecisionButton } from './DecisionDialog';
import { GoalRatingButton, GoalReportButton } from './GoalReviewDialogs';
import { OpinionButton } from './OpinionDialog';
import { SignButton } from './SignDialog';

const STEPS = TASK_STEPS;

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('ra.action.search')} />,
    <BooleanInput key="mine" source="mine" alwaysOn />,
    <SelectInput key="step" source="step" choices={STEPS.map((s) => ({ id: s, name: translate(`app.step.${s}`) }))} />,
    <BooleanInput key="overdue" source="overdue" />,
    <SelectInput key="status" source="status" choices={['open', 'done', 'cancelled'].map((s) => ({ id: s, name: translate(`app.task_status.${s}`) }))} />,
  ];
}

/** The action of the task's step, shown only when the viewer may act on it now. */
function StepAction() {
  const task = useRecordContext<{ step: string; status: string; claimedBy: number | null; schoolId: number | null }>();
  const can = useCan();
  if (!task || !can('tasks', 'complete', task)) return null;
  switch (task.step) {
    case 'lead_school_opinion':
      return <OpinionButton />;
    case 'principal_signature':
      return <SignButton />;
    case 'bureau_approval':
      return <DecisionButton />;
    case 'goal_report':
      return <GoalReportButton />;
    case 'goal_rating':
      return <GoalRatingButton />;
    default:
      return null;
  }
}

function Actions() {
  return (
    <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
      <ClaimButton />
      <StepAction />
    </Stack>
  );
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

function TaskStatusField() {
  const task = useRecordContext<{ status: string }>();
  const translate = useTranslate();
  return task ? <span>{translate(`app.task_status.${task.status}`, { _: task.status })}</span> : null;
}

const ListActions = () => (
  <TopToolbar>
    <FilterButton />
    <XlsxExportButton resource="tasks" />
  </TopToolbar>
);

export function TaskList() {
  const roles = currentViewer()?.roles ?? [];
  const bulk = roles.includes('bureau_approver');
  return (
    <List
      filters={useFilters()}
      filterDefaultValues={{ mine: true }}
      sort={{ field: 'dueAt', order: 'ASC' }}
      perPage={25}
      actions={<ListActions />}
      exporter={false}
      storeKey="tasks.inbox"
    >
      <DataTable rowClick={false} bulkActionButtons={bulk ? <BulkDecisionButtons /> : false}>
        <DataTable.Col source="registrationName" field={RegistrationLink} />
        <DataTable.Col source="schoolName" />
        <DataTable.Col source="step" field={StepField} />
        <DataTable.Col source="dueAt" field={DueField} />
        <DataTable.Col source="status" field={TaskStatusField} />
        <DataTable.Col source="claimedBy" field={ClaimedField} />
        <DataTable.Col label={false} align="right">
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
