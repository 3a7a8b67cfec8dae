import type { ApplicationProblem } from '../domain/enrollment';
import type { Prisma, TransactionClient } from '../lib/database';
import { apiKeyAuditEntry } from '../lib/api-keys';
import { uuidFromKey } from '../lib/ids';
import {
  ENROLLMENT_STEPS,
  type EnrollmentInput,
  type EnrollmentStatus,
  type EnrollmentTransition,
  type StepUpdate,
} from '../workflows/enrollments/definitions';
import { recordAudit } from '../lib/audit';
import type { ActivityDeps } from './deps';
import { refreshDirectoryListing } from './directory';

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

/** The partner's move out of `pending`, audited; false when it is no longer pending. */
async function movePendingPartner(tx: TransactionClient, transition: EnrollmentTransition, at: Date): Promise<boolean> {
  const change = transition.partner!;
  const partner = await tx.partner.findUniqueOrThrow({ where: { id: transition.partnerId } });
  const level = change.level ?? partner.level;
  const { count } = await tx.partner.updateMany({
    where: { id: transition.partnerId, status: 'pending' },
    data: {
      status: change.status,
      level,
      ...(change.activated && !partner.activatedAt ? { activatedAt: at } : {}),
      ...(change.targetLevel ? { targetLevel: change.targetLevel } : {}),
    },
  });
  if (count === 0) return false;
  await refreshDirectoryListing(tx, transition.partnerId, at);
  await recordAudit(tx, at, [
    {
      dedupeKey: `${transition.workflowId}:${transition.action}:partner`,
      actor: transition.actor,
      entityType: 'partner',
      entityId: transition.partnerId,
      action: `partner.${change.status}`,
      before: { status: partner.status, level: partner.level },
      after: { status: change.status, level, ...(change.targetLevel ? { targetLevel: change.targetLevel } : {}) },
    },
  ]);
  return true;
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

    /**
     * Moves the enrollment (and optionally its pending partner) to a new status, with its audit
     * trail, and answers the status recorded. A partner moves only from `pending`: one that left
     * the program meanwhile (withdrew) stays as it is, and its enrollment closes `withdrawn`.
     */
    async transitionEnrollment(transition: EnrollmentTransition): Promise<EnrollmentStatus> {
      const at = clock.now();
      return prisma.$transaction(async (tx) => {
        const enrollment = await tx.enrollment.findUniqueOrThrow({ where: { id: transition.enrollmentId } });
        // A retry of a transition already recorded, or an enrollment already closed by a withdrawal.
        if (enrollment.status === transition.status || enrollment.status === 'withdrawn') return enrollment.status as EnrollmentStatus;
        const partnerMoved = transition.partner ? await movePendingPartner(tx, transition, at) : true;
        const recorded: Pick<EnrollmentTransition, 'status' | 'action' | 'reason' | 'steps'> = partnerMoved
          ? transition
          : {
              status: 'withdrawn',
              action: 'enrollment.withdrawn',
              reason: 'The partner left the program before its enrollment ended',
              steps: [],
            };
        await tx.enrollment.update({
          where: { id: transition.enrollmentId },
          data: { status: recorded.status, statusReason: recorded.reason ?? null },
        });
        await upsertSteps(tx, transition.enrollmentId, recorded.steps, at);
        await recordAudit(tx, at, [
          {
            dedupeKey: `${transition.workflowId}:${recorded.action}`,
            actor: transition.actor,
            entityType: 'enrollment',
            entityId: transition.enrollmentId,
            action: recorded.action,
            before: { status: enrollment.status },
            after: { status: recorded.status, ...(recorded.reason ? { reason: recorded.reason } : {}) },
          },
        ]);
        return recorded.status;
      });
    },
  };
}
