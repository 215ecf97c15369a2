/**
 * How far each recent deadline change has reached the registrations in flight (the propagation
 * workflow records its progress; polled while one is still running).
 */
import { Box, Card, CardContent, Chip, LinearProgress, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { apiCall } from '../providers/httpClient';

interface Propagation {
  version: number;
  step: string;
  status: 'propagating' | 'done' | 'abandoned';
  total: number;
  moved: number;
  skipped: number;
  createdAt: string;
}

const SHOWN = 5;
const POLL_MS = 2000;

export function PropagationProgress() {
  const translate = useTranslate();
  const [rows, setRows] = useState<Propagation[]>([]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const load = async () => {
      const list = await apiCall<Propagation[]>('/deadline-policies/propagation').catch(() => null);
      if (!live || !list) return;
      setRows(list.slice(0, SHOWN));
      if (list.some((p) => p.status === 'propagating')) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, []);
  if (!rows.length) return null;
  return (
    <Card sx={{ mt: 1, mb: 2 }} data-testid="policy-propagation">
      <CardContent>
        <Typography variant="subtitle1" gutterBottom>
          {translate('app.message.propagation_title')}
        </Typography>
        <Stack spacing={1.5}>
          {rows.map((p) => {
            const done = p.moved + p.skipped;
            const percent = p.total ? Math.min(100, (100 * done) / p.total) : p.status === 'propagating' ? 0 : 100;
            return (
              <Box key={p.version} data-testid={`propagation-${p.version}`}>
                <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
                  <Typography variant="body2" sx={{ flex: '1 1 12rem' }}>
                    {translate('app.message.propagation_row', { step: translate(`app.step.${p.step}`, { _: p.step }), version: p.version, moved: p.moved, total: p.total })}
                    {p.skipped ? ` · ${translate('app.message.propagation_skipped', { count: p.skipped })}` : ''}
                  </Typography>
                  <Chip size="small" label={translate(`app.message.propagation_${p.status}`)} color={p.status === 'done' ? 'success' : p.status === 'abandoned' ? 'default' : 'info'} />
                </Stack>
                {/* Named for screen readers (axe: aria-progressbar-name) by the row's own text. */}
                <LinearProgress
                  variant="determinate"
                  value={percent}
                  sx={{ mt: 0.5 }}
                  aria-label={translate('app.message.propagation_row', { step: translate(`app.step.${p.step}`, { _: p.step }), version: p.version, moved: p.moved, total: p.total })}
                />
              </Box>
            );
          })}
        </Stack>
      </CardContent>
    </Card>
  );
}
