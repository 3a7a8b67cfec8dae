import { condition, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';

/** Answers `update` with `answer` once it is on record, however early the update came. */
export function answerWhenRecorded<Answer>(update: UpdateDefinition<Answer, []>, answer: () => Answer | undefined): void {
  setHandler(update, async () => {
    await condition(() => answer() !== undefined);
    return answer()!;
  });
}
