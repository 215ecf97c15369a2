import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import Alert from '@mui/material/Alert';
import { useState } from 'react';
import {
  Confirm,
  useDelete,
  useNotify,
  useRedirect,
  Labeled,
  RecordContextProvider,
  useGetList,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { useCan } from '../common/access';
import { useFormFields, usePartyTypes } from '../common/catalog';
import { DateText, StatusField, StepField, useLabelOf } from '../common/fields';
import { Actions as TaskActions } from '../tasks/TaskActions';
import { RecordCoverage } from './Coverage';
import { PdfButton, PrintButton, SubmitButton, WithdrawButton } from './RegistrationActions';
import { RegistrationTitle } from './RegistrationTitle';
import { SignatureBadge } from './SignatureBadge';
import { Timeline } from './Timeline';
import { Comments } from './Comments';
import { FormTable } from './FormTable';

const GoalTargetDate = () => <DateText source="targetDate" />;

/** The open task of this registration with what the viewer may do on it: decide where you read. */
function OpenTaskActions() {
  const record = useRecordContext<{ id: string; status: string }>();
  const { data } = useGetList('tasks', { filter: { registrationId: record?.id, status: 'open' }, pagination: { page: 1, perPage: 1 }, sort: { field: 'dueAt', order: 'ASC' } }, { enabled: !!record });
  const task = data?.[0];
  if (!task) return null;
  return (
    <RecordContextProvider value={task}>
      <TaskActions />
    </RecordContextProvider>
  );
}

/** A returned registration: the reason, where the drafter reads the form (not only in the process tab). */
function ReturnedNotice() {
  const record = useRecordContext<{ id: string; status: string; submittedAt: string | null }>();
  const translate = useTranslate();
  const returned = record?.status === 'draft' && !!record.submittedAt;
  const { data } = useGetList('tasks', { filter: { registrationId: record?.id, status: 'done' }, pagination: { page: 1, perPage: 1 }, sort: { field: 'completedAt', order: 'DESC' } }, { enabled: returned });
  const last = data?.[0];
  if (!returned || !last || last.outcome !== 'return') return null;
  return (
    <Alert severity="warning" sx={{ mt: 1 }} data-testid="returned-notice">
      {translate('app.ui.returned_by', { step: translate(`app.step.${last.step}`, { _: last.step }) })} {last.comment}
    </Alert>
  );
}

/** 编辑 and 删除, labelled on every screen size (react-admin's own turn into bare icons on a phone). */
function EditAction() {
  const record = useRecordContext<{ id: string }>();
  if (!record) return null;
  return <ActionButton label="ra.action.edit" icon={<EditIcon />} href={`#/registrations/${record.id}`} />;
}

function DeleteAction() {
  const record = useRecordContext<{ id: string; name: string }>();
  const translate = useTranslate();
  const redirect = useRedirect();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [remove, { isPending }] = useDelete();
  if (!record) return null;
  const confirm = () =>
    remove('registrations', { id: record.id, previousData: record }, {
      mutationMode: 'pessimistic',
      onSuccess: () => {
        notify('ra.notification.deleted', { type: 'info', messageArgs: { smart_count: 1 } });
        redirect('list', 'registrations');
      },
      onError: (e) => notify((e as Error).message, { type: 'error' }),
    });
  return (
    <>
      <ActionButton label="ra.action.delete" color="error" icon={<DeleteIcon />} onClick={() => setOpen(true)} />
      <Confirm isOpen={open} loading={isPending} title={translate('ra.action.delete')} content={translate('ra.message.delete_content')} onConfirm={confirm} onClose={() => setOpen(false)} />
    </>
  );
}

function ShowActions() {
  const record = useRecordContext();
  const can = useCan();
  // Copied to the viewer (抄送), outside their scope: read-only, so only the documents.
  if (record?.copiedReadOnly) {
    return (
      <TopToolbar sx={{ flexWrap: 'wrap', gap: 1, justifyContent: { xs: 'flex-start', sm: 'flex-end' } }}>
        <PrintButton />
        <PdfButton />
      </TopToolbar>
    );
  }
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', gap: 1, justifyContent: { xs: 'flex-start', sm: 'flex-end' } }}>
      <OpenTaskActions />
      {record && can('registrations', 'edit', record) ? <EditAction /> : null}
      {record && can('registrations', 'delete', record) ? <DeleteAction /> : null}
      <SubmitButton />
      <WithdrawButton />
      <PrintButton />
      <PdfButton />
    </TopToolbar>
  );
}

/** An empty part of the form (say, no member schools) reads 无, not "no registrations". */
function NoneText() {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="textSecondary" sx={{ py: 1 }}>
      {translate('app.message.none')}
    </Typography>
  );
}

function PartyTypeName() {
  const record = useRecordContext<{ partyType: string }>();
  const [locale] = useLocaleState();
  const { partyTypes } = usePartyTypes();
  const p = partyTypes.find((t) => t.code === record?.partyType);
  return <span>{p ? (locale.startsWith('zh') ? p.nameZh : p.nameEn) : record?.partyType}</span>;
}

