import useMediaQuery from '@mui/material/useMediaQuery';
import type { Theme } from '@mui/material/styles';

/** Below 600 px: lists become cards (name first), dialogs full screen. */
export const usePhone = () => useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
