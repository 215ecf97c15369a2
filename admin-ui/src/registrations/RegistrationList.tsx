import {
  AutocompleteInput,
  BooleanInput,
  CreateButton,
  DataTable,
  DateField,
  FilterButton,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  TopToolbar,
  useTranslate,
} from 'react-admin';
import { REGISTRATION_STATUSES, TASK_STEPS } from '@process';
import { currentViewer, useCan } from '../common/access';
import { StatusField, StepField } from '../common/fields';
import { XlsxExportButton } from '../district/XlsxExportButton';

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

export const RegistrationList = () => (
  <List filters={useFilters()} actions={<ListActions />} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="name" />
      <DataTable.Col source="schoolName" />
      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="currentStep" field={StepField} />
      <DataTable.Col source="formedOn" field={DateField} />
      <DataTable.Col source="updatedAt">
        <DateField source="updatedAt" showTime />
      </DataTable.Col>
    </DataTable>
  </List>
);
