/** 周期评估: every review in the viewer's scope, filterable by status, cycle, outcome and due date. */
import { useMediaQuery, type Theme } from '@mui/material';
import {
  DataTable,
  SearchInput,
  SelectInput,
  SimpleList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { List } from '../common/List';
import { DayInput } from '../common/DayInput';
import { DueField, useFormatDateTime } from '../common/fields';
import { RatingChip } from './GoalsSideBySide';
import { ReviewStatusChip } from './GoalReviewShow';
import { RATINGS, REVIEW_STATUSES, type GoalReview } from './types';

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('ra.action.search')} />,
    <SelectInput key="status" source="status" choices={REVIEW_STATUSES.map((s) => ({ id: s, name: translate(`app.goal_reviews.status.${s}`) }))} />,
    <SelectInput key="cycle" source="cycle" choices={[1, 2].map((c) => ({ id: c, name: translate('app.goal_reviews.cycle', { cycle: c }) }))} />,
    <SelectInput key="overall" source="overall" choices={RATINGS.map((r) => ({ id: r, name: translate(`app.review.${r}`) }))} />,
    <DayInput filter key="dueAfter" source="dueAfter" />,
    <DayInput filter key="dueBefore" source="dueBefore" />,
  ];
}

const DueCell = () => <DueField overdueSource="task.overdue" />;
const StatusCell = () => {
  const r = useRecordContext<GoalReview>();
  return r ? <ReviewStatusChip status={r.status} /> : null;
};
const OverallCell = () => {
  const r = useRecordContext<GoalReview>();
  return r ? <RatingChip rating={r.overall} /> : null;
};
const CycleCell = () => {
  const r = useRecordContext<GoalReview>();
  const translate = useTranslate();
  return r ? <span>{translate('app.goal_reviews.cycle', { cycle: r.cycle })}</span> : null;
};

export function GoalReviewList() {
  const translate = useTranslate();
  const format = useFormatDateTime();
  const small = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  return (
    <List filters={useFilters()} sort={{ field: 'openedAt', order: 'DESC' }} perPage={25} exporter={false}>
      {small ? (
        <SimpleList<GoalReview>
          linkType="show"
          primaryText={(r) => r.registrationName}
          secondaryText={(r) => `${r.schoolName} · ${translate('app.goal_reviews.cycle', { cycle: r.cycle })} · ${translate(`app.goal_reviews.status.${r.status}`)}`}
          tertiaryText={(r) => format(r.ratedAt ?? r.dueAt ?? r.openedAt, false)}
        />
      ) : (
        <DataTable rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="registrationName" />
          <DataTable.Col source="schoolName" />
          <DataTable.Col source="cycle" field={CycleCell} />
          <DataTable.Col source="status" field={StatusCell} />
          <DataTable.Col source="dueAt" field={DueCell} />
          <DataTable.Col source="overall" field={OverallCell} />
          <DataTable.Col source="ratedAt" render={(r: GoalReview) => format(r.ratedAt)} />
        </DataTable>
      )}
    </List>
  );
}
