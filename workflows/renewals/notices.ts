import type { LevelCode, ProgramTerms } from '../../domain/catalog';
import type { MembershipConsolidation, MembershipWithdrawal, PartnerNotice } from './definitions';

/**
 * What the partner reads at each step of its membership. Pure functions of the facts the
 * workflow holds, so the wording lives apart from the loop that decides when to send it.
 */

/** What an unpaid renewal leads to, in the catalog's words for it. */
export const unpaidConsequence = (unpaidOutcome: 'lapse' | 'downgrade' | undefined): string =>
  unpaidOutcome === 'downgrade' ? 'the next term is at registered' : 'the membership lapses';

export const windowOpenedNotice = (termNumber: number, termEnd: string, decisionAt: string): PartnerNotice => ({
  kind: 'renewal-window-open',
  subject: 'Your renewal window is open',
  body: `Term ${termNumber} ends on ${termEnd}. On ${decisionAt} you are re-qualified and invoiced; you may renew earlier.`,
});

export const renewalInvoicedNotice = (
  renewal: { termNumber: number; termEnd: string; invoiceId: string; level: LevelCode },
  unpaid: { at: string; consequence: string },
): PartnerNotice => ({
  kind: 'renewal-invoiced',
  subject: `Renewal invoice for term ${renewal.termNumber + 1} at ${renewal.level}`,
  body: `Invoice ${renewal.invoiceId} is due on ${renewal.termEnd}, when term ${renewal.termNumber} ends; unpaid on ${unpaid.at}, ${unpaid.consequence}. The next term starts on ${renewal.termEnd}.`,
});

export const renewalReminderNotice = (
  termEnd: string,
  invoice: { id: string; level: LevelCode | null } | null,
  unpaid: { at: string; consequence: string },
): PartnerNotice => ({
  kind: 'renewal-reminder',
  subject: `Your membership ends on ${termEnd}`,
  body: invoice
    ? `Renewal invoice ${invoice.id} at ${invoice.level} is unpaid; unpaid on ${unpaid.at}, ${unpaid.consequence}.`
    : `Your renewal is open: you may renew now, or you are re-qualified and invoiced at the decision point.`,
});

export const graceStartedNotice = (termNumber: number, unpaid: { at: string; consequence: string }): PartnerNotice => ({
  kind: 'renewal-grace',
  subject: `Term ${termNumber} has ended unpaid`,
  body: `Online benefits continue until ${unpaid.at}; unpaid by then, ${unpaid.consequence}.`,
});

export const renewalNotice = (
  daysFromEnd: number,
  invoice: { id: string | null; level: LevelCode },
  unpaid: { at: string; consequence: string },
): PartnerNotice => ({
  kind: 'renewal-notice',
  subject:
    daysFromEnd < 0
      ? `Your membership ends in ${-daysFromEnd} days`
      : daysFromEnd === 0
        ? 'Your membership ends today'
        : `Your membership ended ${daysFromEnd} days ago`,
  body: `Renewal invoice ${invoice.id ?? '(none yet)'} at ${invoice.level} is unpaid; unpaid on ${unpaid.at}, ${unpaid.consequence}.`,
});

export const withdrawnNotice = (withdrawal: MembershipWithdrawal): PartnerNotice => ({
  kind: 'membership-withdrawn',
  subject: 'Your membership has ended',
  body: `Withdrawn: ${withdrawal.reason}`,
});

export const consolidatedNotice = (consolidation: MembershipConsolidation): PartnerNotice => ({
  kind: 'membership-consolidated',
  subject: 'Your membership continues within another partner',
  body: `Consolidation ${consolidation.consolidationId} moved this membership into partner ${consolidation.survivorId}.`,
});

export const unpaidDowngradeNotice: PartnerNotice = {
  kind: 'renewal-unpaid',
  subject: 'Your membership continues at registered',
  body: 'The renewal invoice went unpaid.',
};

export const lapsedNotice = (why = 'The renewal invoice went unpaid past the grace period.'): PartnerNotice => ({
  kind: 'membership-lapsed',
  subject: 'Your membership has lapsed',
  body: why,
});

export const levelChangedNotice = (level: LevelCode, cause: string): PartnerNotice => ({
  kind: 'membership-level-changed',
  subject: `Your membership is now at ${level}`,
  body: cause,
});

export const exceptionGrantedNotice = (keptLevel: LevelCode, reason: string): PartnerNotice => ({
  kind: 'renewal-exception',
  subject: `You keep ${keptLevel} for the next term`,
  body: `An administrator granted an exception: ${reason}`,
});

export const termsRequiredNotice = (terms: ProgramTerms, unpaid: { at: string; consequence: string }): PartnerNotice => ({
  kind: 'renewal-terms-required',
  subject: `Accept the new program terms to renew: ${terms.title}`,
  body: `Your renewal waits for you to accept ${terms.title}, version ${terms.version} (${terms.url}), with POST /v1/partners/{id}/terms. Not accepted by ${unpaid.at}, the membership lapses.`,
});
