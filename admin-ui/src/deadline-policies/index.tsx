/**
 * Deadline policies: each step's due time, reminder lead and escalation role, and the review and
 * rectification periods. A change moves the timers of registrations in flight; the answer says how
 * many, and the page shows how far each change has got.
 */
import Icon from '@mui/icons-material/AlarmOn';
import {
  DataTable,
  DateField,
  Edit,
  List,
  SaveButton,
  SelectInput,
  SimpleForm,
  Toolbar,
  useFieldValue,
  useNotify,
  useRecordContext,
  useRedirect,
  useTranslate,
} from 'react-admin';
import { useCan } from '../common/access';
import { StepField, useFormatDuration } from '../common/fields';
import { ROLES } from '../providers/canAccess';
import { DurationInput } from './DurationInput';
import { PropagationProgress } from './PropagationProgress';

const PERIODS = ['review_period', 'rectification_period'];

function Duration({ source }: { source: string; label?: string }) {
  const format = useFormatDuration();
  const value = useFieldValue({ source });
  return <span>{format(value)}</span>;
}

function RoleName({ source }: { source: string; label?: string }) {
  const translate = useTranslate();
  const role = useFieldValue({ source });
  return <span>{role ? translate(`app.role.${role}`, { _: role }) : '—'}</span>;
}

export function PolicyList() {
  const can = useCan();
  return (
    <>
      <PropagationProgress />
      <List pagination={false} perPage={100} sort={{ field: 'id', order: 'ASC' }} exporter={false} actions={false}>
        <DataTable rowClick={can('deadline-policies', 'edit') ? 'edit' : false} bulkActionButtons={false}>
          <DataTable.Col source="step" field={StepField} />
          <DataTable.Col source="dueSeconds">
            <Duration source="dueSeconds" />
          </DataTable.Col>
          <DataTable.Col source="remindBeforeSeconds">
            <Duration source="remindBeforeSeconds" />
          </DataTable.Col>
          <DataTable.Col source="escalateToRole">
            <RoleName source="escalateToRole" />
          </DataTable.Col>
          <DataTable.Col source="updatedAt">
            <DateField source="updatedAt" showTime />
          </DataTable.Col>
        </DataTable>
      </List>
    </>
  );
}

function PolicyTitle() {
  const translate = useTranslate();
  const record = useRecordContext<{ step: string }>();
  return <span>{translate('app.title_of', { name: translate('resources.deadline-policies.name', { smart_count: 1 }), title: record ? translate(`app.step.${record.step}`) : '' })}</span>;
}

function PolicyInputs() {
  const translate = useTranslate();
  const record = useRecordContext<{ step: string }>();
  const isPeriod = record && PERIODS.includes(record.step);
  return (
    <>
      <DurationInput source="dueSeconds" label={isPeriod ? `app.step.${record!.step}` : undefined} />
      <DurationInput source="remindBeforeSeconds" />
      {!isPeriod ? <SelectInput source="escalateToRole" choices={ROLES.map((r) => ({ id: r, name: translate(`app.role.${r}`) }))} emptyText="—" /> : null}
      {!isPeriod ? <DurationInput source="urgeIntervalSeconds" /> : null}
    </>
  );
}

export function PolicyEdit() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Edit
      mutationMode="pessimistic"
      title={<PolicyTitle />}
      transform={(data: Record<string, unknown>) => ({
        dueSeconds: data.dueSeconds,
        remindBeforeSeconds: data.remindBeforeSeconds ?? 0,
        escalateToRole: data.escalateToRole ?? null,
        ...(PERIODS.includes(String(data.step)) ? {} : { urgeIntervalSeconds: data.urgeIntervalSeconds || null }),
      })}
      mutationOptions={{
        onSuccess: (data: { movedRegistrations?: number } & Record<string, any>) => {
          notify('app.message.moved_registrations', { type: 'success', messageArgs: { smart_count: data.movedRegistrations ?? 0 } });
          redirect('list', 'deadline-policies');
        },
      }}
    >
      {/* Saving unchanged values re-applies the policy to the registrations in flight. */}
      <SimpleForm toolbar={<Toolbar><SaveButton alwaysEnable /></Toolbar>}>
        <PolicyInputs />
      </SimpleForm>
    </Edit>
  );
}

export default { list: PolicyList, edit: PolicyEdit, icon: Icon };
