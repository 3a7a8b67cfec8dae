import { HttpStatus, Injectable } from '@nestjs/common';
import { STALE_TERMS, validateApplication } from '#domain/enrollment';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { issueRandomApiKey } from '#lib/api-keys';
import { type EnrollmentView, findEnrollment } from '#queries/enrollments';
import { type EnrollmentStatus, enrollmentRecordedUpdate, enrollmentWorkflowId } from '#workflows/enrollments/definitions';
import type { enrollmentWorkflow } from '#workflows/enrollments/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, notFound } from '../common/api-error';
import { uuidFromKey } from '#lib/ids';
import type { IdempotentRequest } from '../common/idempotent';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { CreateEnrollmentDto, EnrollmentAcceptedDto } from './enrollments.dto';

type EnrollmentIds = Pick<EnrollmentAcceptedDto, 'enrollmentId' | 'partnerId' | 'workflowId'>;

@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly catalog: CatalogService,
  ) {}

  async submit(application: CreateEnrollmentDto, idempotency: IdempotentRequest): Promise<EnrollmentAcceptedDto> {
    const catalog = await this.catalog.inForce();
    const problems = validateApplication(application, { levelCodes: catalog.levelCodes, programTerms: catalog.rules.programTerms });
    // A well-formed application the program rules refuse: 422, each problem in `fields` (400 is for what the schema states).
    if (problems.length > 0) {
      // Terms the applicant read but that are no longer in force.
      if (problems.every((problem) => problem.code === STALE_TERMS)) {
        throw new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          STALE_TERMS,
          'The program terms have changed; accept the version in force',
          problems,
        );
      }
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'application_refused',
        'The application does not meet the program rules',
        problems,
      );
    }

    const enrollmentId = await idempotency.requestId();
    const ids: EnrollmentIds = {
      enrollmentId,
      partnerId: uuidFromKey(`partner|${enrollmentId}`),
      workflowId: enrollmentWorkflowId(enrollmentId),
    };

    // The key is random and only its hash travels on; the request that starts the workflow shows it, once.
    const partnerKey = issueRandomApiKey();
    const started = await this.temporal.startOnce<typeof enrollmentWorkflow>('enrollmentWorkflow', ids.workflowId, [
      {
        enrollmentId: ids.enrollmentId,
        partnerId: ids.partnerId,
        partnerApiKey: { id: partnerKey.id, hash: partnerKey.hash },
        application: { ...application },
      },
    ]);
    const status = await this.recordedStatus(ids, started);
    return { ...ids, status: status ?? 'submitted', recorded: status !== null, ...(started ? { apiKey: partnerKey.key } : {}) };
  }

  /**
   * The enrollment's status once the workflow has recorded the partner and its key, so that the
   * answer is usable at once; null when that did not happen within the Temporal deadline.
   */
  private async recordedStatus(ids: EnrollmentIds, started: boolean): Promise<EnrollmentStatus | null> {
    const recorded = started ? null : await findEnrollment(this.prisma, ids.enrollmentId);
    // The column holds only the workflow's statuses.
    if (recorded) return recorded.status as EnrollmentStatus;
    try {
      return await this.temporal.update(ids.workflowId, enrollmentRecordedUpdate, []);
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return null;
      throw error;
    }
  }

  async get(principal: Principal, enrollmentId: string): Promise<EnrollmentView> {
    const enrollment = await findEnrollment(this.prisma, enrollmentId);
    if (!enrollment) throw notFound('Enrollment');
    assertPartnerAccess(principal, enrollment.partnerId, 'Enrollment');
    return enrollment;
  }
}
