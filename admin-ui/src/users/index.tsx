/** Users and their roles (administrators only). Deleting deactivates: history keeps who did what. */
import {
  AutocompleteInput,
  BooleanField,
  BooleanInput,
  CheckboxGroupInput,
  Create,
  DataTable,
  Edit,
  PasswordInput,
  ReferenceInput,
  required,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextInput,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { RolesField } from '../common/fields';
import { ROLES } from '../providers/canAccess';

function useRoleChoices() {
  const translate = useTranslate();
  return ROLES.map((r) => ({ id: r, name: translate(`app.role.${r}`) }));
}

function useFilters() {
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="role" source="role" alwaysOn choices={useRoleChoices()} />,
    <BooleanInput key="active" source="active" />,
  ];
}

export const UserList = () => (
  <List filters={useFilters()} sort={{ field: 'id', order: 'ASC' }} exporter={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="username" />
      <DataTable.Col source="name" />
      <DataTable.Col source="roles" field={RolesField} />
      <DataTable.Col source="schoolName" />
      <DataTable.Col source="districtName" />
      <DataTable.Col source="active" field={BooleanField} />
    </DataTable>
  </List>
);

function UserInputs({ creating }: { creating: boolean }) {
  return (
    <>
      <TextInput source="username" validate={required()} />
      <TextInput source="name" validate={required()} />
      <PasswordInput source="password" validate={creating ? required() : undefined} helperText={creating ? undefined : 'resources.users.fields.password_hint'} />
      <CheckboxGroupInput source="roles" choices={useRoleChoices()} validate={required()} />
      <ReferenceInput source="schoolId" reference="schools" perPage={200}>
        <AutocompleteInput optionText="name" />
      </ReferenceInput>
      <ReferenceInput source="districtId" reference="districts">
        <SelectInput optionText="name" />
      </ReferenceInput>
      <TextInput source="email" type="email" />
      <TextInput source="timeZone" helperText="app.user_time_zone_help" />
      <BooleanInput source="active" defaultValue />
    </>
  );
}

export const UserCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <UserInputs creating />
    </SimpleForm>
  </Create>
);

export const UserEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <SimpleForm>
      <UserInputs creating={false} />
    </SimpleForm>
  </Edit>
);

