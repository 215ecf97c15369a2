import FormHelperText from '@mui/material/FormHelperText';
import { TextInput, useTranslate } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { graphemeCount } from '../common/fields';

export const INTRODUCTION_MAX = 800;

/** The 800-character introduction with a live counter, counting characters as a reader does. */
export function IntroductionInput() {
  const translate = useTranslate();
  const text = (useWatch({ name: 'introduction' }) as string | null) ?? '';
  const count = graphemeCount(text);
  const over = count > INTRODUCTION_MAX;
  return (
    <>
      <TextInput
        source="introduction"
        multiline
        minRows={10}
        fullWidth
        helperText="resources.registrations.fields.introduction_hint"
        validate={(value: string | null) =>
          value && graphemeCount(value) > INTRODUCTION_MAX ? translate('app.message.too_long', { max: INTRODUCTION_MAX }) : undefined
        }
      />
      <FormHelperText error={over} data-testid="introduction-counter" sx={{ mt: -1, textAlign: 'right', width: '100%' }}>
        {translate('app.message.chars', { count, max: INTRODUCTION_MAX })}
      </FormHelperText>
    </>
  );
}
