/**
 * A calendar day input for every form and filter: MUI's date picker in the console's language (zh-CN
 * month and weekday names, or English), always shown as 2026-12-01 — never left to the browser's
 * locale as a native date input is. The value stays the 'YYYY-MM-DD' string the API takes.
 */
import { useRef, type ReactNode } from 'react';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { DateTimePicker } from '@mui/x-date-pickers/DateTimePicker';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { AdapterDayjs } from '@mui/x-date-pickers/AdapterDayjs';
import { enUS, zhCN } from '@mui/x-date-pickers/locales';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { FieldTitle, InputHelperText, useInput, useLocaleState, type InputProps, type Validator } from 'react-admin';

export const DAY_FORMAT = 'YYYY-MM-DD';
const DAY_TIME_FORMAT = 'YYYY-MM-DD HH:mm';
/** What a half-typed or impossible day is held as, so that the form refuses it instead of sending it. */
const INVALID = 'invalid';

/** The pickers' own words (取消, 确定, 今天, the field's 年/月/日 placeholders) in the console's language. */
export function PickerLocalization({ children }: { children: ReactNode }) {
  const [locale] = useLocaleState();
  const zh = locale.startsWith('zh');
  const words = (zh ? zhCN : enUS).components.MuiLocalizationProvider.defaultProps.localeText;
  return (
    <LocalizationProvider dateAdapter={AdapterDayjs} adapterLocale={zh ? 'zh-cn' : 'en'} localeText={words}>
      {children}
    </LocalizationProvider>
  );
}

const validDay: Validator = (value) => (value === INVALID ? 'app.date.invalid' : undefined);

export type DayInputProps = Omit<InputProps, 'validate'> & {
  validate?: Validator | Validator[];
  label?: ReactNode;
  helperText?: ReactNode | false;
  /** A day and a time (a full ISO time as value) instead of a day. */
  withTime?: boolean;
  /** In a list filter a half-typed day is not sent: the last whole day stays the filter until it is complete. */
  filter?: boolean;
  className?: string;
};

export function DayInput({ label, helperText, validate, withTime = false, filter = false, className, ...props }: DayInputProps) {
  const validators = [validDay, ...(Array.isArray(validate) ? validate : validate ? [validate] : [])];
  const {
    field,
    fieldState: { error, invalid },
    id,
    isRequired,
  } = useInput({ ...props, validate: validators });
  const [locale] = useLocaleState();
  const zh = locale.startsWith('zh');
  // The picker keeps a half-typed day in its own state only while it gets the same object back as value:
  // remember the last one it emitted and the form string it became.
  const last = useRef<{ text: string; day: Dayjs | null }>({ text: '', day: null });
  const text = field.value == null ? '' : String(field.value);
  const value = text === last.current.text ? last.current.day : text ? dayjs(text) : null;

  const onChange = (day: Dayjs | null) => {
    const next = day == null ? '' : !day.isValid() ? INVALID : withTime ? day.toISOString() : day.format(DAY_FORMAT);
    if (next === INVALID && filter) {
      last.current = { text, day };
      return;
    }
    last.current = { text: next, day };
    field.onChange(next === '' ? null : next);
  };

  const common = {
    className: ['ra-input', `ra-input-${props.source}`, className].filter(Boolean).join(' '),
    value,
    onChange,
    enableAccessibleFieldDOMStructure: false as const,
    name: field.name,
    inputRef: field.ref,
    label: label !== '' && label !== false ? <FieldTitle label={label as string} source={props.source} resource={props.resource} isRequired={isRequired} /> : null,
    slotProps: {
      textField: {
        id,
        onBlur: field.onBlur,
        error: invalid,
        helperText: helperText !== false || invalid ? <InputHelperText error={error?.message} helperText={helperText} /> : null,
      },
      // 2026年12月 over the days, as Chinese calendars write it (dayjs alone gives 十二月 2026).
      calendarHeader: { format: zh ? 'YYYY年M月' : 'MMMM YYYY' },
      toolbar: { toolbarFormat: zh ? 'M月D日 ddd' : 'ddd, MMM D' },
    },
  };
  return (
    <PickerLocalization>
      {withTime ? <DateTimePicker {...common} format={DAY_TIME_FORMAT} ampm={false} /> : <DatePicker {...common} format={DAY_FORMAT} />}
    </PickerLocalization>
  );
}
