import DialogActions, { type DialogActionsProps } from '@mui/material/DialogActions';
import { usePhone } from './usePhone';

/** Below 600 px a dialog takes the whole screen (a 614 px dialog on a 390 px phone cannot be used). */
export function useFullScreenDialog(): boolean {
  return usePhone();
}

/** The dialog's labelled actions, kept in view at the bottom while the content scrolls; they wrap on a phone. */
export function StickyActions(props: DialogActionsProps) {
  return (
    <DialogActions
      {...props}
      sx={{ position: 'sticky', bottom: 0, zIndex: 1, bgcolor: 'background.paper', borderTop: 1, borderColor: 'divider', flexWrap: 'wrap', gap: 1, '& > :not(style) ~ :not(style)': { ml: 0 }, ...props.sx }}
    />
  );
}
