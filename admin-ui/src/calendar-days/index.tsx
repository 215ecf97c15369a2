/**
 * 工作日历: the administrators' overrides of China's official calendar (holidays and make-up
 * workdays come from the maintained calendar; a date set here wins). Due times counted in working
 * days skip the days that do not work; a change moves the due times of registrations in flight.
 */
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import {
  Create,
  DataTable,
  Edit,
  maxLength,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useFieldValue,
  useNotify,
  useRedirect,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { DayInput } from '../common/DayInput';
import { useCan } from '../common/access';

const KINDS = ['workday', 'holiday'] as const;

function KindField({ source }: { source: string; label?: string }) {
  const translate = useTranslate();
  const kind = useFieldValue({ source });
  if (!kind) return <span>—</span>;
  return <Chip size="small" color={kind === 'holiday' ? 'warning' : 'success'} label={translate(`app.calendar.kind.${kind}`)} data-kind={kind} />;
}

function OfficialField({ label: _label }: { label?: string }) {
  const translate = useTranslate();
  const kind = useFieldValue({ source: 'officialKind' });
  const name = useFieldValue({ source: 'officialName' });
  if (!kind) return <span>—</span>;
  return (
    <span>
      {translate(`app.calendar.kind.${kind}`)}
      {name ? ` · ${name}` : ''}
    </span>
  );
}

const filters = [<DayInput filter key="from" source="from" label="app.calendar.from" alwaysOn />, <DayInput filter key="to" source="to" label="app.calendar.to" alwaysOn />];

export function CalendarDayList() {
  const can = useCan();
  const translate = useTranslate();
  return (
    <>
      <Typography variant="body2" color="textSecondary" sx={{ mt: 2 }}>
        {translate('app.calendar.help')}
      </Typography>
      <List sort={{ field: 'date', order: 'ASC' }} filters={filters} exporter={false}>
        <DataTable rowClick={can('calendar-days', 'edit') ? 'edit' : false} bulkActionButtons={false}>
          <DataTable.Col source="date" />
          <DataTable.Col source="kind" field={KindField} />
          <DataTable.Col source="name" />
          <DataTable.Col source="officialKind" label="resources.calendar-days.fields.officialKind">
            <OfficialField />
          </DataTable.Col>
        </DataTable>
      </List>
    </>
  );
}

function CalendarDayInputs() {
  const translate = useTranslate();
  return (
    <>
      {/* A calendar day (YYYY-MM-DD, China): the date picker follows the console's language. */}
      <DayInput source="date" validate={required()} />
      <SelectInput source="kind" choices={KINDS.map((k) => ({ id: k, name: translate(`app.calendar.kind.${k}`) }))} validate={required()} />
      <TextInput source="name" validate={maxLength(100)} helperText="app.calendar.name_help" />
    </>
  );
}

/** After a change, the console says the due times in flight are being moved. */
function useSaved() {
  const notify = useNotify();
  const redirect = useRedirect();
  return {
    onSuccess: () => {
      notify('app.calendar.saved', { type: 'success' });
      redirect('list', 'calendar-days');
    },
  };
}

const toBody = (data: Record<string, unknown>) => ({ date: data.date, kind: data.kind, name: data.name ?? '' });

export function CalendarDayCreate() {
  return (
    <Create transform={toBody} mutationOptions={useSaved()}>
      <SimpleForm>
        <CalendarDayInputs />
      </SimpleForm>
    </Create>
  );
}

export function CalendarDayEdit() {
  return (
    <Edit mutationMode="pessimistic" transform={toBody} mutationOptions={useSaved()}>
      <SimpleForm>
        <CalendarDayInputs />
      </SimpleForm>
    </Edit>
  );
}

