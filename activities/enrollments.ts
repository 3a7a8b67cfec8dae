import type { ApplicationProblem } from '../domain/enrollment';
import type { Prisma, TransactionClient } from '../lib/database';
import { apiKeyAuditEntry } from '../lib/api-keys';
import { uuidFromKey } from '../lib/ids';
import { ENROLLMENT_STEPS, type EnrollmentInput, type EnrollmentTransition, type StepUpdate } from '../workflows/enrollments/definitions';
import { type AuditEntry, recordAudit } from '../lib/audit';
import type { ActivityDeps } from './deps';

export interface RegisterApplicantInput extends EnrollmentInput {
  workflowId: string;
  primaryLocationId: string;
  catalogVersionId: string;
  /** Empty when the application passed validation. */
  problems: ApplicationProblem[];
}

async function upsertSteps(tx: TransactionClient, enrollmentId: string, steps: StepUpdate[], at: Date): Promise<void> {
  for (const step of steps) {
    const data = { status: step.status, detail: step.detail ?? null, at };
    await tx.enrollmentStep.upsert({
      where: { enrollmentId_name: { enrollmentId, name: step.name } },
      create: { enrollmentId, name: step.name, position: ENROLLMENT_STEPS.indexOf(step.name), ...data },
      update: data,
    });
  }
}

/**
 * The partner an application describes, with its offices (the primary and any others enrolled
 * with it), the terms it accepted and its API key (only the hash).
 */
function newPartner(input: RegisterApplicantInput, status: 'pending' | 'rejected', at: Date) {
  const { application } = input;
  return {
    id: input.partnerId,
    legalName: application.organization.legalName,
    country: application.organization.country,
    website: application.organization.website,
    industries: application.organization.industries,
    customerSizes: application.organization.customerSizes,
    technologies: application.organization.technologies,
    contactName: application.contact.name,
    contactEmail: application.contact.email,
    level: 'registered',
    status,
    catalogVersionId: input.catalogVersionId,
    termsVersion: application.acceptedTermsVersion ?? null,
    termsAcceptedAt: application.acceptedTermsVersion ? at : null,
    locations: {
      create: [
        { id: input.primaryLocationId, isPrimary: true, ...application.primaryLocation, createdAt: at },
        // Ids from the partner and the office's place in the request: a retry writes the same offices.
        ...(application.locations ?? []).map((office, index) => ({
          id: uuidFromKey(`office|${input.partnerId}|enrollment|${index}`),
          isPrimary: false,
          ...office,
          // A millisecond apart, so the offices list in the order the application gave them.
          createdAt: new Date(at.getTime() + index + 1),
        })),
      ],
    },
    apiKeys: {
      create: {
        id: input.partnerApiKey.id,
        hash: input.partnerApiKey.hash,
        role: 'partner',
        name: `${application.organization.legalName} partner key`,
      },
    },
  } satisfies Prisma.PartnerUncheckedCreateInput;
}

export function createEnrollmentActivities({ prisma, clock }: ActivityDeps) {
  return {
    /**
     * Records the partner, its offices (the primary and any others enrolled with it), the terms it
     * accepted, its API key and the enrollment, all or nothing.
     */
    async registerApplicant(input: RegisterApplicantInput): Promise<void> {
      const at = clock.now();
      const { application } = input;
      const rejected = input.problems.length > 0;
      const reason = rejected ? input.problems.map((p) => `${p.field}: ${p.reason}`).join('; ') : null;
      await prisma.$transaction(async (tx) => {
        if (await tx.enrollment.findUnique({ where: { id: input.enrollmentId }, select: { id: true } })) return;
        await tx.partner.create({ data: newPartner(input, rejected ? 'rejected' : 'pending', at) });
        await tx.enrollment.create({
          data: {
            id: input.enrollmentId,
            partnerId: input.partnerId,
            workflowId: input.workflowId,
            requestedLevel: application.requestedLevel,
            status: rejected ? 'rejected' : 'submitted',
            statusReason: reason,
            catalogVersionId: input.catalogVersionId,
          },
        });
        await upsertSteps(
          tx,
          input.enrollmentId,
          [
            {
              name: 'validate',
              status: rejected ? 'failed' : 'completed',
              detail:
                reason ?? (application.acceptedTermsVersion ? `program terms ${application.acceptedTermsVersion} accepted` : undefined),
            },
            { name: 'record', status: 'completed' },
          ],
          at,
        );
        await recordAudit(tx, at, [
          {
            dedupeKey: `${input.workflowId}:enrollment.submitted`,
            actor: 'system',
            entityType: 'enrollment',
            entityId: input.enrollmentId,
            action: 'enrollment.submitted',
            after: { status: 'submitted', requestedLevel: application.requestedLevel, partnerId: input.partnerId },
          },
          apiKeyAuditEntry(input.partnerApiKey.id, 'issued', 'system', { role: 'partner', partnerId: input.partnerId }),
          ...(rejected
            ? [
                {
                  dedupeKey: `${input.workflowId}:enrollment.rejected`,
                  actor: 'system',
                  entityType: 'enrollment',
                  entityId: input.enrollmentId,
                  action: 'enrollment.rejected',
                  before: { status: 'submitted' },
                  after: { status: 'rejected', reason },
                },
              ]
            : []),
        ]);
      });
    },

    /** Moves the enrollment (and optionally the partner) to a new status, with its audit trail. */
    async transitionEnrollment(transition: EnrollmentTransition): Promise<void> {
      const at = clock.now();
      await prisma.$transaction(async (tx) => {
        const enrollment = await tx.enrollment.findUniqueOrThrow({ where: { id: transition.enrollmentId } });
        await tx.enrollment.update({
          where: { id: transition.enrollmentId },
          data: { status: transition.status, statusReason: transition.reason ?? null },
        });
        await upsertSteps(tx, transition.enrollmentId, transition.steps, at);
        const audit: AuditEntry[] = [
          {
            dedupeKey: `${transition.workflowId}:${transition.action}`,
            actor: transition.actor,
            entityType: 'enrollment',
            entityId: transition.enrollmentId,
            action: transition.action,
            before: { status: enrollment.status },
            after: { status: transition.status, ...(transition.reason ? { reason: transition.reason } : {}) },
          },
        ];
        if (transition.partner) {
          const partner = await tx.partner.findUniqueOrThrow({ where: { id: transition.partnerId } });
          const level = transition.partner.level ?? partner.level;
          await tx.partner.update({
            where: { id: transition.partnerId },
            data: {
              status: transition.partner.status,
              level,
              ...(transition.partner.activated && !partner.activatedAt ? { activatedAt: at } : {}),
              ...(transition.partner.targetLevel ? { targetLevel: transition.partner.targetLevel } : {}),
            },
          });
          audit.push({
            dedupeKey: `${transition.workflowId}:${transition.action}:partner`,
            actor: transition.actor,
            entityType: 'partner',
            entityId: transition.partnerId,
            action: `partner.${transition.partner.status}`,
            before: { status: partner.status, level: partner.level },
            after: {
              status: transition.partner.status,
              level,
              ...(transition.partner.targetLevel ? { targetLevel: transition.partner.targetLevel } : {}),
            },
          });
        }
        await recordAudit(tx, at, audit);
      });
    },
  };
}
