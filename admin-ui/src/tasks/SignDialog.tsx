/**
 * The principal's sign-off: the form as it will be signed (the print view), a handwriting pad, the
 * school's stamp; signing sends the drawn signature, the server applies the stamp and seals the
 * content hash. A school without a stamp cannot sign: the principal may upload it here.
 */
import DrawIcon from '@mui/icons-material/Draw';
import UploadIcon from '@mui/icons-material/Upload';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Button, useGetOne, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { useCan } from '../common/access';
import { useAppDataProvider } from '../common/fields';
import { ProtectedImage } from '../common/ProtectedImage';
import { fetchBlob, uploadFile } from '../providers/httpClient';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';
import { useTaskAction } from './useTaskAction';

function FormPreview({ registrationId }: { registrationId: string }) {
  const translate = useTranslate();
  const { data: html, error } = useQuery({
    queryKey: ['registrations', 'print', registrationId],
    queryFn: async () => (await fetchBlob(`/registrations/${registrationId}/print`)).text(),
  });
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.message.preview')}
      </Typography>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {html === undefined ? <LinearProgress /> : null}
      {html !== undefined ? (
        <iframe
          title={translate('app.message.preview')}
          srcDoc={html}
          sandbox=""
          data-testid="sign-preview"
          style={{ flex: 1, minHeight: 480, width: '100%', border: '1px solid #ddd', borderRadius: 4, background: '#fff' }}
        />
      ) : null}
    </Box>
  );
}

function SchoolStamp({ schoolId, school, refetch }: { schoolId: number; school?: { stampFileId: string | null }; refetch: () => Promise<unknown> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const can = useCan();
  const [version, setVersion] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  if (!school) return <LinearProgress />;
  const upload = async (file: File) => {
    try {
      await uploadFile(`/schools/${schoolId}/stamp`, file);
      notify('app.message.stamp_uploaded', { type: 'success' });
      await refetch();
      setVersion((v) => v + 1);
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    }
  };
  return (
    <Box>
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.message.stamp')}
      </Typography>
      {school.stampFileId ? (
        <Box data-testid="school-stamp" sx={{ display: 'inline-block' }}>
          <ProtectedImage key={`${school.stampFileId}-${version}`} path={`/schools/${schoolId}/stamp`} alt={translate('app.message.stamp')} height={120} />
        </Box>
      ) : (
        <Alert severity="warning">{translate('app.message.no_stamp')}</Alert>
      )}
      {can('schools', 'stamp', { id: schoolId }) ? (
        <>
          <input ref={input} type="file" accept="image/png,image/jpeg" hidden onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
          <Button label="app.action.upload_stamp" size="small" onClick={() => input.current?.click()}>
            <UploadIcon />
          </Button>
        </>
      ) : null}
    </Box>
  );
}

export function SignButton() {
  const task = useRecordContext<{ id: string; registrationId: string; registrationName: string; schoolId: number }>();
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const pad = useRef<SignaturePadHandle>(null);
  const [open, setOpen] = useState(false);
  const [empty, setEmpty] = useState(true);
  const [reason, setReason] = useState('');
  const [needReason, setNeedReason] = useState(false);
  const { data: school, refetch } = useGetOne('schools', { id: task?.schoolId }, { enabled: open && task?.schoolId != null });
  const hasStamp = !!school?.stampFileId;
  if (!task) return null;
  const close = () => {
    setOpen(false);
    setEmpty(true);
    setNeedReason(false);
  };
  const sign = () => {
    if (!pad.current || pad.current.isEmpty()) {
      notify('app.message.sign_empty', { type: 'warning' });
      return;
    }
    const signatureImage = pad.current.toDataURL();
    void run(() => dataProvider.completeTask(String(task.id), { action: 'sign', payload: { signatureImage } }), 'app.message.completed', close);
  };
  const giveBack = () => {
    if (!reason.trim()) {
      setNeedReason(true);
      return;
    }
    void run(() => dataProvider.completeTask(String(task.id), { action: 'return', comment: reason.trim() }), 'app.message.completed', close);
  };
  return (
    <>
      <Button label="app.action.sign" size="small" variant="contained" onClick={() => setOpen(true)} data-testid="open-sign">
        <DrawIcon />
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="xl">
        <DialogTitle>
          {translate('resources.registrations.fields.principalSignature')} · {task.registrationName}
        </DialogTitle>
        <DialogContent dividers>
          {open ? (
            <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, minHeight: '62vh' }}>
              <FormPreview registrationId={task.registrationId} />
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                <Typography variant="body2" color="textSecondary">
                  {translate('app.message.sign_hint')}
                </Typography>
                <Box>
                  <Typography variant="subtitle2" gutterBottom>
                    {translate('app.message.signature_pad')}
                  </Typography>
                  <SignaturePad ref={pad} label={translate('app.message.signature_pad')} onChange={setEmpty} />
                  <Button label="app.action.clear" size="small" onClick={() => pad.current?.clear()} />
                </Box>
                <SchoolStamp schoolId={task.schoolId} school={school} refetch={refetch} />
                <TextField
                  label={translate('app.message.return_reason')}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  size="small"
                  fullWidth
                  error={needReason && !reason.trim()}
                  helperText={needReason && !reason.trim() ? translate('app.message.comment_required') : ' '}
                />
              </Box>
            </Box>
          ) : null}
          {busy ? <LinearProgress sx={{ mt: 1 }} /> : null}
        </DialogContent>
        <DialogActions>
          <Button label="ra.action.cancel" onClick={close} />
          <Button label="app.action.return" color="warning" disabled={busy} onClick={giveBack} />
          <Button label="app.action.sign" variant="contained" disabled={busy || empty || !hasStamp} onClick={sign} data-testid="confirm-sign" />
        </DialogActions>
      </Dialog>
    </>
  );
}
