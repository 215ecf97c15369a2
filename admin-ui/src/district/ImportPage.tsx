/**
 * 批量导入 (administrators): download a template, upload a filled-in file for a preview with each
 * row's outcome and errors, then confirm. The server imports all rows or none, and a second import
 * of the same file changes nothing.
 */
import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { usePhone } from '../common/usePhone';
import { fetchBlob, refreshSession } from '../providers/httpClient';
import { localizeErrors, localizeMessage } from '../providers/localize';
import { getSession } from '../providers/session';

type Kind = 'schools' | 'users';
type Action = 'create' | 'update' | 'unchanged' | 'error';
interface Result {
  dryRun: boolean;
  total: number;
  counts: Record<Action, number>;
  rows: { row: number; action: Action; values: Record<string, string>; errors?: Record<string, string> }[];
  message?: string;
}

const COLUMNS: Record<Kind, string[]> = {
  schools: ['code', 'name', 'district', 'legalRepresentative', 'address'],
  users: ['username', 'name', 'roles', 'school', 'district', 'email', 'password'],
};
const TONE: Record<Action, 'success' | 'info' | 'default' | 'error'> = { create: 'success', update: 'info', unchanged: 'default', error: 'error' };
const SHOWN = 500;

/** How far the server has got (its `application/x-ndjson` progress lines). */
type ServerPhase = 'read' | 'check' | 'passwords' | 'write';
type Progress = { phase: 'upload'; percent: number } | { phase: ServerPhase; done: number; total: number };

/**
 * multipart upload (XMLHttpRequest: fetch cannot report upload progress) asking for the server's
 * progress lines, read as they arrive; the last line is the answer's status and body. One retry
 * after a token refresh (a 401 comes back as plain JSON, before any line).
 */
