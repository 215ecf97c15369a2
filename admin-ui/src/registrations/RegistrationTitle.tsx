import { useRecordContext, useTranslate } from 'react-admin';

export function RegistrationTitle() {
  const translate = useTranslate();
  const record = useRecordContext<{ name?: string }>();
  const name = translate('resources.registrations.name', { smart_count: 1 });
  return <span>{record?.name ? translate('app.title_of', { name, title: record.name }) : name}</span>;
}
