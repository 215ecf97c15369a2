import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { PARTY_CATEGORIES, usePartyTypes } from '../common/catalog';

interface MemberUnit {
  name?: string | null;
  partyType?: string | null;
}

/**
 * Which parties of the policy the members cover: the six categories (government, departments,
 * schools, families, communities, social resource units), covered or still missing, and the
 * party types that have members. The lead school itself counts as a school.
 */
export function Coverage({ memberUnits }: { memberUnits: MemberUnit[] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { partyTypes } = usePartyTypes();
  const byCode = new Map(partyTypes.map((p) => [p.code, p]));
  const usedTypes = [...new Set(memberUnits.map((m) => m.partyType).filter((c): c is string => !!c))];
  const covered = new Set(usedTypes.map((c) => byCode.get(c)?.category).filter(Boolean));
  covered.add('school');
  return (
    <Box data-testid="coverage">
      <Typography variant="subtitle1" gutterBottom>
        {translate('app.message.coverage')}
      </Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{mb: 1, flexWrap: 'wrap' }}>
        {PARTY_CATEGORIES.map((c) => {
          const ok = covered.has(c);
          return (
            <Chip
              key={c}
              data-category={c}
              data-covered={ok ? 'yes' : 'no'}
              icon={ok ? <CheckCircleIcon /> : <RadioButtonUncheckedIcon />}
              color={ok ? 'success' : 'default'}
              variant={ok ? 'filled' : 'outlined'}
              label={`${translate(`app.category.${c}`)} · ${translate(ok ? 'app.message.covered' : 'app.message.missing')}`}
            />
          );
        })}
      </Stack>
      <Typography variant="body2" color="textSecondary">
        {translate('app.message.coverage_types')}：
        {usedTypes.length === 0
          ? translate('app.message.no_members')
          : usedTypes.map((c) => {
              const p = byCode.get(c);
              return p ? (locale.startsWith('zh') ? p.nameZh : p.nameEn) : c;
            }).join('、')}
      </Typography>
    </Box>
  );
}

/** Coverage of the form being edited, live. */
export function FormCoverage() {
  const memberUnits = (useWatch({ name: 'memberUnits' }) as MemberUnit[] | undefined) ?? [];
  return <Coverage memberUnits={memberUnits} />;
}

/** Coverage of the record shown. */
export function RecordCoverage() {
  const record = useRecordContext<{ memberUnits?: MemberUnit[] }>();
  return <Coverage memberUnits={record?.memberUnits ?? []} />;
}