function ExtraValues() {
  const record = useRecordContext<{ extra?: Record<string, unknown> }>();
  const { fields } = useFormFields();
  const labelOf = useLabelOf();
  const translate = useTranslate();
  if (!fields.length) return null;
  return (
    <Stack spacing={1}>
      {fields.map((f) => {
        const raw = record?.extra?.[f.key];
        const value =
          f.type === 'select' ? labelOf(f.options.find((o) => o.value === raw) ?? { labelZh: String(raw ?? ''), labelEn: String(raw ?? '') })
          : f.type === 'boolean' ? translate(raw ? 'ra.boolean.true' : 'ra.boolean.false')
          : String(raw ?? '—');
        return (
          <Labeled key={f.id} label={labelOf(f)}>
            <span>{value || '—'}</span>
          </Labeled>
        );
      })}
    </Stack>
  );
}

/** Read through a copy (抄送): said once, where the viewer reads the form. */
function CopiedNotice() {
  const record = useRecordContext<{ copiedReadOnly?: boolean }>();
  const translate = useTranslate();
  if (!record?.copiedReadOnly) return null;
  return (
    <Alert severity="info" sx={{ mt: 1 }} data-testid="copied-notice">
      {translate('app.ui.read_only_copy')}
    </Alert>
  );
}

function Header() {
  const record = useRecordContext<{ name: string; currentStep: string | null; status: string }>();
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' }, justifyContent: 'space-between' }}>
          <Box>
            <Typography variant="h6" sx={{ overflowWrap: 'anywhere' }}>
              {record.name}
            </Typography>
            <Stack direction="row" spacing={1} sx={{mt: 0.5, alignItems: 'center' }}>
              <StatusField />
              {record.currentStep ? (
                <Typography variant="body2" color="textSecondary">
                  <StepField source="currentStep" />
                </Typography>
              ) : null}
            </Stack>
          </Box>
          <SignatureBadge />
        </Stack>
        <ReturnedNotice />
        <CopiedNotice />
      </CardContent>
    </Card>
  );
}

export const RegistrationShow = () => {
  const translate = useTranslate();
  return (
    <Show actions={<ShowActions />} title={<RegistrationTitle />}>
      <Box sx={{ p: 2, pb: 0 }}>
        <Header />
      </Box>
      <TabbedShowLayout sx={{ minWidth: 0, '& .RaDataTable-tableWrapper': { overflowX: 'auto' }, '& .RaLabeled-root, & .ra-field': { maxWidth: '100%', minWidth: 0 } }}>
        <TabbedShowLayout.Tab label="app.tab.form">
          <TextField source="schoolName" label="resources.registrations.fields.schoolId" />
          <TextField source="legalRepresentative" />
          <DateText source="formedOn" label="resources.registrations.fields.formedOn" />
          <FormTable source="memberSchools" empty={<NoneText />} columns={[{ source: 'name', label: 'resources.registrations.fields.memberSchools.name' }]} />
          <FormTable
            source="memberUnits"
            empty={<NoneText />}
            columns={[
              { source: 'name', label: 'resources.registrations.fields.memberUnits.name' },
              { source: 'partyType', label: 'resources.registrations.fields.memberUnits.partyType', field: PartyTypeName },
              { source: 'contactPerson', label: 'resources.registrations.fields.memberUnits.contactPerson' },
              { source: 'phone', label: 'resources.registrations.fields.memberUnits.phone' },
              { source: 'role', label: 'resources.registrations.fields.memberUnits.role' },
            ]}
          />
          <TextField source="introduction" sx={{ whiteSpace: 'pre-wrap' }} />
          <FormTable
            source="goals"
            empty={<NoneText />}
            columns={[
              { source: 'title', label: 'resources.registrations.fields.goals.title' },
              { source: 'measures', label: 'resources.registrations.fields.goals.measures' },
              { source: 'indicator', label: 'resources.registrations.fields.goals.indicator' },
              { source: 'targetDate', label: 'resources.registrations.fields.goals.targetDate', field: GoalTargetDate },
            ]}
          />
          <TextField source="leadSchoolOpinion" emptyText="—" sx={{ whiteSpace: 'pre-wrap' }} />
          <Labeled label="resources.registrations.fields.principalSignature">
            <SignatureBadge withImages />
          </Labeled>
          <FormTable
            source="memberUnits"
            label="resources.registrations.fields.memberUnits.profile"
            empty={<NoneText />}
            columns={[
              { source: 'name', label: 'resources.registrations.fields.memberUnits.name' },
              { source: 'profile', label: 'resources.registrations.fields.memberUnits.profile' },
            ]}
          />
          <TextField source="remarks" emptyText="—" />
          <ExtraValues />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="app.tab.process" path="process">
          <Typography variant="subtitle1">{translate('app.message.timeline')}</Typography>
          <Timeline />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="app.tab.coverage" path="coverage">
          <RecordCoverage />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="app.ui.comments" path="comments">
          <Comments />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
};
