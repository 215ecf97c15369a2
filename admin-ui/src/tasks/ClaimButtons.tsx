import LockOpenIcon from '@mui/icons-material/LockOpen';
import PanToolIcon from '@mui/icons-material/PanTool';
import Tooltip from '@mui/material/Tooltip';
import { useRecordContext, useTranslate } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { currentViewer, useCan } from '../common/access';
import { useAppDataProvider } from '../common/fields';
import { useTaskAction } from './useTaskAction';

type TaskRecord = { id: string; status: string; step: string; claimedBy: number | null; schoolId: number | null };

/** 认领 while nobody holds the task; 释放 while the viewer holds it. The tooltip says what claiming means. */
export function ClaimButton() {
  const task = useRecordContext<TaskRecord>();
  const can = useCan();
  const translate = useTranslate();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const me = currentViewer();
  if (!task || !me || !can('tasks', 'claim', task)) return null;
  if (task.claimedBy === me.id) {
    return (
      <ActionButton label="app.action.unclaim" icon={<LockOpenIcon />} disabled={busy} onClick={() => run(() => dataProvider.unclaimTask(String(task.id)), 'app.message.unclaimed')} />
    );
  }
  return (
    <Tooltip title={translate('app.ui.claim_help')} enterTouchDelay={0}>
      <span>
        <ActionButton
          label="app.action.claim"
          icon={<PanToolIcon />}
          disabled={busy}
          aria-description={translate('app.ui.claim_help')}
          onClick={() => run(() => dataProvider.claimTask(String(task.id)), 'app.message.claimed')}
        />
      </span>
    </Tooltip>
  );
}
