import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';

/** While a page's code loads: a named progress indicator in readable contrast (react-admin's own has neither). */
export function PageLoading() {
  const translate = useTranslate();
  const label = translate('ra.page.loading');
  return (
    <Box role="status" sx={{ minHeight: '50vh', display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 2 }}>
      <CircularProgress size={32} aria-label={label} />
      <Typography color="textPrimary">{label}</Typography>
    </Box>
  );
}
