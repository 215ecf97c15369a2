/** What the viewer may do on a task: claim or release it, and the action of its step; used by the inbox and the show page. */
import Stack from '@mui/material/Stack';
import { Link, useRecordContext, useTranslate } from 'react-admin';
import { useCan } from '../common/access';
import { TransferButton, UrgeButton } from '../collaboration/TaskPeople';
import { AddApproverButton } from './AddApproverDialog';
import { ClaimButton } from './ClaimButtons';
import { DecisionButton } from './DecisionDialog';
import { GoalRatingButton, GoalReportButton } from './GoalReviewDialogs';
import { OpinionButton } from './OpinionDialog';
import { SignButton } from './SignDialog';

export type TaskRecord = { id: string; step: string; status: string; outcome: string | null; comment: string | null; registrationId: string; registrationStatus: string; claimedBy: number | null; schoolId: number | null };

/** A task that sent the registration back to its drafter, while it is still the draft that return left. */
export const isReturnedToMe = (t: TaskRecord) => t.outcome === 'return' && t.registrationStatus === 'draft';

/** The action of the task's step, shown only when the viewer may act on it now. */
export function StepAction() {
  const task = useRecordContext<TaskRecord>();
  const can = useCan();
  const translate = useTranslate();
  if (!task) return null;
  if (isReturnedToMe(task) && can('registrations', 'edit', { id: task.registrationId, status: 'draft', schoolId: task.schoolId })) {
    return (
      <Link to={`/registrations/${task.registrationId}/show`} data-testid="open-returned" sx={{ whiteSpace: "nowrap" }}>
        {translate('app.action.open_registration')}
      </Link>
    );
  }
  if (!can('tasks', 'complete', task)) return null;
  switch (task.step) {
    case 'lead_school_opinion':
      return <OpinionButton />;
    case 'principal_signature':
      return <SignButton />;
    case 'bureau_approval':
      return <DecisionButton />;
    case 'goal_report':
      return <GoalReportButton />;
    case 'goal_rating':
      return <GoalRatingButton />;
    default:
      return null;
  }
}

export function Actions() {
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ justifyContent: { sm: 'flex-end' }, flexWrap: 'wrap' }}>
      <ClaimButton />
      <AddApproverButton />
      <StepAction />
      <TransferButton />
      <UrgeButton />
    </Stack>
  );
}

