/**
 * Deadline policies: each step's due time, reminder lead and escalation role, and the review and
 * rectification periods. A change moves the timers of registrations in flight; the answer says how
 * many, and the page shows how far each change has got.
 */
import Icon from '@mui/icons-material/AlarmOn';
import {
  AutocompleteArrayInput,
  DataTable,
  FormDataConsumer,
  ReferenceArrayInput,
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
import { APPROVER_MODE_STEPS, APPROVER_MODES, type TaskStep } from '@process';
import Typography from '@mui/material/Typography';
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

function ApproverModeField() {
  const translate = useTranslate();
  const record = useRecordContext<{ step: string; approverMode?: string; approverUserIds?: number[] }>();
  if (!record || !APPROVER_MODE_STEPS.includes(record.step as TaskStep)) return <span>—</span>;
  const mode = record.approverMode ?? 'single';
  return <span>{translate(`app.collab.approver_modes.${mode}`)}{mode !== 'single' ? ` · ${record.approverUserIds?.length ?? 0}` : ''}</span>;
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
          <DataTable.Col source="approverMode" label="app.collab.approver_mode">
            <ApproverModeField />
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
      {record && APPROVER_MODE_STEPS.includes(record.step as TaskStep) ? <ApproverInputs /> : null}
    </>
  );
}

/** 审批方式: 单人 / 会签 / 或签, and for the last two the named bureau approvers (checked by the server). */
function ApproverInputs() {
  const translate = useTranslate();
  return (
    <>
      <SelectInput
        source="approverMode"
        label="app.collab.approver_mode"
        choices={APPROVER_MODES.map((m) => ({ id: m, name: translate(`app.collab.approver_modes.${m}`) }))}
        defaultValue="single"
        emptyValue="single"
        helperText={false}
      />
      <Typography variant="caption" color="textSecondary" sx={{ mb: 2, maxWidth: 480 }}>
        {translate('app.collab.approver_mode_hint')}
      </Typography>
      <FormDataConsumer<{ approverMode?: string }>>
        {({ formData }) =>
          formData.approverMode && formData.approverMode !== 'single' ? (
            <ReferenceArrayInput source="approverUserIds" reference="users" filter={{ role: 'bureau_approver', active: true }} perPage={100}>
              <AutocompleteArrayInput label="app.collab.approver_users" optionText={(u: { name: string; username: string }) => `${u.name}（${u.username}）`} sx={{ minWidth: { xs: '100%', sm: 420 } }} />
            </ReferenceArrayInput>
          ) : null
        }
      </FormDataConsumer>
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
        ...(APPROVER_MODE_STEPS.includes(data.step as TaskStep)
          ? { approverMode: data.approverMode ?? 'single', approverUserIds: data.approverMode && data.approverMode !== 'single' ? (data.approverUserIds ?? []) : [] }
          : {}),
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
