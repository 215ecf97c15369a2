/**
 * A day filter on a time column, in China's days: the start of the chosen day or its end in Beijing
 * time (UTC+8), whatever the browser's zone, sent as an ISO time with its offset.
 */
import { DayInput, type DayInputProps } from './DayInput';

export function ChinaDateInput({ edge, ...props }: DayInputProps & { edge: 'start' | 'end' }) {
  return (
    <DayInput
      filter
      {...props}
      parse={(day: string | null) => (day ? `${day}T${edge === 'start' ? '00:00:00' : '23:59:59.999'}+08:00` : undefined)}
      format={(value: string | undefined) => (value ? String(value).slice(0, 10) : '')}
    />
  );
}
