import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1 a workflow test saves the history it produced (protobuf JSON), to
 * be replayed by test/replay against every later version of the workflow code.
 */
export async function maybeRecordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(history.toJSON(), null, 1)}\n`);
}

export function loadRecordedHistories(): Array<{ name: string; history: temporal.api.history.v1.IHistory }> {
  return readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }));
}

/** The activities a workflow scheduled, in order, from its history. */
export function scheduledActivities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/** Whether the workflow has nothing left to do but wait: its history ends with a timer it started. */
export function waitsOnTimer(history: temporal.api.history.v1.IHistory): boolean {
  const events = history.events ?? [];
  return events.length > 0 && events[events.length - 1].timerStartedEventAttributes != null;
}
