/**
 * The form in brief, inside each decision dialog (opinion, sign, approve): a reviewer decides on
 * what they read, without leaving the dialog. The full form stays one link away.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link, useGetOne, useLocaleState, useTranslate } from 'react-admin';
import { usePartyTypes } from '../common/catalog';
import { useFormatDateTime } from '../common/fields';

type Summary = {
  id: string;
  name: string;
  schoolName: string;
  legalRepresentative: string;
  formedOn: string;
  introduction: string;
  leadSchoolOpinion: string | null;
  memberSchools: { name: string }[];
  memberUnits: { name: string; partyType: string }[];
  goals: { title: string; targetDate: string | null }[];
};

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '8em 1fr' }, gap: { xs: 0, sm: 1 }, py: 0.5 }}>
      <Typography variant="caption" color="textSecondary" sx={{ whiteSpace: 'nowrap' }}>
        {label}
      </Typography>
      <Box sx={{ minWidth: 0, overflowWrap: 'anywhere' }}>{children}</Box>
    </Box>
  );
}

export function RegistrationSummary({ registrationId }: { registrationId: string }) {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const [locale] = useLocaleState();
  const { partyTypes } = usePartyTypes();
  const { data, isPending, error } = useGetOne<Summary>('registrations', { id: registrationId });
  const field = (name: string) => translate(`resources.registrations.fields.${name}`);
  if (isPending) return <LinearProgress />;
  if (error || !data) return <Alert severity="error">{(error as Error | null)?.message ?? ''}</Alert>;
  const partyName = (code: string) => {
    const p = partyTypes.find((t) => t.code === code);
    return p ? (locale.startsWith('zh') ? p.nameZh : p.nameEn) : code;
  };
  return (
    <Box data-testid="registration-summary" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5, bgcolor: 'grey.50' }}>
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.ui.summary')}
      </Typography>
      <Row label={field('name')}>
        <Typography variant="body2">{data.name}</Typography>
      </Row>
      <Row label={field('schoolId')}>
        <Typography variant="body2">{data.schoolName}</Typography>
      </Row>
      <Row label={field('legalRepresentative')}>
        <Typography variant="body2">{data.legalRepresentative}</Typography>
      </Row>
      <Row label={field('formedOn')}>
        <Typography variant="body2">{format(data.formedOn, false)}</Typography>
      </Row>
      {data.memberSchools?.length ? (
        <Row label={field('memberSchools')}>
          <Typography variant="body2">{data.memberSchools.map((s) => s.name).join('、')}</Typography>
        </Row>
      ) : null}
      <Row label={field('memberUnits')}>
        <Stack direction="row" useFlexGap spacing={0.5} sx={{ flexWrap: 'wrap' }}>
          {data.memberUnits.map((u) => (
            <Chip key={u.name} size="small" variant="outlined" label={`${u.name} · ${partyName(u.partyType)}`} sx={{ maxWidth: '100%' }} />
          ))}
        </Stack>
      </Row>
      <Row label={field('goals')}>
        <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
          {data.goals.map((g, i) => (
            <Typography component="li" variant="body2" key={i}>
              {g.title}
              {g.targetDate ? `（${format(g.targetDate, false)}）` : ''}
            </Typography>
          ))}
        </Box>
      </Row>
      <Row label={field('introduction')}>
        <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', maxHeight: '8.5em', overflow: 'auto' }}>
          {data.introduction}
        </Typography>
      </Row>
      {data.leadSchoolOpinion ? (
        <Row label={field('leadSchoolOpinion')}>
          <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
            {data.leadSchoolOpinion}
          </Typography>
        </Row>
      ) : null}
      <Link to={`/registrations/${data.id}/show`}>{translate('app.ui.open_full_form')}</Link>
    </Box>
  );
}
