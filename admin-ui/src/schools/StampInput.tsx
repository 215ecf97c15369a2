import UploadIcon from '@mui/icons-material/Upload';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { Button, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { ProtectedImage } from '../common/ProtectedImage';
import { uploadFile } from '../providers/httpClient';

/** The school's official stamp (公章): shown, and replaced by uploading a PNG or JPEG (checked by the server). */
export function StampPanel() {
  const record = useRecordContext<{ id: number; stampFileId: string | null }>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  if (!record) return null;
  const upload = async (file: File) => {
    setBusy(true);
    try {
      await uploadFile(`/schools/${record.id}/stamp`, file);
      notify('app.message.stamp_uploaded', { type: 'success' });
      refresh();
    } catch (error) {
      notify((error as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.message.stamp')}
      </Typography>
      {record.stampFileId ? (
        <ProtectedImage key={record.stampFileId} path={`/schools/${record.id}/stamp`} alt={translate('app.message.stamp')} height={120} />
      ) : (
        <Alert severity="warning">{translate('app.message.no_stamp')}</Alert>
      )}
      <Box>
        <input ref={input} type="file" accept="image/png,image/jpeg" hidden data-testid="stamp-file" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
        <Button label="app.action.upload_stamp" disabled={busy} onClick={() => input.current?.click()}>
          <UploadIcon />
        </Button>
      </Box>
    </Box>
  );
}
