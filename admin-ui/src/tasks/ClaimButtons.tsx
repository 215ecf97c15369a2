import LockOpenIcon from '@mui/icons-material/LockOpen';
import PanToolIcon from '@mui/icons-material/PanTool';
import { Button, useRecordContext } from 'react-admin';
import { currentViewer, useCan } from '../common/access';
import { useAppDataProvider } from '../common/fields';
import { useTaskAction } from './useTaskAction';

type TaskRecord = { id: string; status: string; step: string; claimedBy: number | null; schoolId: number | null };

/** 认领 while nobody holds the task; 释放 while the viewer holds it. */
export function ClaimButton() {
  const task = useRecordContext<TaskRecord>();
  const can = useCan();
  const dataProvider = useAppDataProvider();
  const { busy, run } = useTaskAction();
  const me = currentViewer();
  if (!task || !me || !can('tasks', 'claim', task)) return null;
  if (task.claimedBy === me.id) {
    return (
      <Button label="app.action.unclaim" size="small" disabled={busy} onClick={() => run(() => dataProvider.unclaimTask(String(task.id)), 'app.message.unclaimed')}>
        <LockOpenIcon />
      </Button>
    );
  }
  return (
    <Button label="app.action.claim" size="small" disabled={busy} onClick={() => run(() => dataProvider.claimTask(String(task.id)), 'app.message.claimed')}>
      <PanToolIcon />
    </Button>
  );
}
