/**
 * 委托 (delegations while away): your own delegations — or, for an administrator, anyone's — as a
 * react-admin resource over /api/delegations. The delegate picker lists only users who may stand
 * in for the delegator (GET /api/delegations/candidates).
 */
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import { useQuery } from '@tanstack/react-query';
import {
  AutocompleteInput,
  Create,
  DataTable,
  Edit,
  List,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  SimpleList,
  TextInput,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { useWatch } from 'react-hook-form';
import { currentViewer } from '../common/access';
import { DayInput } from '../common/DayInput';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';
import { DateText, useFormatDateTime } from '../common/fields';
import { apiCall } from '../providers/httpClient';

function ActiveField(_: { label?: string; source?: string }) {
  const record = useRecordContext<{ active: boolean }>();
  const translate = useTranslate();
  return record?.active ? <Chip size="small" color="success" label={translate('app.people.active')} data-testid="delegation-active" /> : null;
}

type DelegationRecord = { id: number; fromUserName: string | null; toUserName: string | null; startsAt: string; endsAt: string; reason: string | null; active: boolean };

/** A table on a desktop; below 600 px one line per delegation: who → whom, the window, whether it is in force. */
export function DelegationList() {
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const translate = useTranslate();
  const format = useFormatDateTime();
  return (
    <List sort={{ field: 'startsAt', order: 'DESC' }} exporter={false}>
      {small ? (
        <SimpleList<DelegationRecord>
          linkType="edit"
          primaryText={(d) => `${d.fromUserName ?? ''} → ${d.toUserName ?? ''}`}
          secondaryText={(d) => `${format(d.startsAt)} – ${format(d.endsAt)}${d.reason ? ` · ${d.reason}` : ''}`}
          tertiaryText={(d) => (d.active ? translate('app.people.active') : '')}
        />
      ) : (
        <DataTable rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="fromUserName" />
          <DataTable.Col source="toUserName" />
          <DataTable.Col source="startsAt" field={() => <DateText source="startsAt" showTime />} />
          <DataTable.Col source="endsAt" field={() => <DateText source="endsAt" showTime />} />
          <DataTable.Col source="reason" />
          <DataTable.Col source="active" field={ActiveField} />
        </DataTable>
      )}
    </List>
  );
}

/** The delegate picker: those who may stand in for the chosen delegator. */
function DelegateInput() {
  const me = currentViewer();
  const fromUserId = useWatch({ name: 'fromUserId' }) ?? me?.id;
  const { data } = useQuery({
    queryKey: ['delegations', 'candidates', fromUserId],
    queryFn: () => apiCall<{ id: number; name: string }[]>(`/delegations/candidates${fromUserId && fromUserId !== me?.id ? `?fromUserId=${fromUserId}` : ''}`),
  });
  return <SelectInput source="toUserId" choices={data ?? []} validate={required()} isLoading={!data} />;
}

function DelegationInputs() {
  const translate = useTranslate();
  const admin = currentViewer()?.roles.includes('admin');
  return (
    <>
      <Alert severity="info" sx={{ mb: 2, maxWidth: 640 }}>
        {translate('resources.delegations.hint')}
      </Alert>
      {admin ? (
        <ReferenceInput source="fromUserId" reference="users" perPage={200}>
          <AutocompleteInput optionText="name" validate={required()} />
        </ReferenceInput>
      ) : null}
      <DelegateInput />
      <DayInput withTime source="startsAt" validate={required()} />
      <DayInput withTime source="endsAt" validate={required()} />
      <TextInput source="reason" multiline fullWidth />
    </>
  );
}

const inAnHour = () => ({ startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString() });
const toBody = (d: Record<string, unknown>) => ({
  ...(d.fromUserId ? { fromUserId: d.fromUserId } : {}),
  toUserId: d.toUserId,
  startsAt: new Date(String(d.startsAt)).toISOString(),
  endsAt: new Date(String(d.endsAt)).toISOString(),
  reason: d.reason || null,
});

export const DelegationCreate = () => (
  <Create redirect="list" transform={toBody}>
    <SimpleForm defaultValues={inAnHour()}>
      <DelegationInputs />
    </SimpleForm>
  </Create>
);

export const DelegationEdit = () => (
  <Edit redirect="list" mutationMode="pessimistic" transform={toBody}>
    <SimpleForm>
      <DelegationInputs />
    </SimpleForm>
  </Edit>
);

