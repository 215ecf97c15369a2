/** Schools (administrators): code, name, district, legal representative, address, and the stamp. */
import CheckIcon from '@mui/icons-material/Check';
import { Create, DataTable, Edit, ReferenceInput, required, SearchInput, SelectInput, SimpleForm, SimpleList, TextInput, useRecordContext, useTranslate } from 'react-admin';
import { List } from '../common/List';
import { usePhone } from '../common/usePhone';
import { StampPanel } from './StampInput';

function HasStamp() {
  const record = useRecordContext<{ stampFileId: string | null }>();
  return record?.stampFileId ? <CheckIcon color="success" fontSize="small" /> : null;
}

interface SchoolRow {
  id: number;
  code: string;
  name: string;
  districtName: string | null;
  legalRepresentative: string | null;
  stampFileId: string | null;
}

/** A table on a desktop; below 600 px one card per school, the name first. */
export const SchoolList = () => {
  const translate = useTranslate();
  const phone = usePhone();
  return (
    <List filters={[<SearchInput key="q" source="q" alwaysOn />]} sort={{ field: 'id', order: 'ASC' }} exporter={false}>
      {phone ? (
        <SimpleList<SchoolRow>
          linkType="edit"
          primaryText={(s) => s.name}
          secondaryText={(s) => [s.code, s.districtName, s.legalRepresentative].filter(Boolean).join(' · ')}
          tertiaryText={(s) => (s.stampFileId ? translate('app.ui.has_stamp') : '')}
          rightIcon={undefined}
          sx={{ '& .MuiListItemText-secondary': { overflowWrap: 'anywhere' } }}
        />
      ) : (
        <DataTable rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="code" />
          <DataTable.Col source="name" />
          <DataTable.Col source="districtName" />
          <DataTable.Col source="legalRepresentative" />
          <DataTable.Col source="stampFileId" field={HasStamp} />
        </DataTable>
      )}
    </List>
  );
};

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

