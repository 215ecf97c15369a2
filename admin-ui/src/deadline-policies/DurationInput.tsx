import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import { FieldTitle, useInput, useTranslate, type InputProps } from 'react-admin';

const UNITS = [
  ['months', 30 * 86400],
  ['days', 86400],
  ['hours', 3600],
  ['minutes', 60],
  ['seconds', 1],
] as const;

function split(seconds: number | null | undefined): { amount: string; unit: number } {
  if (seconds == null) return { amount: '', unit: 86400 };
  if (seconds === 0) return { amount: '0', unit: 86400 };
  const [, size] = UNITS.find(([, s]) => seconds % s === 0) ?? ['seconds', 1];
  return { amount: String(seconds / size), unit: size };
}

/** A duration kept in seconds by the API, edited as an amount and a unit (天, 小时, …). */
export function DurationInput(props: InputProps) {
  const translate = useTranslate();
  const { field, fieldState, isRequired } = useInput(props);
  const [state, setState] = useState(() => split(field.value));
  useEffect(() => {
    const current = Number(state.amount) * state.unit;
    if (field.value !== current) setState(split(field.value));
  }, [field.value]);
  const update = (next: { amount: string; unit: number }) => {
    setState(next);
    const n = Number(next.amount);
    field.onChange(next.amount === '' || Number.isNaN(n) ? null : Math.round(n * next.unit));
  };
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mb: 1 }}>
      <TextField
        type="number"
        name={field.name}
        label={<FieldTitle label={props.label} source={props.source} resource={props.resource} isRequired={isRequired} />}
        value={state.amount}
        onChange={(e) => update({ ...state, amount: e.target.value })}
        onBlur={field.onBlur}
        error={fieldState.invalid}
        helperText={fieldState.error?.message ? translate(fieldState.error.message, { _: fieldState.error.message }) : ' '}
        slotProps={{ htmlInput: { min: 0, step: 'any' } }}
        sx={{ width: 180 }}
      />
      <TextField select label=" " value={state.unit} onChange={(e) => update({ ...state, unit: Number(e.target.value) })} sx={{ width: 160 }} name={`${field.name}.unit`}>
        {UNITS.map(([name, size]) => (
          <MenuItem key={name} value={size}>
            {translate(`app.unit.${name}`)}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}
