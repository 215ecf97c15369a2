/** The whole 登记表 (annex 2) as a tabbed form, shared by Create and Edit. */
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { ArrayInput, required, SimpleFormIterator, TabbedForm, TabbedFormTabs, TextInput, useGetIdentity, useGetOne, useRecordContext, useTranslate } from 'react-admin';
import { AddItemButton } from '../common/AddItemButton';
import { DayInput } from '../common/DayInput';
import { FormCoverage } from './Coverage';
import { ExtraFieldsInputs } from './ExtraFieldsInputs';
import { IntroductionInput } from './IntroductionInput';
import { MemberUnitsInput } from './MemberUnitsInput';

/** 牵头学校: the drafter's own school (the API takes it from the account), shown read-only. */
function LeadSchool() {
  const translate = useTranslate();
  const record = useRecordContext<{ schoolId?: number; schoolName?: string }>();
  const { identity } = useGetIdentity();
  const schoolId = record?.schoolId ?? (identity?.schoolId as number | undefined);
  const { data: school } = useGetOne('schools', { id: schoolId! }, { enabled: !record?.schoolName && schoolId != null });
  const name = record?.schoolName ?? school?.name ?? '';
  return (
    <TextInput
      source="schoolName"
      label="resources.registrations.fields.schoolId"
      defaultValue={name}
      format={() => name}
      readOnly
      helperText={translate('app.message.lead_school_hint')}
    />
  );
}

/** Empty answers the API expects as strings or lists rather than null. */
export function toRegistrationPayload(data: Record<string, any>) {
  return {
    ...data,
    introduction: data.introduction ?? '',
    memberSchools: data.memberSchools ?? [],
    memberUnits: data.memberUnits ?? [],
    goals: data.goals ?? [],
    extra: data.extra ?? {},
  };
}

export function RegistrationInputs() {
  const translate = useTranslate();
  return (
    // The tabs scroll on a phone rather than widen the page.
    <TabbedForm warnWhenUnsavedChanges syncWithLocation={false} tabs={<TabbedFormTabs variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile />}>
      <TabbedForm.Tab label="app.tab.basic">
        <TextInput source="name" validate={required()} fullWidth />
        <LeadSchool />
        <TextInput source="legalRepresentative" validate={required()} />
        <DayInput source="formedOn" validate={required()} />
        <ArrayInput source="memberSchools" label="resources.registrations.fields.memberSchools">
          <SimpleFormIterator inline addButton={<AddItemButton />}>
            <TextInput source="name" label="resources.registrations.fields.memberSchools.name" helperText={false} sx={{ minWidth: 320 }} />
          </SimpleFormIterator>
        </ArrayInput>
      </TabbedForm.Tab>
      <TabbedForm.Tab label="app.tab.members">
        <FormCoverage />
        <Divider flexItem sx={{ my: 1 }} />
        <MemberUnitsInput />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="app.tab.introduction">
        <IntroductionInput />
      </TabbedForm.Tab>
      <TabbedForm.Tab label="app.tab.goals">
        <Typography variant="body2" color="textSecondary">
          {translate('resources.registrations.fields.goals')}（{translate('resources.registrations.fields.goals_hint')}）
        </Typography>
        <ArrayInput source="goals" label={false}>
          <SimpleFormIterator fullWidth addButton={<AddItemButton />}>
            <TextInput source="title" label="resources.registrations.fields.goals.title" fullWidth helperText={false} />
            <TextInput source="measures" label="resources.registrations.fields.goals.measures" fullWidth multiline minRows={2} helperText={false} />
            <TextInput source="indicator" label="resources.registrations.fields.goals.indicator" fullWidth helperText={false} />
            <DayInput source="targetDate" label="resources.registrations.fields.goals.targetDate" helperText={false} />
          </SimpleFormIterator>
        </ArrayInput>
      </TabbedForm.Tab>
      <TabbedForm.Tab label="app.tab.remarks">
        <TextInput source="remarks" multiline minRows={3} fullWidth />
        <ExtraFieldsInputs />
      </TabbedForm.Tab>
    </TabbedForm>
  );
}
