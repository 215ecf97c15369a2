/** The inbox below 600 px: one card per task, the registration's name first, its labelled actions beneath. */
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { Link, RecordContextProvider, useListContext, useTranslate } from 'react-admin';
import { DueField, StepField } from '../common/fields';

export function TaskCards({ actions, status, claimed, assignee, empty }: { actions: ReactNode; status: ReactNode; claimed: ReactNode; assignee?: ReactNode; empty: ReactNode }) {
  const { data, isPending } = useListContext();
  const translate = useTranslate();
  if (isPending) return null;
  if (!data?.length) return <>{empty}</>;
  return (
    <Stack spacing={1} sx={{ p: 1 }} data-testid="task-cards">
      {data.map((task) => (
        <RecordContextProvider key={task.id} value={task}>
          <Card variant="outlined" data-testid="task-card" data-registration={task.registrationName}>
            <CardContent sx={{ pb: 1 }}>
              <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                <Link to={`/registrations/${task.registrationId}/show`}>{task.registrationName}</Link>
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {task.schoolName} · <StepField />
                {assignee ? <> · {assignee}</> : null}
              </Typography>
              <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 0.5, alignItems: 'center', flexWrap: 'wrap' }}>
                <Typography variant="caption" color="textSecondary">
                  {translate('app.message.due')}
                </Typography>
                <DueField />
                {status}
                {claimed}
              </Stack>
            </CardContent>
            <CardActions sx={{ flexWrap: 'wrap', gap: 1, '& > :not(style) ~ :not(style)': { ml: 0 } }}>{actions}</CardActions>
          </Card>
        </RecordContextProvider>
      ))}
    </Stack>
  );
}
