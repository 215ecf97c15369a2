/**
 * The form's extra fields (低代码字段): key, Chinese and English label, type, required, options.
 * Saved definitions appear in the registration form's “补充信息” without a code change.
 */
import Alert from '@mui/material/Alert';
import {
  ArrayInput,
  BooleanField,
  BooleanInput,
  Create,
  DataTable,
  Edit,
  FormDataConsumer,
  NumberInput,
  required,
  SearchInput,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  useFieldValue,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { AddItemButton } from '../common/AddItemButton';

const TYPES = ['text', 'textarea', 'number', 'date', 'select', 'boolean'];

function TypeName({ source = 'type' }: { source?: string; label?: string }) {
  const translate = useTranslate();
  const value = useFieldValue({ source });
  return <span>{translate(`resources.form-fields.types.${value}`, { _: value })}</span>;
}

export const FormFieldList = () => (
  <List filters={[<SearchInput key="q" source="q" alwaysOn />]} sort={{ field: 'position', order: 'ASC' }} exporter={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="position" />
      <DataTable.Col source="key" />
      <DataTable.Col source="labelZh" />
      <DataTable.Col source="labelEn" />
      <DataTable.Col source="type" field={TypeName} />
      <DataTable.Col source="required" field={BooleanField} />
      <DataTable.Col source="active" field={BooleanField} />
    </DataTable>
  </List>
);

function FormFieldInputs() {
  const translate = useTranslate();
  return (
    <>
      <Alert severity="info" sx={{ mb: 2 }}>
        {translate('app.message.form_fields_preview')}
      </Alert>
      <TextInput source="key" validate={required()} helperText="app.ui.key_hint" />
      <TextInput source="labelZh" validate={required()} fullWidth />
      <TextInput source="labelEn" validate={required()} fullWidth helperText="app.ui.label_en_hint" />
      <SelectInput source="type" validate={required()} choices={TYPES.map((t) => ({ id: t, name: translate(`resources.form-fields.types.${t}`) }))} defaultValue="text" />
      <BooleanInput source="required" defaultValue={false} />
      <FormDataConsumer>
        {({ formData }) =>
          formData.type === 'select' ? (
            <ArrayInput source="options">
              <SimpleFormIterator inline addButton={<AddItemButton />}>
                <TextInput source="value" helperText={false} />
                <TextInput source="labelZh" helperText={false} />
                <TextInput source="labelEn" helperText={false} />
              </SimpleFormIterator>
            </ArrayInput>
          ) : null
        }
      </FormDataConsumer>
      <NumberInput source="position" defaultValue={0} />
      <BooleanInput source="active" defaultValue />
    </>
  );
}

export const FormFieldCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <FormFieldInputs />
    </SimpleForm>
  </Create>
);

export const FormFieldEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <SimpleForm>
      <FormFieldInputs />
    </SimpleForm>
  </Edit>
);

