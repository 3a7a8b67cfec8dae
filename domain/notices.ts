/**
 * Every kind of notice the program sends, who receives it, and whether a partner may mute it.
 * Decisions about the partner and money events are never mutable: a partner that muted its
 * invoice would lapse without hearing why.
 */
export type NoticeAudience = 'partner' | 'reviewers';

export interface NoticeKind {
  audience: NoticeAudience;
  mutable: boolean;
  /** One line for the preferences document: when the notice goes. */
  when: string;
}

const decision = (when: string): NoticeKind => ({ audience: 'partner', mutable: false, when });
const information = (when: string): NoticeKind => ({ audience: 'partner', mutable: true, when });

export const NOTICE_KINDS = {
  'enrollment-received': decision('the enrollment was received and awaits review'),
  'enrollment-approved': decision('a reviewer approved the enrollment'),
  'enrollment-rejected': decision('the enrollment was rejected, by a reviewer or for invalid data'),
  'enrollment-expired': decision('no reviewer decided before the deadline'),
  'invoice-issued': decision('a fee invoice was issued'),
  'invoice-reminder': decision('an invoice is still open as its due date nears'),
  'invoice-overdue': decision('an invoice passed its due date unpaid'),
  'invoice-paid': decision('an invoice was paid in full'),
  'invoice-void': decision('an invoice stayed unpaid to the end of its grace period and is void'),
  'payment-refunded': decision(
    'money the partner paid goes back: a payment that could not be kept, or fees returned on withdrawal or consolidation',
  ),
  'evidence-verified': decision('a reviewer verified evidence, with the points it earns'),
  'evidence-rejected': decision('a reviewer rejected evidence'),
  'competency-evidence-reminder': information('a competency application still waits for evidence'),
  'competency-granted': decision('a competency was granted'),
  'competency-changes-requested': decision('a reviewer asks for more on a competency application'),
  'competency-rejected': decision('a competency application was rejected'),
  'competency-expired': decision('a competency application or grant expired'),
  'competency-revoked': decision('a competency was revoked'),
  'competency-reverified': decision('the renewal re-verified a competency for the next term'),
  'upgrade-approved': decision('an upgrade was approved and the new level holds'),
  'upgrade-rejected': decision('a reviewer rejected an upgrade request'),
  'designation-granted': decision('a designation was granted'),
  'designation-rejected': decision('a reviewer rejected a designation application'),
  'designation-refused': decision('a designation application could not be taken'),
  'designation-expired': decision('a designation application or grant expired'),
  'designation-revoked': decision('a designation was revoked'),
  'designation-reverification-failed': decision('a designation fails its requirements at renewal'),
  'level-downgraded': decision('the partner level went down'),
  'upgrade-available': information('the partner now meets a higher level'),
  'renewal-window-open': information('the renewal window opened'),
  'renewal-invoiced': decision('the renewal fee was invoiced'),
  'renewal-reminder': decision('the membership ends soon and its renewal is not settled'),
  'renewal-grace': decision('the term ended unpaid and the grace period runs'),
  'renewal-notice': decision('the renewal invoice is still unpaid around the end of the term'),
  'renewal-unpaid': decision('the renewal fee stayed unpaid and the membership continues at Registered'),
  'renewal-exception': decision('an administrator granted a renewal exception'),
  'renewal-terms-required': decision('new program terms must be accepted to renew'),
  'membership-started': decision('the first membership term started'),
  'membership-renewed': decision('the membership renewed into its next term'),
  'membership-term-started': information('a membership term began, with the benefits it includes'),
  'renewal-requalified': decision('the renewal decided the level of the next term'),
  'membership-level-changed': decision('the membership renewed at another level'),
  'membership-lapsed': decision('the membership lapsed'),
  'membership-withdrawn': decision('the membership ended with the withdrawal'),
  'membership-consolidated': decision('the membership ended in a consolidation'),
  'consolidation-consent-requested': decision('another partner asks to absorb this one'),
  'consolidation-consented': decision('the partner to be absorbed consented, and a reviewer decides next'),
  'consolidation-completed': decision('a consolidation completed'),
  'support-incident-in-progress': information('staff took a support incident on'),
  'support-incident-resolved': information('a support incident was resolved'),
  'channel-offer-message': information('another partner answered a channel offer'),
  'review-task': { audience: 'reviewers', mutable: false, when: 'a review task opened (to the reviewers of its kind)' },
  'review-reminder': { audience: 'reviewers', mutable: false, when: 'a review task nears its deadline' },
} as const satisfies Record<string, NoticeKind>;

export type NoticeKindCode = keyof typeof NOTICE_KINDS;
/** The events a process names its notices by: `NoticeEventsOf<'designation'>` is 'granted' | 'revoked' | … */
export type NoticeEventsOf<Prefix extends string> = {
  [Kind in NoticeKindCode]: Kind extends `${Prefix}-${infer Event}` ? Event : never;
}[NoticeKindCode];

export const MUTABLE_NOTICE_KINDS = Object.entries(NOTICE_KINDS)
  .filter(([, kind]) => kind.mutable)
  .map(([code]) => code as NoticeKindCode);

export const isMutableNotice = (kind: string): boolean => (MUTABLE_NOTICE_KINDS as string[]).includes(kind);

/** Every kind a partner hears of: what its webhook endpoints may subscribe to. */
export const PARTNER_NOTICE_KIND_CODES = Object.entries(NOTICE_KINDS)
  .filter(([, kind]) => kind.audience === 'partner')
  .map(([code]) => code as NoticeKindCode);
