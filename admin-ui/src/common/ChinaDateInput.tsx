/**
 * A day filter on a time column, in China's days: the start of the chosen day or its end in Beijing
 * time (UTC+8), whatever the browser's zone, sent as an ISO time with its offset.
 */
import { DateInput, type DateInputProps } from 'react-admin';

export function ChinaDateInput({ edge, ...props }: DateInputProps & { edge: 'start' | 'end' }) {
  return (
    <DateInput
      {...props}
      parse={(day: string) => (day ? `${day}T${edge === 'start' ? '00:00:00' : '23:59:59.999'}+08:00` : undefined)}
      format={(value: string | undefined) => (value ? String(value).slice(0, 10) : '')}
    />
  );
}
