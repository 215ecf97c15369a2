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
  SimpleList,
  TextInput,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { usePhone } from '../common/usePhone';
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

interface UserRow {
  id: number;
  username: string;
  name: string;
  roles: string[];
  schoolName: string | null;
  districtName: string | null;
  active: boolean;
}

/** A table on a desktop; below 600 px one card per user, the name first. */
export const UserList = () => {
  const translate = useTranslate();
  const phone = usePhone();
  return (
    <List filters={useFilters()} sort={{ field: 'id', order: 'ASC' }} exporter={false}>
      {phone ? (
        <SimpleList<UserRow>
          linkType="edit"
          primaryText={(u) => `${u.name}（${u.username}）`}
          secondaryText={(u) => [u.roles.map((r) => translate(`app.role.${r}`)).join('、'), u.schoolName ?? u.districtName].filter(Boolean).join(' · ')}
          tertiaryText={(u) => (u.active ? '' : translate('app.ui.inactive'))}
          rightIcon={undefined}
          sx={{ '& .MuiListItemText-secondary': { overflowWrap: 'anywhere' } }}
        />
      ) : (
        <DataTable rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="username" />
          <DataTable.Col source="name" />
          <DataTable.Col source="roles" field={RolesField} />
          <DataTable.Col source="schoolName" />
          <DataTable.Col source="districtName" />
          <DataTable.Col source="active" field={BooleanField} />
        </DataTable>
      )}
    </List>
  );
};

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

