import {
  AutocompleteInput,
  BooleanInput,
  CreateButton,
  DataTable,
  DateField,
  ExportButton,
  FilterButton,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleList,
  TopToolbar,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { REGISTRATION_STATUSES, TASK_STEPS } from '@process';
import { XlsxExportButton } from '../district/XlsxExportButton';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';
import { currentViewer, useCan } from '../common/access';
import { DateText, formatDate, StatusChip, StatusField, StepField } from '../common/fields';

const STATUSES = REGISTRATION_STATUSES;
const STEPS = TASK_STEPS;

function useFilters() {
  const translate = useTranslate();
  const roles = currentViewer()?.roles ?? [];
  const districtWide = roles.includes('bureau_approver') || roles.includes('admin');
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('ra.action.search')} />,
    <SelectInput key="status" source="status" alwaysOn choices={STATUSES.map((s) => ({ id: s, name: translate(`app.status.${s}`) }))} />,
    <SelectInput key="step" source="step" choices={STEPS.map((s) => ({ id: s, name: translate(`app.step.${s}`) }))} />,
    ...(districtWide
      ? [
          <ReferenceInput key="schoolId" source="schoolId" reference="schools">
            <AutocompleteInput optionText="name" label="resources.registrations.fields.schoolId" />
          </ReferenceInput>,
        ]
      : []),
    <BooleanInput key="overdue" source="overdue" />,
  ];
}

function ListActions() {
  const can = useCan();
  return (
    <TopToolbar>
      <FilterButton />
      {can('registrations', 'create') ? <CreateButton /> : null}
      <XlsxExportButton resource="registrations" />
    </TopToolbar>
  );
}

type Row = { id: string; name: string; schoolName: string; status: string; currentStep: string | null; submittedAt: string | null; updatedAt: string };

function EmptyText() {
  const translate = useTranslate();
  return (
    <Typography sx={{ p: 3, textAlign: 'center' }} color="textSecondary">
      {translate('app.ui.empty_registrations')}
    </Typography>
  );
}

/** A table on a desktop; below 600 px one card per registration, the name first. */
export function RegistrationList() {
  const translate = useTranslate();
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <List filters={useFilters()} actions={<ListActions />} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25}>
      {small ? (
        <SimpleList<Row>
          linkType="show"
          primaryText={(r) => r.name}
          secondaryText={(r) => `${r.schoolName}${r.currentStep ? ` · ${translate(`app.step.${r.currentStep}`)}` : ''}`}
          tertiaryText={(r) => <StatusChip status={r.status} returned={!!r.submittedAt} />}
          rightIcon={undefined}
          empty={<EmptyText />}
          sx={{ '& .MuiListItemText-secondary': { overflowWrap: 'anywhere' } }}
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} empty={<EmptyText />}>
          <DataTable.Col source="name" />
          <DataTable.Col source="schoolName" />
          <DataTable.Col source="status" field={StatusField} />
          <DataTable.Col source="currentStep" field={StepField} />
          <DataTable.Col source="formedOn" field={() => <DateText source="formedOn" />} />
          <DataTable.Col source="updatedAt" render={(r: Row) => formatDate(r.updatedAt, true)} />
        </DataTable>
      )}
    </List>
  );
}
