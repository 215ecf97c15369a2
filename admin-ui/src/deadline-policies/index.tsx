/**
 * Deadline policies: each step's due time, reminder lead and escalation role, and the review and
 * rectification periods. A change moves the timers of registrations in flight; the answer says how
 * many, and the page shows how far each change has got.
 */
import Typography from '@mui/material/Typography';
import { useWatch } from 'react-hook-form';
import {
  AutocompleteArrayInput,
  DataTable,
  FormDataConsumer,
  Edit,
  List,
  NumberInput,
  RadioButtonGroupInput,
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
import { APPROVER_MODE_STEPS, APPROVER_MODES, type TaskStep } from '@process';
import { useCan } from '../common/access';
import { DateText, StepField, useFormatDuration } from '../common/fields';
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

/** The due time in its unit: seconds (as 天/小时), working days or months. */
function DueTime({ kind }: { kind: 'due' | 'remind'; label?: string }) {
  const translate = useTranslate();
  const format = useFormatDuration();
  const record = useRecordContext<Record<string, number | null>>();
  if (!record) return null;
  if (kind === 'due' && record.dueWorkingDays != null) return <span>{translate('app.policy_unit.working_days_count', { smart_count: record.dueWorkingDays })}</span>;
  if (kind === 'due' && record.dueWorkingHours != null) return <span>{translate('app.policy_unit.working_hours_count', { smart_count: record.dueWorkingHours })}</span>;
  if (kind === 'due' && record.dueMonths != null) return <span>{translate('app.policy_unit.months_count', { smart_count: record.dueMonths })}</span>;
  if (kind === 'remind' && record.remindBeforeWorkingDays) return <span>{translate('app.policy_unit.working_days_count', { smart_count: record.remindBeforeWorkingDays })}</span>;
  return <span>{format(kind === 'due' ? record.dueSeconds : record.remindBeforeSeconds)}</span>;
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
            <DueTime kind="due" />
          </DataTable.Col>
          <DataTable.Col source="remindBeforeSeconds">
            <DueTime kind="remind" />
          </DataTable.Col>
          <DataTable.Col source="escalateToRole">
            <RoleName source="escalateToRole" />
          </DataTable.Col>
          <DataTable.Col source="ccWhen">
            <CcWhenField source="ccWhen" />
          </DataTable.Col>
          <DataTable.Col source="approverMode" label="app.collab.approver_mode">
            <ApproverModeField />
          </DataTable.Col>
          <DataTable.Col source="updatedAt">
            <DateText source="updatedAt" showTime />
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

type PolicyRecord = { step: string; dueSeconds: number | null; dueWorkingDays?: number | null; dueWorkingHours?: number | null; dueMonths?: number | null; remindBeforeWorkingDays?: number | null };
const dueUnitOf = (r?: PolicyRecord) => (r?.dueWorkingDays != null ? 'workingDays' : r?.dueWorkingHours != null ? 'workingHours' : r?.dueMonths != null ? 'months' : 'time');
const remindUnitOf = (r?: PolicyRecord) => (r?.remindBeforeWorkingDays ? 'workingDays' : 'time');

function PolicyInputs() {
  const translate = useTranslate();
  const record = useRecordContext<PolicyRecord>();
  const isPeriod = record && PERIODS.includes(record.step);
  const dueUnit = useWatch({ name: 'dueUnit' }) ?? dueUnitOf(record);
  const remindUnit = useWatch({ name: 'remindUnit' }) ?? remindUnitOf(record);
  const dueChoices = [
    { id: 'workingDays', name: translate('app.policy_unit.working_days') },
    { id: 'workingHours', name: translate('app.policy_unit.working_hours') },
    { id: 'time', name: translate('app.policy_unit.time') },
    ...(isPeriod ? [{ id: 'months', name: translate('app.policy_unit.months') }] : []),
  ];
  return (
    <>
      {/* 工作日 vs 秒/小时: a due time in working days skips weekends, public holidays and the calendar's overrides. */}
      <RadioButtonGroupInput source="dueUnit" label="app.policy_unit.due" choices={dueChoices} defaultValue={dueUnitOf(record)} />
      {dueUnit === 'workingDays' ? <NumberInput source="dueWorkingDays" min={1} step={1} /> : null}
      {dueUnit === 'workingHours' ? <NumberInput source="dueWorkingHours" min={1} step={1} /> : null}
      {dueUnit === 'months' ? <NumberInput source="dueMonths" min={1} step={1} /> : null}
      {dueUnit === 'time' ? <DurationInput source="dueSeconds" label={isPeriod ? `app.step.${record!.step}` : undefined} /> : null}
      {dueUnit !== 'time' ? (
        <Typography variant="caption" color="textSecondary" sx={{ mb: 2 }}>
          {translate('app.policy_unit.working_day_end')}
        </Typography>
      ) : null}
      <RadioButtonGroupInput
        source="remindUnit"
        label="app.policy_unit.remind"
        choices={[
          { id: 'workingDays', name: translate('app.policy_unit.working_days') },
          { id: 'time', name: translate('app.policy_unit.time') },
        ]}
        defaultValue={remindUnitOf(record)}
      />
      {remindUnit === 'workingDays' ? <NumberInput source="remindBeforeWorkingDays" min={0} step={1} /> : <DurationInput source="remindBeforeSeconds" />}
      {!isPeriod ? <SelectInput source="escalateToRole" choices={ROLES.map((r) => ({ id: r, name: translate(`app.role.${r}`) }))} emptyText="—" /> : null}
      {!isPeriod ? <DurationInput source="urgeIntervalSeconds" /> : null}
      {record && CC_STEPS.includes(record.step) ? <CcInputs /> : null}
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
      transform={(data: Record<string, any>) => {
        const dueUnit = data.dueUnit ?? dueUnitOf(data as PolicyRecord);
        const remindUnit = data.remindUnit ?? remindUnitOf(data as PolicyRecord);
        // Exactly one due unit goes to the API (it refuses two).
        return {
          ...(dueUnit === 'workingDays' ? { dueWorkingDays: data.dueWorkingDays } : dueUnit === 'workingHours' ? { dueWorkingHours: data.dueWorkingHours } : dueUnit === 'months' ? { dueMonths: data.dueMonths } : { dueSeconds: data.dueSeconds }),
          ...(remindUnit === 'workingDays' ? { remindBeforeWorkingDays: data.remindBeforeWorkingDays ?? 0 } : { remindBeforeSeconds: data.remindBeforeSeconds ?? 0 }),
          escalateToRole: data.escalateToRole ?? null,
          ...(PERIODS.includes(String(data.step)) ? {} : { urgeIntervalSeconds: data.urgeIntervalSeconds || null }),
          ...(CC_STEPS.includes(String(data.step)) ? { ccRoles: data.ccRoles ?? [], ccUserIds: data.ccUserIds ?? [], ccWhen: data.ccWhen || null } : {}),
          ...(APPROVER_MODE_STEPS.includes(data.step as TaskStep)
            ? { approverMode: data.approverMode ?? 'single', approverUserIds: data.approverMode && data.approverMode !== 'single' ? (data.approverUserIds ?? []) : [] }
            : {}),
        };
      }}
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

