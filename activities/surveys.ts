import { randomBytes, randomUUID } from 'node:crypto';
import { isInWindow, measureSatisfaction, partnerDomains } from '../domain/points';
import { DAY_MS } from '../domain/time';
import { hashApiKey } from '../lib/api-keys';
import { type SurveyAnswer, type SurveyAnswerResult, type SurveyInput, surveyWorkflowId } from '../workflows/surveys/definitions';
import { recordAudit } from '../lib/audit';
import { catalogInForce } from './catalog';
import { type ActivityDeps, DEFAULT_PUBLIC_URL } from './deps';
import { MailTemplates } from './mail-templates';

const CSI_SOURCE = 'customer-satisfaction';

/** The survey page's address for a token. The token rides in the fragment, which browsers never send: no server log sees it. */
export const surveyLink = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/survey#token=${token}`;

export function createSurveyActivities({ prisma, clock, mailer, publicUrl = DEFAULT_PUBLIC_URL }: ActivityDeps) {
  const templates = new MailTemplates();
  return {
    /**
     * Creates the token here, stores only its hash and mails the survey page's link with it to
     * the customer, so it never enters workflow history or reaches the partner. A retry after a
     * failed send mints a fresh token; the unsent one was never usable anyway.
     */
    async sendSurveyInvitation(input: SurveyInput & { expiresAt: string }): Promise<void> {
      const existing = await prisma.surveyInvitation.findUnique({ where: { id: input.invitationId } });
      if (existing?.status === 'sent') return;
      const token = randomBytes(24).toString('base64url');
      const at = clock.now();
      const data = { tokenHash: hashApiKey(token), status: 'pending_send', expiresAt: new Date(input.expiresAt) };
      await prisma.surveyInvitation.upsert({
        where: { id: input.invitationId },
        create: {
          id: input.invitationId,
          partnerId: input.partnerId,
          customerEmail: input.customerEmail,
          workflowId: surveyWorkflowId(input.invitationId),
          scores: [],
          createdAt: at,
          ...data,
        },
        update: data,
      });
      const partner = await prisma.partner.findUniqueOrThrow({ where: { id: input.partnerId }, select: { legalName: true } });
      const mail = templates.render('survey-invitation', {
        customerName: input.customerName,
        partnerName: partner.legalName,
        link: surveyLink(publicUrl, token),
        expiresOn: input.expiresAt.slice(0, 10),
      });
      await mailer.send({ to: input.customerEmail, subject: mail.subject, body: mail.text, html: mail.html });
      await prisma.surveyInvitation.update({ where: { id: input.invitationId }, data: { status: 'sent' } });
    },

    /**
     * Stores the answer, measures satisfaction over the answers in the points window (not the
     * partner's own) and, the first time in the window it earns the catalog's points (index at
     * the bar, enough customer organizations), awards them. A per-partner advisory lock keeps two
     * simultaneous answers from awarding twice.
     */
    async recordSurveyAnswer(input: SurveyAnswer & { invitationId: string; partnerId: string }): Promise<SurveyAnswerResult> {
      const at = clock.now();
      const catalog = await catalogInForce(prisma, at);
      const source = catalog.pointSources.find((candidate) => candidate.code === CSI_SOURCE);
      const rule = catalog.rules.customerSatisfaction;
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${input.partnerId}))`;
        await tx.surveyInvitation.updateMany({
          where: { id: input.invitationId, status: 'sent' },
          data: { status: 'answered', scores: input.scores, comment: input.comment, answeredAt: at },
        });
        if (!source) return { customerSatisfactionIndex: null, pointsAwarded: 0 };
        const windowStart = new Date(at.getTime() - (source.windowDays + 1) * DAY_MS);
        const [answered, partner] = await Promise.all([
          tx.surveyInvitation.findMany({
            where: { partnerId: input.partnerId, status: 'answered', answeredAt: { gte: windowStart } },
            select: { scores: true, answeredAt: true, customerEmail: true },
          }),
          tx.partner.findUniqueOrThrow({ where: { id: input.partnerId }, select: { website: true, contactEmail: true } }),
        ]);
        const inWindow = answered.filter((row) => isInWindow(row.answeredAt!.toISOString(), at.toISOString(), source.windowDays));
        const measure = measureSatisfaction(inWindow, partnerDomains(partner), rule);
        const index = measure.index;
        const awards = await tx.pointEntry.findMany({
          where: { partnerId: input.partnerId, sourceCode: CSI_SOURCE, kind: 'award', occurredAt: { gte: windowStart } },
        });
        const alreadyAwarded = awards.some((award) => isInWindow(award.occurredAt.toISOString(), at.toISOString(), source.windowDays));
        const points = typeof source.rule.points === 'number' ? source.rule.points : 0;
        if (!measure.earnsPoints || alreadyAwarded || points === 0) return { customerSatisfactionIndex: index, pointsAwarded: 0 };
        await tx.pointEntry.create({
          data: {
            id: randomUUID(),
            dedupeKey: `csi:${input.invitationId}:award`,
            partnerId: input.partnerId,
            sourceCode: CSI_SOURCE,
            kind: 'award',
            points,
            catalogVersionId: catalog.catalogVersionId,
            reason: `Customer Satisfaction Index ${index} from ${measure.responses} answers by ${measure.organizations} customer organizations`,
            occurredAt: at,
            recordedAt: at,
          },
        });
        await recordAudit(tx, at, [
          {
            dedupeKey: `csi:${input.invitationId}:award`,
            actor: 'system',
            entityType: 'partner',
            entityId: input.partnerId,
            action: 'points.customer_satisfaction_awarded',
            after: { index, points },
          },
        ]);
        return { customerSatisfactionIndex: index, pointsAwarded: points };
      });
    },

    async expireSurveyInvitation(invitationId: string): Promise<void> {
      await prisma.surveyInvitation.updateMany({
        where: { id: invitationId, status: { in: ['sent', 'pending_send'] } },
        data: { status: 'expired' },
      });
    },
  };
}
