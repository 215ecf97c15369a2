import { useRecordContext, useTranslate } from 'react-admin';

export function RegistrationTitle() {
  const translate = useTranslate();
  const record = useRecordContext<{ name?: string }>();
  return <span>{`${translate('resources.registrations.name')}${record?.name ? `：${record.name}` : ''}`}</span>;
}
