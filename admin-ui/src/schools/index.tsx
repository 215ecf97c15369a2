/** Schools (administrators): code, name, district, legal representative, address, and the stamp. */
import CheckIcon from '@mui/icons-material/Check';
import { Create, DataTable, Edit, ReferenceInput, required, SearchInput, SelectInput, SimpleForm, TextInput, useRecordContext } from 'react-admin';
import { List } from '../common/List';
import { StampPanel } from './StampInput';

function HasStamp() {
  const record = useRecordContext<{ stampFileId: string | null }>();
  return record?.stampFileId ? <CheckIcon color="success" fontSize="small" /> : null;
}

export const SchoolList = () => (
  <List filters={[<SearchInput key="q" source="q" alwaysOn />]} sort={{ field: 'id', order: 'ASC' }} exporter={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="code" />
      <DataTable.Col source="name" />
      <DataTable.Col source="districtName" />
      <DataTable.Col source="legalRepresentative" />
      <DataTable.Col source="stampFileId" field={HasStamp} />
    </DataTable>
  </List>
);

const SchoolInputs = () => (
  <>
    <ReferenceInput source="districtId" reference="districts">
      <SelectInput optionText="name" validate={required()} />
    </ReferenceInput>
    <TextInput source="code" validate={required()} />
    <TextInput source="name" validate={required()} fullWidth />
    <TextInput source="legalRepresentative" />
    <TextInput source="address" fullWidth />
  </>
);

export const SchoolCreate = () => (
  <Create redirect="edit">
    <SimpleForm>
      <SchoolInputs />
    </SimpleForm>
  </Create>
);

export const SchoolEdit = () => (
  <Edit mutationMode="pessimistic" redirect={false}>
    <SimpleForm>
      <StampPanel />
      <SchoolInputs />
    </SimpleForm>
  </Edit>
);

