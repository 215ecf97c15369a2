import MuiButton, { type ButtonProps } from '@mui/material/Button';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';

/**
 * A button whose label is always shown and is its accessible name. react-admin's Button turns into
 * an icon-only (or, without an icon, empty) square on small screens: on a phone 签名盖章 must read.
 */
export function ActionButton({ label, icon, sx, ...rest }: Omit<ButtonProps, 'children'> & { label: string; icon?: ReactNode }) {
  const translate = useTranslate();
  return (
    <MuiButton size="small" startIcon={icon} {...rest} sx={[{ whiteSpace: 'nowrap', flexShrink: 0 }, ...(Array.isArray(sx) ? sx : [sx])]}>
      {translate(label, { _: label })}
    </MuiButton>
  );
}
