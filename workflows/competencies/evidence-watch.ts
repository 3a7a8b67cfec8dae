import { condition, setHandler } from '@temporalio/workflow';
import type { CompetencyVerificationRules } from '../../domain/catalog';
import { DAY_MS, HOUR_MS } from '../../domain/time';
import { evidenceChangedSignal } from './definitions';

export type EvidenceWaitEnd = 'evidence' | 'recheck' | 'expired';

/**
 * A verification's wait for evidence: woken by the `evidenceChanged` signal, reminding the
 * partner once per deadline, `reminderDaysBeforeDeadline` before it. Registers the signal's
 * handler when constructed.
 */
export class EvidenceWatch {
  private changed = false;
  private remindedFor = 0;

  constructor(private readonly rules: CompetencyVerificationRules) {
    setHandler(evidenceChangedSignal, () => void (this.changed = true));
  }

  /**
   * Waits for new evidence until the deadline. With `recheck`, also wakes periodically so that
   * evidence whose signal was missed still counts; after a reviewer asked for changes only new
   * evidence resumes the verification.
   */
  async waitUntil(deadlineAt: number, recheck: boolean, remind: () => Promise<void>): Promise<EvidenceWaitEnd> {
    const reminderAt = deadlineAt - this.rules.reminderDaysBeforeDeadline * DAY_MS;
    for (;;) {
      const now = Date.now();
      if (now >= deadlineAt) return 'expired';
      let wakeAt = this.remindedFor !== deadlineAt && now < reminderAt ? reminderAt : deadlineAt;
      if (recheck) wakeAt = Math.min(wakeAt, now + this.rules.recheckHours * HOUR_MS);
      if (await condition(() => this.changed, Math.max(1, wakeAt - now))) {
        this.changed = false;
        return 'evidence';
      }
      if (this.remindedFor !== deadlineAt && Date.now() >= reminderAt) {
        this.remindedFor = deadlineAt;
        await remind();
      }
      if (recheck && Date.now() < deadlineAt) return 'recheck';
    }
  }
}
