import { defaultTheme, type RaThemeOptions } from 'react-admin';

const fontFamily = ['"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"', '"Source Han Sans SC"', 'Roboto', 'Helvetica', 'Arial', 'sans-serif'].join(',');

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#1f5fa8' }, secondary: { main: '#b3261e' } },
  typography: { ...defaultTheme.typography, fontFamily },
  components: {
    ...defaultTheme.components,
    // Chinese headers must not break one character per line (学/校/代/码); cells break between words or, for
    // long Chinese text, anywhere — never narrower than a few characters.
    MuiTableCell: {
      styleOverrides: {
        head: { whiteSpace: 'nowrap' },
        body: { minWidth: '4em', overflowWrap: 'anywhere' },
      },
    },
  },
};
