import { Router } from 'express';
import { appendAuditEvent, verifyAuditChain } from '../../domain/audit';
import type { AppDeps } from '../deps';
import { actorOf, requireAuth, requireRight } from '../middleware/auth';

const REASONS: Record<string, string> = {
  hash: '该事件的内容与其存储的哈希不符（事件被修改）/ The event no longer matches its stored hash (it was altered)',
  prev_hash: '该事件记录的前一哈希与前一事件不符（前一事件被修改或删除）/ The event’s link does not match the event before it (that one was altered or removed)',
  stream: '该事件被移到了其他登记的审计链 / The event was moved to another registration’s chain',
};

/**
 * GET /api/audit-events/verify: walks the hash chain from the first event and names the first one
 * that does not match. Mounted before the audit-events router so /verify is never taken for an id.
 */
export function auditVerifyRoutes({ db, config }: AppDeps): Router {
  const router = Router();
  router.get('/audit-events/verify', requireAuth(config.JWT_SECRET), requireRight('audit.read'), async (req, res) => {
    const actor = actorOf(req);
    const result = await verifyAuditChain(db);
    const firstBroken = result.firstBrokenId
      ? ((await db('auditEvents').where({ id: result.firstBrokenId }).first('id', 'at', 'action', 'actorId', 'actorName', 'registrationId')) ?? null)
      : null;
    await appendAuditEvent(db, {
      action: 'audit.chain_verified',
      actorId: actor.id,
      actorName: actor.name,
      details: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId, reason: result.reason ?? null, anchorId: result.anchorId ?? null },
    });
    res.json({
      ok: result.ok,
      checked: result.checked,
      firstBrokenId: result.firstBrokenId,
      reason: result.reason ?? null,
      anchorId: result.anchorId ?? null,
      message: result.ok
        ? `审计链完整，共核验 ${result.checked} 条事件 / The audit chain is intact; ${result.checked} events checked`
        : result.reason === 'anchor'
          ? `审计锚点 #${result.anchorId} 校验失败：其记录的各审计链末端已不在（有事件或整条链被删除）/ Audit anchor #${result.anchorId} no longer matches: the chain ends it recorded are gone (events or a whole chain were removed)`
          : `审计事件 #${result.firstBrokenId} 校验失败：${REASONS[result.reason ?? 'hash'] ?? result.reason}`,
      firstBroken: firstBroken ? { ...firstBroken, id: String(firstBroken.id), at: new Date(firstBroken.at).toISOString() } : null,
    });
  });
  return router;
}
