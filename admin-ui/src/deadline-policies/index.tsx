/**
 * Deadline policies: each step's due time, reminder lead and escalation role, and the review and
 * rectification periods. A change moves the timers of registrations in flight; the answer says how
 * many, and the page shows how far each change has got.
 */
import Icon from '@mui/icons-material/AlarmOn';
import Typography from '@mui/material/Typography';
import {
  AutocompleteArrayInput,
  DataTable,
  DateField,
  Edit,
  List,
  ReferenceArrayInput,
  SaveButton,
  SelectArrayInput,
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
/** The steps whose policy may copy (抄送): the approval chain (domain/collab/cc-policy.ts). */
const CC_STEPS = ['lead_school_opinion', 'principal_signature', 'bureau_approval'];
const CC_WHEN = ['submit', 'approve', 'both'];

/** 抄送: roles (resolved in the registration's school / district), named people, and when. */
function CcInputs() {
  const translate = useTranslate();
  return (
    <>
      <Typography variant="body2" color="textSecondary" sx={{ mt: 1, mb: 1, maxWidth: 560 }}>
        {translate('app.ui.cc_hint')}
      </Typography>
      <SelectArrayInput source="ccRoles" choices={ROLES.map((r) => ({ id: r, name: translate(`app.role.${r}`) }))} sx={{ minWidth: 240 }} />
      <ReferenceArrayInput source="ccUserIds" reference="users" filter={{ active: true }} perPage={50}>
        <AutocompleteArrayInput optionText={(u: { name: string; username: string }) => `${u.name}（${u.username}）`} filterToQuery={(q: string) => ({ q })} sx={{ minWidth: 240 }} />
      </ReferenceArrayInput>
      <SelectInput source="ccWhen" choices={CC_WHEN.map((w) => ({ id: w, name: translate(`app.ui.cc_when_${w}`) }))} emptyText="—" />
    </>
  );
}

function CcWhenField({ source }: { source: string; label?: string }) {
  const translate = useTranslate();
  const when = useFieldValue({ source });
  const roles = (useFieldValue({ source: 'ccRoles' }) ?? []) as string[];
  const users = (useFieldValue({ source: 'ccUserIds' }) ?? []) as number[];
  if (!when || (!roles.length && !users.length)) return <span>—</span>;
  const who = [...roles.map((r) => translate(`app.role.${r}`, { _: r })), ...(users.length ? [translate('app.ui.cc_people', { smart_count: users.length })] : [])];
  return <span>{`${translate(`app.ui.cc_when_${when}`)}：${who.join('、')}`}</span>;
}

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
          <DataTable.Col source="ccWhen">
            <CcWhenField source="ccWhen" />
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
      {record && CC_STEPS.includes(record.step) ? <CcInputs /> : null}
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
        ...(CC_STEPS.includes(String(data.step)) ? { ccRoles: data.ccRoles ?? [], ccUserIds: data.ccUserIds ?? [], ccWhen: data.ccWhen || null } : {}),
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
