import { defaultTheme, type RaThemeOptions } from 'react-admin';

const fontFamily = ['"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"', '"Source Han Sans SC"', 'Roboto', 'Helvetica', 'Arial', 'sans-serif'].join(',');

export const theme: RaThemeOptions = {
  ...defaultTheme,
  // info and warning darker than MUI's: white chip text on them meets WCAG AA (4.5:1).
  palette: { ...defaultTheme.palette, primary: { main: '#1f5fa8' }, secondary: { main: '#b3261e' }, info: { main: '#01579b' }, warning: { main: '#a84300' } },
  typography: { ...defaultTheme.typography, fontFamily },
  components: {
    ...defaultTheme.components,
    // Chinese headers must not break one character per line (学/校/代/码); cells break between words or, for
    // long Chinese text, anywhere — never narrower than a few characters.
    // react-admin's empty page fades its text to half opacity: too faint to read (WCAG contrast).
    RaEmpty: { styleOverrides: { root: { '& .RaEmpty-message': { opacity: 1, color: 'rgba(0, 0, 0, 0.7)' } } } },
    // The hint under a read-only input (say, the lead school) must stay readable: MUI greys it to 38 %.
    MuiFormHelperText: { styleOverrides: { root: { '&.Mui-disabled': { color: 'rgba(0, 0, 0, 0.6)' } } } },
    // A wide table scrolls inside its own box; the page never scrolls sideways.
    RaDataTable: { styleOverrides: { root: { '& .RaDataTable-tableWrapper': { overflowX: 'auto', maxWidth: '100%' } } } },
    // …which needs every flex box around it held to the screen: a flex item's minimum width is its content's.
    // react-admin sizes the layout to fit its content (min-width: fit-content): on a phone that made a wide
    // table or a row of filters widen the whole page; there it is held to the screen instead.
    RaLayout: {
      styleOverrides: {
        root: {
          '& .RaLayout-content': { minWidth: 0 },
          '@media (max-width: 599.95px)': { minWidth: 0, '& .RaLayout-appFrame, & .RaLayout-contentWithSidebar': { minWidth: 0, maxWidth: '100vw' } },
        },
      },
    },
    RaList: { styleOverrides: { root: { '& .RaList-main': { minWidth: 0 } } } },
    MuiTableCell: {
      styleOverrides: {
        head: { whiteSpace: 'nowrap' },
        body: { minWidth: '4em', overflowWrap: 'anywhere' },
      },
    },
  },
};
