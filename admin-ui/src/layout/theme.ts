import { defaultTheme, type RaThemeOptions } from 'react-admin';

const fontFamily = ['"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"', '"Source Han Sans SC"', 'Roboto', 'Helvetica', 'Arial', 'sans-serif'].join(',');

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#1f5fa8' }, secondary: { main: '#b3261e' } },
  typography: { ...defaultTheme.typography, fontFamily },
};
