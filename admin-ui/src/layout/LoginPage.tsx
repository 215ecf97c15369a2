import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { Login, LoginForm, useTranslate } from 'react-admin';
import { SsoLogin } from '../district/SsoLogin';

function Heading() {
  const translate = useTranslate();
  return (
    <Box sx={{ textAlign: 'center', px: 2, pt: 1 }}>
      <Typography variant="h6">{translate('app.title')}</Typography>
      <Typography variant="body2" color="textSecondary">
        {translate('app.subtitle')}
      </Typography>
    </Box>
  );
}

export const LoginPage = () => (
  <Login>
    <Heading />
    <LoginForm />
    <SsoLogin />
  </Login>
);
