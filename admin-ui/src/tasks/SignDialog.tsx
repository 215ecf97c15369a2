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
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useGetOne, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { StickyActions, useFullScreenDialog } from '../common/dialog';
import { useCan } from '../common/access';
import { useAppDataProvider } from '../common/fields';
import { ProtectedImage } from '../common/ProtectedImage';
import { fetchBlob, uploadFile } from '../providers/httpClient';
import { RegistrationSummary } from '../registrations/RegistrationSummary';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';
import { returnTargetsOf } from '@process';
import { ReturnTargetSelect } from './AddApproverDialog';
import { useTaskAction } from './useTaskAction';

const blobAsDataUrl = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });

/** The print view with the drawn signature and the school's stamp placed where signing will put them. */
function stampedHtml(html: string, signature: string, stamp: string | undefined): string {
  const images = `<img class="signature" alt="" src="${signature}">${stamp ? `<img class="stamp" alt="" src="${stamp}">` : ''}`;
  return html.replace(/(<span class="stamp-label">[^<]*<\/span>)/, `$1${images}`);
}

function FormPreview({ registrationId, signature, schoolId, title }: { registrationId: string; signature?: string; schoolId?: number; title?: string }) {
  const translate = useTranslate();
  const { data: printed, error } = useQuery({
    queryKey: ['registrations', 'print', registrationId],
    queryFn: async () => (await fetchBlob(`/registrations/${registrationId}/print`)).text(),
  });
  const { data: stamp } = useQuery({
    queryKey: ['schools', 'stamp-data', schoolId],
    queryFn: async () => blobAsDataUrl(await fetchBlob(`/schools/${schoolId}/stamp`)),
    enabled: !!signature && schoolId != null,
  });
  const html = printed !== undefined && signature ? stampedHtml(printed, signature, stamp) : printed;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Typography variant="subtitle2" gutterBottom>
        {translate(title ?? 'app.message.preview')}
      </Typography>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {html === undefined ? <LinearProgress /> : null}
      {html !== undefined ? (
        <iframe
          title={translate('app.message.preview')}
          srcDoc={html}
          sandbox=""
          data-testid={signature ? 'stamped-preview' : 'sign-preview'}
          style={{ flex: 1, minHeight: 420, width: '100%', border: '1px solid #ddd', borderRadius: 4, background: '#fff' }}
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
          <ActionButton label="app.action.upload_stamp" icon={<UploadIcon />} onClick={() => input.current?.click()} />
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
  const [toStep, setToStep] = useState('draft');
  // The drawn signature awaiting confirmation over the stamped form (irreversible once confirmed).
  const [drawn, setDrawn] = useState<string | null>(null);
  const fullScreen = useFullScreenDialog();
  const { data: school, refetch } = useGetOne('schools', { id: task?.schoolId }, { enabled: open && task?.schoolId != null });
  const hasStamp = !!school?.stampFileId;
  if (!task) return null;
  const close = () => {
    setOpen(false);
    setEmpty(true);
    setNeedReason(false);
    setDrawn(null);
  };
  const review = () => {
    if (!pad.current || pad.current.isEmpty()) {
      notify('app.message.sign_empty', { type: 'warning' });
      return;
    }
    setDrawn(pad.current.toDataURL());
  };
  const sign = () => {
    if (!drawn) return;
    const signatureImage = drawn;
    void run(() => dataProvider.completeTask(String(task.id), { action: 'sign', payload: { signatureImage } }), 'app.message.completed', close);
  };
  const giveBack = () => {
    if (!reason.trim()) {
      setNeedReason(true);
      return;
    }
    const payload = toStep !== 'draft' ? { payload: { toStep } } : {};
    void run(() => dataProvider.completeTask(String(task.id), { action: 'return', comment: reason.trim(), ...payload }), 'app.message.completed', close);
  };
  return (
    <>
      <ActionButton label="app.action.sign" variant="contained" icon={<DrawIcon />} onClick={() => setOpen(true)} data-testid="open-sign" />
      <Dialog open={open} onClose={close} fullWidth maxWidth="xl" fullScreen={fullScreen}>
        <DialogTitle>
          {translate('resources.registrations.fields.principalSignature')} · {task.registrationName}
        </DialogTitle>
        <DialogContent dividers>
          {open && drawn ? (
            <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minHeight: '62vh' }}>
              <Alert severity="info">{translate('app.ui.sign_confirm')}</Alert>
              <FormPreview registrationId={task.registrationId} signature={drawn} schoolId={task.schoolId} title="app.ui.stamped_preview" />
            </Box>
          ) : null}
          {open && !drawn ? (
            <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 3fr) minmax(0, 2fr)' }, minHeight: '62vh' }}>
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                <RegistrationSummary registrationId={task.registrationId} />
                <FormPreview registrationId={task.registrationId} />
              </Box>
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
                <Typography variant="body2" color="textSecondary">
                  {translate('app.message.sign_hint')}
                </Typography>
                <Box>
                  <Typography variant="subtitle2" gutterBottom>
                    {translate('app.message.signature_pad')}
                  </Typography>
                  <SignaturePad ref={pad} label={translate('app.message.signature_pad')} onChange={setEmpty} />
                  <ActionButton label="app.action.clear" onClick={() => pad.current?.clear()} />
                </Box>
                <SchoolStamp schoolId={task.schoolId} school={school} refetch={refetch} />
                <ReturnTargetSelect targets={returnTargetsOf('principal_signature')} value={toStep} onChange={setToStep} />
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
        <StickyActions>
          {drawn ? (
            <>
              <ActionButton label="app.ui.sign_again" onClick={() => { setDrawn(null); setEmpty(true); }} disabled={busy} />
              <ActionButton label="app.ui.confirm_sign" variant="contained" disabled={busy} onClick={sign} data-testid="confirm-sign-stamped" />
            </>
          ) : (
            <>
              <ActionButton label="ra.action.cancel" onClick={close} />
              <ActionButton label="app.action.return" color="warning" variant="outlined" disabled={busy} onClick={giveBack} />
              <ActionButton label="app.action.sign" variant="contained" disabled={busy || empty || !hasStamp} onClick={review} data-testid="confirm-sign" />
            </>
          )}
        </StickyActions>
      </Dialog>
    </>
  );
}
