/** The process of one registration (GET /api/registrations/:id/timeline): who did what and when, the open task's due time. */
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepContent from '@mui/material/StepContent';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { Loading, useRecordContext, useTranslate } from 'react-admin';
import { formatChinaTime, useAppDataProvider, useFormatDateTime } from '../common/fields';
import type { Timeline as TimelineData } from '../providers/dataProvider';

/** The approval chain and who acts at each step: the steps still to come are shown after the open one. */
const CHAIN: [string, string][] = [
  ['lead_school_opinion', 'lead_school_leader'],
  ['principal_signature', 'principal'],
  ['bureau_approval', 'bureau_approver'],
];

const NEGATIVE = ['return', 'reject', 'overdue', 'withdraw', 'back_to_signing', 'failed', 'rejected', 'withdrawn'];

const STATE_COLOR = { open: 'primary', waiting: 'warning', done: 'success', cancelled: 'default' } as const;

/** The approvers of a step holding several tasks (会签/或签, 加签) and where each stands. */
function ParallelApprovers({ stepTasks }: { stepTasks: TimelineData['stepTasks'] }) {
  const translate = useTranslate();
  if (!stepTasks || (stepTasks.mode === 'single' && stepTasks.tasks.length < 2 && !stepTasks.tasks.some((t) => t.pendingAfter?.length))) return null;
  const pending = stepTasks.tasks.flatMap((t) => t.pendingAfter ?? []);
  return (
    <Box sx={{ mt: 1 }} data-testid="parallel-approvers">
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {translate('app.collab.parallel_title', { mode: translate(`app.collab.approver_modes.${stepTasks.mode}`) })}
      </Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 0.5 }}>
        {stepTasks.tasks.map((t) => (
          <Chip
            key={t.taskId}
            size="small"
            variant={t.taskStatus === 'open' ? 'filled' : 'outlined'}
            color={STATE_COLOR[t.taskStatus]}
            data-testid="parallel-approver"
            data-state={t.taskStatus}
            label={`${t.assigneeName ?? translate('app.role.bureau_approver')}${t.kind === 'added' ? `（${translate(t.position === 'before' ? 'app.collab.added_before' : 'app.collab.added_after')}）` : ''} · ${translate(`app.collab.task_state.${t.taskStatus}`)}`}
          />
        ))}
      </Stack>
      {pending.length ? (
        <Typography variant="caption" color="textSecondary">
          {translate('app.collab.pending_after', { names: pending.map((p) => p.name).join('、') })}
        </Typography>
      ) : null}
    </Box>
  );
}

export function Timeline() {
  const record = useRecordContext<{ id: string; status: string; updatedAt: string }>();
  const dataProvider = useAppDataProvider();
  const translate = useTranslate();
  const format = useFormatDateTime();
  const { data, isPending, error } = useQuery({
    queryKey: ['registrations', 'timeline', record?.id, record?.status, record?.updatedAt],
    queryFn: () => dataProvider.timeline(String(record!.id)),
    enabled: !!record,
  });
  if (!record || isPending) return <Loading />;
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data.started && data.history.length === 0) return <Alert severity="info">{translate('app.message.not_started')}</Alert>;
  const steps = [...data.history];
  const at = data.openTask ? CHAIN.findIndex(([step]) => step === data.openTask!.step) : -1;
  const upcoming = at >= 0 ? CHAIN.slice(at + 1) : [];
  return (
    <Box data-testid="timeline">
      <Stepper orientation="vertical" activeStep={steps.length}>
        {steps.map((h, i) => (
          <Step key={`${h.at}-${i}`} completed expanded>
            <StepLabel
              error={NEGATIVE.includes(h.action)}
              optional={<Typography variant="caption">{format(h.at)}</Typography>}
            >
              {/* 提交登记, not 提交 · 提交登记: the step's name is said once. 抄送 says how many were copied. */}
              {h.step === 'cc'
                ? translate('app.ui.cc_people', { smart_count: h.count ?? 0 })
                : h.step === 'submit' || h.step === h.action || h.step === 'comment'
                ? translate(`app.history_action.${h.action}`, { _: h.action })
                : `${translate(`app.step.${h.step}`, { _: h.step })} · ${translate(`app.history_action.${h.action}`, { _: h.action })}`}
              {h.actorName ? ` · ${h.onBehalfOfName ? translate('app.people.on_behalf', { actor: h.actorName, for: h.onBehalfOfName }) : h.actorName}` : ''}
              {h.toUserName ? ` → ${h.toUserName}` : ''}
            </StepLabel>
            <StepContent>
              {h.step === 'cc' && h.names ? (
                <Typography variant="body2" color="textSecondary">
                  {h.names.join('、')}
                </Typography>
              ) : h.comment ? (
                <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {h.comment}
                </Typography>
              ) : null}
            </StepContent>
          </Step>
        ))}
        {data.openTask ? (
          <Step active expanded>
            <StepLabel icon={<HourglassTopIcon color={data.openTask.overdue ? 'error' : 'primary'} />}>
              {translate('app.message.open_task')}：{translate(`app.step.${data.openTask.step}`)} ·{' '}
              <span data-testid="next-actor">{translate('app.ui.next_actor', { role: translate(`app.role.${data.openTask.assigneeRole}`, { _: data.openTask.assigneeRole }) })}</span>
              {data.openTask.assigneeName ? (
                <span data-testid="open-task-assignee">
                  {' · '}
                  {data.openTask.onBehalfOfName ? translate('app.people.on_behalf', { actor: data.openTask.assigneeName, for: data.openTask.onBehalfOfName }) : data.openTask.assigneeName}
                </span>
              ) : null}
            </StepLabel>
            <StepContent>
              <Typography variant="body2" color={data.openTask.overdue ? 'error' : 'textSecondary'} data-testid="open-task-due">
                {translate('app.message.due')}：{formatChinaTime(data.openTask.dueAt)} ({translate('app.beijing_time')}){' '}
                {data.openTask.overdue ? <Chip size="small" color="error" label={translate('app.message.overdue')} /> : null}
              </Typography>
              <ParallelApprovers stepTasks={data.stepTasks} />
            </StepContent>
          </Step>
        ) : null}
        {upcoming.map(([step, role]) => (
          <Step key={step} disabled data-testid="upcoming-step">
            <StepLabel optional={<Typography variant="caption">{translate('app.ui.upcoming')}</Typography>}>
              {translate(`app.step.${step}`)}（{translate(`app.role.${role}`)}）
            </StepLabel>
          </Step>
        ))}
      </Stepper>
    </Box>
  );
}
