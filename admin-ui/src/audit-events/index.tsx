/**
 * The hash-chained audit log (bureau and administrators), written for the people who read it: who
 * did what (the action named in the reader's language), to which registration and school (by name,
 * linked), when (Beijing time), filtered by actor, action, day range and registration; and a check
 * of the chain.
 */
import VerifiedIcon from '@mui/icons-material/Verified';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';
import { useState } from 'react';
import {
  AutocompleteInput,
  DataTable,
  FilterButton,
  ReferenceInput,
  SelectInput,
  Show,
  SimpleList,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useLocaleState,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { AUDIT_ACTIONS, auditActionName } from '@process';
import { currentViewer } from '../common/access';
import { ActionButton } from '../common/ActionButton';
import { ChinaDateInput } from '../common/ChinaDateInput';
import { formatChinaTime, useAppDataProvider } from '../common/fields';
import { localizeMessage } from '../providers/localize';
import { XlsxExportButton } from '../district/XlsxExportButton';

interface AuditRow {
  id: string;
  at: string;
  actorName: string | null;
  action: string;
  registrationId: string | null;
  registrationName: string | null;
  schoolName: string | null;
  details: Record<string, unknown>;
}

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
    <ActionButton label="app.action.verify_chain" icon={<VerifiedIcon />} onClick={verify} disabled={busy} />
  );
}

function ActionName(_: { label?: string }) {
  const record = useRecordContext<AuditRow>();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <span title={record.action} data-action={record.action}>
      {auditActionName(record.action, locale)}
    </span>
  );
}

/** The registration by its name, opening it; a deleted one by its id. */
function RegistrationLink(_: { label?: string }) {
  const record = useRecordContext<AuditRow>();
  if (!record?.registrationId) return <>—</>;
  return (
    <Link href={`#/registrations/${record.registrationId}/show`} onClick={(e) => e.stopPropagation()} sx={{ overflowWrap: 'anywhere' }}>
      {record.registrationName ?? record.registrationId}
    </Link>
  );
}

function At(_: { label?: string }) {
  const record = useRecordContext<AuditRow>();
  const translate = useTranslate();
  return (
    <span style={{ whiteSpace: 'nowrap' }} title={translate('app.beijing_time')} data-zone="Asia/Shanghai">
      {formatChinaTime(record?.at)}
    </span>
  );
}

/** The details as labelled lines (nested values in one line each), not a JSON dump. */
function Details(_: { label?: string }) {
  const record = useRecordContext<AuditRow>();
  const entries = Object.entries(record?.details ?? {});
  if (!entries.length) return <>—</>;
  const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', columnGap: 2, rowGap: 0.5 }}>
      {entries.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="textSecondary">
            {k}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere', fontFamily: typeof v === 'object' && v ? 'monospace' : undefined }}>
            {show(v)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** On a phone only the action filter stands open; the others are added from 添加筛选 as needed. */
function useFilters(small: boolean) {
  const [locale] = useLocaleState();
  const alwaysOn = !small;
  const isAdmin = currentViewer()?.roles.includes('admin') ?? false;
  const actions = Object.keys(AUDIT_ACTIONS).map((code) => ({ id: code, name: auditActionName(code, locale) }));
  return [
    <SelectInput key="action" source="action" choices={actions} alwaysOn />,
    // Only an administrator may list users; a bureau approver filters by registration and time.
    ...(isAdmin
      ? [
          <ReferenceInput key="actorId" source="actorId" reference="users" alwaysOn={alwaysOn}>
            <AutocompleteInput optionText="name" label="resources.audit-events.fields.actorId" filterToQuery={(q) => ({ q })} />
          </ReferenceInput>,
        ]
      : []),
    <ChinaDateInput key="atFrom" source="atFrom" edge="start" alwaysOn={alwaysOn} />,
    <ChinaDateInput key="atTo" source="atTo" edge="end" alwaysOn={alwaysOn} />,
    <ReferenceInput key="registrationId" source="registrationId" reference="registrations" alwaysOn={alwaysOn}>
      <AutocompleteInput optionText="name" label="resources.audit-events.fields.registrationId" filterToQuery={(q) => ({ q })} />
    </ReferenceInput>,
  ];
}

/** A table on a desktop; below 600 px one card per event: the action first, then who, on what, and when. */
export const AuditEventList = () => {
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [locale] = useLocaleState();
  return (
    <List
      filters={useFilters(small)}
      sort={{ field: 'id', order: 'DESC' }}
      exporter={false}
      actions={
        <TopToolbar sx={{ flexWrap: 'wrap', gap: 1 }}>
          {small ? <FilterButton /> : null}
          <VerifyChainButton />
          <XlsxExportButton resource="audit-events" />
        </TopToolbar>
      }
    >
      {small ? (
        <SimpleList<AuditRow>
          linkType="show"
          primaryText={(r) => auditActionName(r.action, locale)}
          secondaryText={(r) => [r.actorName, r.registrationName ?? r.schoolName].filter(Boolean).join(' · ')}
          tertiaryText={(r) => formatChinaTime(r.at)}
          rightIcon={undefined}
          sx={{ '& .MuiListItemText-secondary': { overflowWrap: 'anywhere' } }}
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false} sx={{ '& .MuiTableCell-head': { whiteSpace: 'nowrap' } }}>
          <DataTable.Col source="at" field={At} />
          <DataTable.Col source="actorName" disableSort />
          <DataTable.Col source="action" field={ActionName} />
          <DataTable.Col source="registrationName" field={RegistrationLink} disableSort />
          <DataTable.Col source="schoolName" disableSort />
        </DataTable>
      )}
    </List>
  );
};

export const AuditEventShow = () => (
  <Show>
    <SimpleShowLayout sx={{ '& .RaLabeled-root': { maxWidth: '100%', minWidth: 0 } }}>
      <At label="resources.audit-events.fields.at" />
      <TextField source="actorName" emptyText="—" />
      <ActionName label="resources.audit-events.fields.action" />
      <RegistrationLink label="resources.audit-events.fields.registrationName" />
      <TextField source="schoolName" emptyText="—" />
      <Details label="resources.audit-events.fields.details" />
      <TextField source="id" />
      <TextField source="hash" sx={{ overflowWrap: 'anywhere' }} />
      <TextField source="prevHash" emptyText="—" sx={{ overflowWrap: 'anywhere' }} />
    </SimpleShowLayout>
  </Show>
);

