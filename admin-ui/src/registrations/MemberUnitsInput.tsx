import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { ArrayInput, AutocompleteInput, SimpleFormIterator, TextInput, useLocaleState, useSourceContext, useTranslate } from 'react-admin';
import { AddItemButton } from '../common/AddItemButton';
import { useWatch } from 'react-hook-form';
import { usePartyTypes, type PartyType } from '../common/catalog';
import { matchesPartyType } from '../common/partySearch';

/** The duties the catalog gives the chosen party type, under the row that chose it. */
function DutiesOfRow() {
  const translate = useTranslate();
  const sourceContext = useSourceContext();
  const code = useWatch({ name: sourceContext.getSource('partyType') }) as string | undefined;
  const { partyTypes } = usePartyTypes();
  const type = partyTypes.find((p) => p.code === code);
  if (!type) return null;
  return (
    <Alert severity="info" icon={false} sx={{ width: '100%', mb: 1 }} data-testid="party-duties">
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.message.duties')}：{type.nameZh}
      </Typography>
      {type.duties.map((d) => (
        <Typography key={d.code} variant="body2" sx={{ mb: 0.5 }}>
          {type.duties.length > 1 ? `${d.seq}. ` : ''}
          {d.textZh}
        </Typography>
      ))}
    </Alert>
  );
}

export function usePartyTypeChoices() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const { partyTypes } = usePartyTypes();
  const zh = locale.startsWith('zh');
  return {
    choices: partyTypes,
    optionText: (p: PartyType) => (zh ? p.nameZh : `${p.nameEn}（${p.nameZh}）`),
    groupBy: (p: PartyType) => translate(`app.category.${p.category}`, { _: p.category }),
    matchSuggestion: (filter: string, p: PartyType) => matchesPartyType(filter, p),
    noOptionsText: translate('app.ui.no_options'),
  };
}

export function MemberUnitsInput() {
  const { choices, optionText, groupBy, matchSuggestion, noOptionsText } = usePartyTypeChoices();
  return (
    <ArrayInput source="memberUnits" label="resources.registrations.fields.memberUnits">
      <SimpleFormIterator fullWidth addButton={<AddItemButton />} sx={{ '& .RaSimpleFormIterator-line': { py: 1 } }}>
        <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', md: '2fr 2fr 1fr 1fr' }, width: '100%' }}>
          <TextInput source="name" label="resources.registrations.fields.memberUnits.name" helperText={false} />
          <AutocompleteInput
            source="partyType"
            label="resources.registrations.fields.memberUnits.partyType"
            choices={choices}
            optionValue="code"
            optionText={optionText}
            groupBy={groupBy}
            matchSuggestion={matchSuggestion}
            noOptionsText={noOptionsText}
            helperText={false}
          />
          <TextInput source="contactPerson" label="resources.registrations.fields.memberUnits.contactPerson" helperText={false} />
          <TextInput source="phone" label="resources.registrations.fields.memberUnits.phone" helperText={false} />
        </Box>
        <TextInput source="role" label="resources.registrations.fields.memberUnits.role" fullWidth helperText={false} />
        <TextInput source="profile" label="resources.registrations.fields.memberUnits.profile" fullWidth multiline minRows={2} helperText={false} />
        <DutiesOfRow />
      </SimpleFormIterator>
    </ArrayInput>
  );
}
