import { useState } from 'react';
import { useNotify, useRefresh } from 'react-admin';

/** Runs one task action with a busy flag, a notification and a refresh of the screen. */
export function useTaskAction() {
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<unknown>, success: string, onDone?: () => void) => {
    setBusy(true);
    try {
      await call();
      notify(success, { type: 'success' });
      onDone?.();
      refresh();
      return true;
    } catch (error) {
      const body = (error as { body?: { errors?: Record<string, string> } }).body;
      const details = body?.errors ? Object.values(body.errors).join('；') : '';
      notify(details ? `${(error as Error).message}：${details}` : (error as Error).message, { type: 'error' });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
