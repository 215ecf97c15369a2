/**
 * Evidence files of a goal, opened where they are: images as thumbnails that enlarge in a dialog,
 * PDFs in a viewer dialog (with a new-tab fallback) — all through the authenticated file route.
 */
import DescriptionIcon from '@mui/icons-material/Description';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { Button, useNotify, useTranslate } from 'react-admin';
import { ProtectedImage } from '../common/ProtectedImage';
import { fetchBlob, openProtected } from '../providers/httpClient';
import type { EvidenceFile } from './types';

const isImage = (f: EvidenceFile) => f.mediaType.startsWith('image/');

function PdfViewer({ file }: { file: EvidenceFile }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    void fetchBlob(`/files/${file.id}`).then((blob) => {
      if (cancelled) return;
      objectUrl = URL.createObjectURL(blob);
      setUrl(objectUrl);
    });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file.id]);
  return url ? <iframe title={file.originalName ?? file.id} src={url} style={{ width: '100%', height: '70vh', border: 0 }} /> : null;
}

export function EvidenceList({ files }: { files: EvidenceFile[] }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [open, setOpen] = useState<EvidenceFile | null>(null);
  if (!files.length) {
    return (
      <Typography variant="caption" color="textSecondary">
        {translate('app.goal_reviews.no_evidence')}
      </Typography>
    );
  }
  const newTab = (f: EvidenceFile) => openProtected(`/files/${f.id}`).catch((e: Error) => notify(e.message, { type: 'error' }));
  return (
    <>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mt: 0.5 }} data-testid="evidence">
        {files.map((f) => (
          <ButtonBase
            key={f.id}
            onClick={() => setOpen(f)}
            aria-label={`${translate('app.goal_reviews.open_evidence')} ${f.originalName ?? ''}`}
            sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 0.5, minWidth: 72, minHeight: 72 }}
          >
            {isImage(f) ? <ProtectedImage path={`/files/${f.id}`} alt={f.originalName ?? translate('app.goal_reviews.evidence')} height={72} /> : <DescriptionIcon fontSize="large" />}
          </ButtonBase>
        ))}
      </Box>
      <Dialog open={!!open} onClose={() => setOpen(null)} fullWidth maxWidth="md">
        <DialogTitle>
          {translate('app.goal_reviews.evidence_preview')}
          {open?.originalName ? ` · ${open.originalName}` : ''}
        </DialogTitle>
        <DialogContent dividers sx={{ textAlign: 'center' }}>
          {open && isImage(open) ? <ProtectedImage path={`/files/${open.id}`} alt={open.originalName ?? ''} /> : null}
          {open && !isImage(open) ? <PdfViewer file={open} /> : null}
        </DialogContent>
        <DialogActions>
          {open ? (
            <Button label="app.goal_reviews.open_evidence" onClick={() => void newTab(open)}>
              <OpenInNewIcon />
            </Button>
          ) : null}
          <Button label="ra.action.close" onClick={() => setOpen(null)} />
        </DialogActions>
      </Dialog>
    </>
  );
}
