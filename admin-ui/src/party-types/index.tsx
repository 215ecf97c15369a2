/** The responsibility catalog: every party of part one of the policy, each with its duties (read-only). */
import Typography from '@mui/material/Typography';
import {
  DataTable,
  SearchInput,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  useFieldValue,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { PARTY_CATEGORIES } from '../common/catalog';

function Category({ source = "category" }: { source?: string; label?: string }) {
  const translate = useTranslate();
  const value = useFieldValue({ source });
  return <span>{translate(`app.category.${value}`, { _: value })}</span>;
}

function DutyCount() {
  const record = useRecordContext<{ duties: unknown[] }>();
  return <span>{record?.duties?.length ?? 0}</span>;
}

function Duties(_: { label?: string }) {
  const record = useRecordContext<{ duties: { code: string; seq: number; textZh: string }[] }>();
  if (!record) return null;
  return (
    <ol style={{ margin: 0, paddingLeft: '1.5em' }}>
      {record.duties.map((d) => (
        <li key={d.code}>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {d.textZh}
          </Typography>
        </li>
      ))}
    </ol>
  );
}

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="category" source="category" alwaysOn choices={PARTY_CATEGORIES.map((c) => ({ id: c, name: translate(`app.category.${c}`) }))} />,
  ];
}

export const PartyTypeList = () => (
  <List filters={useFilters()} sort={{ field: 'sortOrder', order: 'ASC' }} perPage={50} exporter={false}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="category" field={Category} />
      <DataTable.Col source="nameZh" />
      <DataTable.Col source="nameEn" />
      <DataTable.Col source="duties" field={DutyCount} />
    </DataTable>
  </List>
);

export const PartyTypeShow = () => (
  <Show>
    <SimpleShowLayout>
      <Category source="category" label="resources.party-types.fields.category" />
      <TextField source="nameZh" />
      <TextField source="nameEn" />
      <TextField source="code" />
      <Duties label="resources.party-types.fields.duties" />
    </SimpleShowLayout>
  </Show>
);

