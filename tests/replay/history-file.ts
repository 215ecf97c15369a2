/**
 * Recorded histories on disk: protobuf's own object form (enums by name, int64 as strings, bytes
 * as base64), read back into History messages. The SDK's historyToJSON/historyFromJSON would be the
 * canonical route, but with two copies of protobufjs installed they fail ("type must be a Type").
 */
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;
export type HistoryMessage = temporal.api.history.v1.IHistory;

export interface RecordedHistory {
  scenario: string;
  workflowId: string;
  runId: string;
  status: string;
  history: Record<string, unknown>;
}

export function historyToPlain(history: HistoryMessage): Record<string, unknown> {
  return History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
}

export function historyFromPlain(plain: Record<string, unknown>): HistoryMessage {
  return History.fromObject(plain);
}
