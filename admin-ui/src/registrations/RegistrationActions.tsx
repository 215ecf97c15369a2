/** The registration's action buttons, each rendered only in the status it applies to. */
import DownloadIcon from '@mui/icons-material/Download';
import PrintIcon from '@mui/icons-material/Print';
import SendIcon from '@mui/icons-material/Send';
import UndoIcon from '@mui/icons-material/Undo';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { Confirm, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { RegistrationSummary } from './RegistrationSummary';
import { useCan } from '../common/access';
import { useAppDataProvider } from '../common/fields';
import { downloadProtected, openProtected } from '../providers/httpClient';

type RegistrationRecord = { id: string; name: string; status: string; schoolId: number; signatureId: string | null; submittedAt: string | null };

export function SubmitButton() {
  const record = useRecordContext<RegistrationRecord>();
  const can = useCan();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const fullScreen = useFullScreenDialog();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  if (!record || !can('registrations', 'submit', record)) return null;
  const submit = async () => {
    setBusy(true);
    try {
      await dataProvider.submitRegistration(String(record.id));
      notify('app.message.submitted', { type: 'success' });
      setConfirming(false);
      refresh();
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  // Submitting starts the approval: the drafter checks the form first (irreversible until returned).
  return (
    <>
      <ActionButton label="app.action.submit" icon={<SendIcon />} onClick={() => setConfirming(true)} disabled={busy} variant="contained" data-testid="submit-registration" />
      <Dialog open={confirming} onClose={() => setConfirming(false)} fullWidth maxWidth="md" fullScreen={fullScreen}>
        <DialogTitle>{translate('app.ui.submit_confirm_title')}</DialogTitle>
        <DialogContent dividers>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('app.ui.submit_confirm')}
          </Typography>
          {confirming ? <RegistrationSummary registrationId={String(record.id)} /> : null}
        </DialogContent>
        <StickyActions>
          <ActionButton label="ra.action.cancel" onClick={() => setConfirming(false)} disabled={busy} />
          <ActionButton label="app.ui.confirm_submit" variant="contained" onClick={submit} disabled={busy} data-testid="confirm-submit" />
        </StickyActions>
      </Dialog>
    </>
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
  // A draft never submitted has no process to withdraw: it offers 删除 only.
  if (!record || !can('registrations', 'withdraw', record) || (record.status === 'draft' && !record.submittedAt)) return null;
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
      <ActionButton label="app.action.withdraw" icon={<UndoIcon />} onClick={() => setOpen(true)} color="warning" />
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
    <ActionButton
      label="app.action.print"
      icon={<PrintIcon />}
      onClick={() => openProtected(`/registrations/${record.id}/print`).catch((e) => notify((e as Error).message, { type: 'error' }))}
    />
  );
}

export function PdfButton() {
  const record = useRecordContext<RegistrationRecord>();
  const notify = useNotify();
  if (!record) return null;
  return (
    <ActionButton
      label="app.action.pdf"
      icon={<DownloadIcon />}
      data-testid="download-pdf"
      onClick={() =>
        downloadProtected(`/registrations/${record.id}/form.pdf`, `登记表-${record.name}.pdf`).catch((e) => notify((e as Error).message, { type: 'error' }))
      }
    />
  );
}
