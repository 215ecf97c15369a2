/** The hash-chained audit log (bureau and administrators): every action, and a check of the chain. */
import Icon from '@mui/icons-material/Policy';
import VerifiedIcon from '@mui/icons-material/Verified';
import { useState } from 'react';
import {
  Button,
  DataTable,
  DateField,
  List,
  Show,
  SimpleShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  useNotify,
  useRecordContext,
} from 'react-admin';
import { useAppDataProvider } from '../common/fields';
import { localizeMessage } from '../providers/localize';
import { XlsxExportButton } from '../district/XlsxExportButton';

function VerifyChainButton() {
  const dataProvider = useAppDataProvider();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    try {
      const answer = await dataProvider.verifyAuditChain();
      notify(localizeMessage(answer.message), { type: answer.ok ? 'success' : 'error' });
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label="app.action.verify_chain" onClick={verify} disabled={busy}>
      <VerifiedIcon />
    </Button>
  );
}

function Details(_: { label?: string }) {
  const record = useRecordContext<{ details: unknown }>();
  return <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(record?.details ?? {}, null, 2)}</pre>;
}

const filters = [<TextInput key="action" source="action" alwaysOn />, <TextInput key="registrationId" source="registrationId" />];

export const AuditEventList = () => (
  <List
    filters={filters}
    sort={{ field: 'id', order: 'DESC' }}
    exporter={false}
    actions={
      <TopToolbar>
        <VerifyChainButton />
        <XlsxExportButton resource="audit-events" />
      </TopToolbar>
    }
  >
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="id" />
      <DataTable.Col source="at">
        <DateField source="at" showTime />
      </DataTable.Col>
      <DataTable.Col source="actorName" />
      <DataTable.Col source="action" />
      <DataTable.Col source="registrationId" />
    </DataTable>
  </List>
);

export const AuditEventShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="id" />
      <DateField source="at" showTime />
      <TextField source="actorName" />
      <TextField source="action" />
      <TextField source="registrationId" emptyText="—" />
      <TextField source="beforeHash" emptyText="—" />
      <TextField source="afterHash" emptyText="—" />
      <TextField source="prevHash" emptyText="—" />
      <TextField source="hash" />
      <Details label="resources.audit-events.fields.details" />
    </SimpleShowLayout>
  </Show>
);

export default { list: AuditEventList, show: AuditEventShow, icon: Icon };
