import Typography from '@mui/material/Typography';
import { BooleanInput, NumberInput, required, SelectInput, TextInput, useTranslate } from 'react-admin';
import { useFormFields, type FormFieldDefinition } from '../common/catalog';
import { useLabelOf } from '../common/fields';
import { DayInput } from '../common/DayInput';

/** One input per administrator-defined field: the form grows without a code change. */
function ExtraFieldInput({ field }: { field: FormFieldDefinition }) {
  const labelOf = useLabelOf();
  const common = {
    source: `extra.${field.key}`,
    label: labelOf(field),
    validate: field.required ? required() : undefined,
    'data-extra-field': field.key,
  };
  switch (field.type) {
    case 'textarea':
      return <TextInput {...common} multiline minRows={3} fullWidth />;
    case 'number':
      return <NumberInput {...common} />;
    case 'date':
      return <DayInput {...common} />;
    case 'boolean':
      return <BooleanInput {...common} validate={undefined} />;
    case 'select':
      return <SelectInput {...common} choices={field.options.map((o) => ({ id: o.value, name: labelOf(o) }))} />;
    default:
      return <TextInput {...common} fullWidth />;
  }
}

export function ExtraFieldsInputs() {
  const translate = useTranslate();
  const { fields } = useFormFields();
  if (fields.length === 0) return null;
  return (
    <>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        {translate('app.message.extra_fields')}
      </Typography>
      {fields.map((f) => (
        <ExtraFieldInput key={f.id} field={f} />
      ))}
    </>
  );
}
