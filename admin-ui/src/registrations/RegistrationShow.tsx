import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  ArrayField,
  DataTable,
  DateField,
  DeleteButton,
  EditButton,
  Labeled,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { useCan } from '../common/access';
import { useFormFields, usePartyTypes } from '../common/catalog';
import { StatusField, StepField, useLabelOf } from '../common/fields';
import { RecordCoverage } from './Coverage';
import { PdfButton, PrintButton, SubmitButton, WithdrawButton } from './RegistrationActions';
import { RegistrationTitle } from './RegistrationTitle';
import { SignatureBadge } from './SignatureBadge';
import { Timeline } from './Timeline';

function ShowActions() {
  const record = useRecordContext();
  const can = useCan();
  return (
    <TopToolbar>
      {record && can('registrations', 'edit', record) ? <EditButton /> : null}
      {record && can('registrations', 'delete', record) ? <DeleteButton mutationMode="pessimistic" /> : null}
      <SubmitButton />
      <WithdrawButton />
      <PrintButton />
      <PdfButton />
    </TopToolbar>
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

function Header() {
  const record = useRecordContext<{ name: string; currentStep: string | null }>();
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' }, justifyContent: 'space-between' }}>
          <Box>
            <Typography variant="h6">{record.name}</Typography>
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
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="app.tab.form">
          <TextField source="schoolName" label="resources.registrations.fields.schoolId" />
          <TextField source="legalRepresentative" />
          <DateField source="formedOn" />
          <ArrayField source="memberSchools">
            <DataTable bulkActionButtons={false}>
              <DataTable.Col source="name" label="resources.registrations.fields.memberSchools.name" />
            </DataTable>
          </ArrayField>
          <ArrayField source="memberUnits">
            <DataTable bulkActionButtons={false}>
              <DataTable.Col source="name" label="resources.registrations.fields.memberUnits.name" />
              <DataTable.Col source="partyType" label="resources.registrations.fields.memberUnits.partyType" field={PartyTypeName} />
              <DataTable.Col source="contactPerson" label="resources.registrations.fields.memberUnits.contactPerson" />
              <DataTable.Col source="phone" label="resources.registrations.fields.memberUnits.phone" />
              <DataTable.Col source="role" label="resources.registrations.fields.memberUnits.role" />
            </DataTable>
          </ArrayField>
          <TextField source="introduction" sx={{ whiteSpace: 'pre-wrap' }} />
          <ArrayField source="goals">
            <DataTable bulkActionButtons={false}>
              <DataTable.Col source="title" label="resources.registrations.fields.goals.title" />
              <DataTable.Col source="measures" label="resources.registrations.fields.goals.measures" />
              <DataTable.Col source="indicator" label="resources.registrations.fields.goals.indicator" />
              <DataTable.Col source="targetDate" label="resources.registrations.fields.goals.targetDate" field={DateField} />
            </DataTable>
          </ArrayField>
          <TextField source="leadSchoolOpinion" emptyText="—" sx={{ whiteSpace: 'pre-wrap' }} />
          <Labeled label="resources.registrations.fields.principalSignature">
            <SignatureBadge withImages />
          </Labeled>
          <ArrayField source="memberUnits" label="resources.registrations.fields.memberUnits.profile">
            <DataTable bulkActionButtons={false}>
              <DataTable.Col source="name" label="resources.registrations.fields.memberUnits.name" />
              <DataTable.Col source="profile" label="resources.registrations.fields.memberUnits.profile" />
            </DataTable>
          </ArrayField>
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
      </TabbedShowLayout>
    </Show>
  );
};