function send(kind: Kind, file: File, dryRun: boolean, onProgress: (p: Progress) => void): Promise<{ status: number; body: Result }> {
  const once = () =>
    new Promise<{ status: number; body: Result }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/imports/${kind}${dryRun ? '?dryRun=true' : ''}`);
      const token = getSession()?.token;
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Accept', 'application/x-ndjson, application/json');
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress({ phase: 'upload', percent: Math.round((e.loaded / e.total) * 100) });
      const streamed = () => (xhr.getResponseHeader('Content-Type') ?? '').includes('application/x-ndjson');
      let read = 0;
      let answer: { status: number; body: Result } | undefined;
      const readLines = () => {
        if (!streamed()) return;
        const text = xhr.responseText;
        const end = text.lastIndexOf('\n') + 1;
        for (const line of text.slice(read, end).split('\n')) {
          if (!line) continue;
          const value = JSON.parse(line) as { progress?: { phase: ServerPhase; done: number; total: number }; status?: number; body?: Result };
          if (value.progress) onProgress(value.progress);
          else if (value.status) answer = { status: value.status, body: value.body as Result };
        }
        read = end;
      };
      xhr.onprogress = readLines;
      xhr.onload = () => {
        if (streamed()) {
          readLines();
          resolve(answer ?? { status: 502, body: { message: xhr.statusText } as Result });
          return;
        }
        let body: Result;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = { message: xhr.statusText } as Result;
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => reject(new Error('ra.notification.http_error'));
      const form = new FormData();
      form.append('file', file);
      xhr.send(form);
    });
  return once().then(async (r) => (r.status === 401 && (await refreshSession()) ? once() : r));
}

/** The bar and its words: determinate where the rows are counted, moving while the file is read. */
function ImportProgressBar({ progress }: { progress: Progress }) {
  const translate = useTranslate();
  const percent = progress.phase === 'upload' ? progress.percent : progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  // Uploaded, and the server's first line not yet here: working, without a measure.
  const uploaded = progress.phase === 'upload' && progress.percent >= 100;
  const determinate = progress.phase === 'upload' ? !uploaded : progress.phase !== 'read' && progress.total > 0;
  return (
    <Box data-testid="import-progress" data-phase={progress.phase}>
      <LinearProgress variant={determinate ? 'determinate' : 'indeterminate'} value={percent} />
      <Typography variant="caption">
        {progress.phase === 'upload'
          ? translate(uploaded ? 'app.district.import.working' : 'app.district.import.uploading', { percent: progress.percent })
          : translate(`app.district.import.phases.${progress.phase}`, { done: progress.done.toLocaleString(), total: progress.total.toLocaleString() })}
      </Typography>
    </Box>
  );
}

export function ImportPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<Kind>('schools');
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [done, setDone] = useState<Result | null>(null);

  const reset = () => {
    setResult(null);
    setFileError(null);
    setDone(null);
  };

  const run = async (dryRun: boolean, chosen = file) => {
    if (!chosen) return;
    setFileError(null);
    setProgress({ percent: 0, phase: 'upload' });
    try {
      const { status, body } = await send(kind, chosen, dryRun, setProgress);
      if (status === 200) {
        if (dryRun) setResult(body);
        else {
          setDone(body);
          setResult(null);
          notify(translate('app.district.import.done', body.counts), { type: 'success' });
        }
      } else if (body.rows) setResult(body);
      else setFileError(localizeMessage(body.message ?? String(status)));
    } catch (error) {
      setFileError(localizeMessage((error as Error).message));
    } finally {
      setProgress(null);
    }
  };

  const downloadTemplate = async () => {
    const blob = await fetchBlob(`/imports/${kind}/template.xlsx`);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${kind}-template.xlsx`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const rows = (result?.rows ?? []).filter((r) => !onlyErrors || r.action === 'error');
  const columns = COLUMNS[kind];
  const errorsHead = <TableCell sx={{ minWidth: 220 }}>{translate('app.district.import.errors')}</TableCell>;
  // On a phone a row's errors come right after its outcome, where they are seen without scrolling sideways.
  const errorsFirst = usePhone();
  return (
    // On a phone the preview table scrolls inside the card instead of widening the page.
    <Box sx={{ mt: 2, minWidth: 0, maxWidth: { xs: 'calc(100vw - 16px)', sm: '100%' } }}>
      <Title title="app.district.imports" />
      <Card sx={{ overflow: 'hidden' }}>
        <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Typography variant="h6">{translate('app.district.import.title')}</Typography>
          <Typography variant="body2" color="textSecondary">
            {translate('app.district.import.hint')}
          </Typography>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={kind}
              onChange={(_e, v: Kind | null) => {
                if (v) {
                  setKind(v);
                  setFile(null);
                  reset();
                }
              }}
            >
              <ToggleButton value="schools">{translate('app.district.import.kind_schools')}</ToggleButton>
              <ToggleButton value="users">{translate('app.district.import.kind_users')}</ToggleButton>
            </ToggleButtonGroup>
            <Button startIcon={<DownloadIcon />} onClick={() => void downloadTemplate()}>
              {translate('app.district.import.template')}
            </Button>
            <Button variant="contained" startIcon={<UploadFileIcon />} onClick={() => input.current?.click()} disabled={!!progress}>
              {translate('app.district.import.choose')}
            </Button>
            <input
              ref={input}
              type="file"
              hidden
              data-testid="import-file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                const chosen = e.target.files?.[0] ?? null;
                e.target.value = '';
                setFile(chosen);
                reset();
                if (chosen) void run(true, chosen);
              }}
            />
            {file ? <Typography variant="body2">{file.name}</Typography> : null}
          </Box>
          {progress ? <ImportProgressBar progress={progress} /> : null}
          {fileError ? (
            <Alert severity="error" data-testid="import-file-error">
              {fileError}
            </Alert>
          ) : null}
          {done ? (
            <Alert severity="success" data-testid="import-done">
              {translate('app.district.import.done', done.counts)}
            </Alert>
          ) : null}
          {result ? (
            <>
              <Alert severity={result.counts.error ? 'warning' : 'success'} data-testid="import-summary">
                {result.counts.error ? translate('app.district.import.has_errors', { count: result.counts.error }) : translate('app.district.import.ready', { total: result.total })}
                <br />
                {translate('app.district.import.counts', { total: result.total, ...result.counts })}
              </Alert>
              <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                <Button variant="contained" color="primary" disabled={!!progress || result.counts.error > 0 || !file} onClick={() => void run(false)} data-testid="import-confirm">
                  {translate('app.district.import.confirm')}
                </Button>
                <FormControlLabel control={<Switch checked={onlyErrors} onChange={(e) => setOnlyErrors(e.target.checked)} />} label={translate('app.district.import.only_errors')} />
              </Box>
              <TableContainer sx={{ maxHeight: 520, border: 1, borderColor: 'divider', borderRadius: 1 }}>
                <Table size="small" stickyHeader data-testid="import-preview" sx={{ '& th, & td': { whiteSpace: 'nowrap' }, '& td[data-errors]': { whiteSpace: 'normal', minWidth: 220 } }}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{translate('app.district.import.row')}</TableCell>
                      <TableCell>{translate('app.district.import.action')}</TableCell>
                      {errorsFirst ? errorsHead : null}
                      {columns.map((c) => (
                        <TableCell key={c}>{translate(`app.district.import.columns.${c}`)}</TableCell>
                      ))}
                      {errorsFirst ? null : errorsHead}
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {rows.slice(0, SHOWN).map((r) => {
                      const errors = localizeErrors(r.errors) ?? {};
                      const errorsCell = (
                        <TableCell data-errors sx={{ color: 'error.main' }}>
                          {Object.entries(errors).map(([field, message]) => (
                            <div key={field}>
                              {translate(`app.district.import.columns.${field}`, { _: field })}：{message}
                            </div>
                          ))}
                        </TableCell>
                      );
                      return (
                        <TableRow key={r.row} data-row={r.row} data-action={r.action} sx={r.action === 'error' ? { bgcolor: 'rgba(211,47,47,0.06)' } : undefined}>
                          <TableCell>{r.row}</TableCell>
                          <TableCell>
                            <Chip size="small" color={TONE[r.action]} label={translate(`app.district.import.actions.${r.action}`)} />
                          </TableCell>
                          {errorsFirst ? errorsCell : null}
                          {columns.map((c) => (
                            <TableCell key={c} sx={errors[c] ? { color: 'error.main', fontWeight: 600 } : undefined}>
                              {r.values[c]}
                            </TableCell>
                          ))}
                          {errorsFirst ? null : errorsCell}
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </TableContainer>
            </>
          ) : null}
        </CardContent>
      </Card>
    </Box>
  );
}
