/** The registration's action buttons, each rendered only in the status it applies to. */
import DownloadIcon from '@mui/icons-material/Download';
import PrintIcon from '@mui/icons-material/Print';
import SendIcon from '@mui/icons-material/Send';
import UndoIcon from '@mui/icons-material/Undo';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import { Button, Confirm, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { useCan } from '../common/access';
import { useAppDataProvider } from '../common/fields';
import { downloadProtected, openProtected } from '../providers/httpClient';

type RegistrationRecord = { id: string; name: string; status: string; schoolId: number; signatureId: string | null; submittedAt: string | null };

export function SubmitButton() {
  const record = useRecordContext<RegistrationRecord>();
  const can = useCan();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useAppDataProvider();
  const [busy, setBusy] = useState(false);
  if (!record || !can('registrations', 'submit', record)) return null;
  const submit = async () => {
    setBusy(true);
    try {
      await dataProvider.submitRegistration(String(record.id));
      notify('app.message.submitted', { type: 'success' });
      refresh();
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label="app.action.submit" onClick={submit} disabled={busy} variant="contained" size="small" data-testid="submit-registration">
      <SendIcon />
    </Button>
  );
}

export function WithdrawButton() {
  const record = useRecordContext<RegistrationRecord>();
  const can = useCan();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useAppDataProvider();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  if (!record || !can('registrations', 'withdraw', record)) return null;
  const withdraw = async () => {
    setBusy(true);
    try {
      await dataProvider.withdrawRegistration(String(record.id), reason);
      notify('app.message.withdrawn', { type: 'info' });
      setOpen(false);
      refresh();
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button label="app.action.withdraw" onClick={() => setOpen(true)} size="small" color="warning">
        <UndoIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title="app.message.withdraw_confirm_title"
        content={
          <>
            {translate('app.message.withdraw_confirm', { name: record.name })}
            <TextField label={translate('app.message.withdraw_reason')} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth sx={{ mt: 2 }} />
          </>
        }
        onConfirm={withdraw}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

export function PrintButton() {
  const record = useRecordContext<RegistrationRecord>();
  const notify = useNotify();
  if (!record) return null;
  return (
    <Button
      label="app.action.print"
      size="small"
      onClick={() => openProtected(`/registrations/${record.id}/print`).catch((e) => notify((e as Error).message, { type: 'error' }))}
    >
      <PrintIcon />
    </Button>
  );
}

export function PdfButton() {
  const record = useRecordContext<RegistrationRecord>();
  const notify = useNotify();
  if (!record) return null;
  return (
    <Button
      label="app.action.pdf"
      size="small"
      data-testid="download-pdf"
      onClick={() =>
        downloadProtected(`/registrations/${record.id}/form.pdf`, `登记表-${record.name}.pdf`).catch((e) => notify((e as Error).message, { type: 'error' }))
      }
    >
      <DownloadIcon />
    </Button>
  );
}
