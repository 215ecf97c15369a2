/**
 * The comments on a registration (GET/POST /api/registrations/:id/comments): everyone in its chain,
 * and the users it was copied to, read and write them. Images are attached through
 * POST /api/registrations/:id/comments/files (type-sniffed and size-limited by the server).
 * One column on a phone: the list, then the composer with full-width buttons.
 */
import AttachFileIcon from '@mui/icons-material/AttachFile';
import CloseIcon from '@mui/icons-material/Close';
import SendIcon from '@mui/icons-material/Send';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Loading, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { ProtectedImage } from '../common/ProtectedImage';
import { useFormatDateTime } from '../common/fields';
import { apiCall, uploadFile } from '../providers/httpClient';

interface CommentFile {
  id: string;
  mediaType: string;
  originalName: string | null;
  size: number;
}
interface Comment {
  id: string;
  authorId: number;
  authorName: string | null;
  body: string;
  files: CommentFile[];
  createdAt: string;
}

const MAX = 2000;

export function Comments() {
  const record = useRecordContext<{ id: string }>();
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormatDateTime();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<CommentFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const key = ['registrations', 'comments', record?.id];
  const { data, isPending } = useQuery({ queryKey: key, queryFn: () => apiCall<Comment[]>(`/registrations/${record!.id}/comments`), enabled: !!record });
  if (!record || isPending) return <Loading />;

  const attach = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const stored = await uploadFile<CommentFile>(`/registrations/${record.id}/comments/files`, file);
      setFiles((f) => [...f, { ...stored, originalName: stored.originalName ?? file.name }]);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiCall(`/registrations/${record.id}/comments`, { method: 'POST', body: { body, fileIds: files.map((f) => f.id) } });
      setBody('');
      setFiles([]);
      notify('app.ui.comment_sent', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: key });
      await queryClient.invalidateQueries({ queryKey: ['registrations', 'timeline', record.id] });
    } catch (e) {
      const err = e as { message: string; body?: { errors?: Record<string, string> } };
      setError(Object.values(err.body?.errors ?? {})[0] ?? err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box data-testid="comments" sx={{ width: '100%', maxWidth: 720 }}>
      <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
        {translate('app.ui.comments')}
      </Typography>
      {data?.length ? (
        <Stack spacing={1.5} divider={<Divider flexItem />} sx={{ mb: 2 }}>
          {data.map((c) => (
            <Box key={c.id} data-testid="comment">
              <Typography variant="body2" color="textSecondary">
                <strong>{c.authorName ?? '—'}</strong> · {format(c.createdAt)}
              </Typography>
              <Typography variant="body1" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {c.body}
              </Typography>
              {c.files.length ? (
                <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 1, flexWrap: 'wrap' }}>
                  {c.files.map((f) => (
                    <Box key={f.id} data-testid="comment-file" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 0.5 }}>
                      <ProtectedImage path={`/files/${f.id}`} alt={f.originalName ?? translate('app.ui.comment_attachment')} height={96} />
                    </Box>
                  ))}
                </Stack>
              ) : null}
            </Box>
          ))}
        </Stack>
      ) : (
        <Typography color="textSecondary" sx={{ mb: 2 }} data-testid="comments-empty">
          {translate('app.ui.comments_empty')}
        </Typography>
      )}
      <Stack spacing={1}>
        <TextField
          multiline
          minRows={2}
          fullWidth
          value={body}
          onChange={(e) => setBody(e.target.value)}
          placeholder={translate('app.ui.comment_placeholder')}
          slotProps={{ htmlInput: { maxLength: MAX, 'aria-label': translate('app.ui.comment_placeholder'), 'data-testid': 'comment-body' } }}
          helperText={`${body.length} / ${MAX}`}
        />
        {files.length ? (
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
            {files.map((f) => (
              <Chip
                key={f.id}
                icon={<AttachFileIcon />}
                label={f.originalName ?? f.id.slice(0, 8)}
                onDelete={() => setFiles((all) => all.filter((x) => x.id !== f.id))}
                deleteIcon={<CloseIcon aria-label={translate('app.ui.comment_remove_file')} />}
                data-testid="comment-attached"
              />
            ))}
          </Stack>
        ) : null}
        {error ? <Alert severity="error">{error}</Alert> : null}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <input ref={input} type="file" accept="image/png,image/jpeg" hidden data-testid="comment-file-input" onChange={(e) => void attach(e.target.files?.[0])} />
          <Button variant="outlined" startIcon={<AttachFileIcon />} disabled={busy || files.length >= 5} onClick={() => input.current?.click()}>
            {translate('app.ui.comment_attach')}
          </Button>
          <Button variant="contained" startIcon={<SendIcon />} disabled={busy || !body.trim()} onClick={() => void send()} data-testid="comment-send">
            {translate('app.ui.comment_send')}
          </Button>
        </Stack>
      </Stack>
    </Box>
  );
}
