import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { STALE_TERMS, validateApplication } from '#domain/enrollment';
import { derivePartnerApiKey } from '#lib/api-keys';
import type { ApiConfig } from '#lib/config';
import { type EnrollmentView, findEnrollment } from '#queries/enrollments';
import { enrollmentWorkflowId } from '#workflows/enrollments/definitions';
import type { enrollmentWorkflow } from '#workflows/enrollments/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { IdempotencyService } from '../common/idempotency.service';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { CreateEnrollmentDto, EnrollmentAcceptedDto } from './enrollments.dto';

type EnrollmentIds = Omit<EnrollmentAcceptedDto, 'apiKey'>;

@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly catalog: CatalogService,
    private readonly idempotency: IdempotencyService,
    private readonly config: ConfigService<ApiConfig, true>,
  ) {}

  async submit(application: CreateEnrollmentDto, idempotencyKey: string | undefined): Promise<EnrollmentAcceptedDto> {
    const catalog = await this.catalog.inForce();
    const problems = validateApplication(application, { levelCodes: catalog.levelCodes, programTerms: catalog.rules.programTerms });
    if (problems.length > 0) {
      // Terms the applicant read but that are no longer in force: a well-formed request the rules refuse.
      if (problems.every((problem) => problem.code === STALE_TERMS)) {
        throw new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          STALE_TERMS,
          'The program terms have changed; accept the version in force',
          problems,
        );
      }
      throw badRequest('The application does not meet the program rules', problems);
    }

    const enrollmentId = randomUUID();
    const fresh: EnrollmentIds = {
      enrollmentId,
      partnerId: randomUUID(),
      workflowId: enrollmentWorkflowId(enrollmentId),
      status: 'submitted',
    };
    const ids = idempotencyKey ? await this.idempotency.reserve('POST /v1/enrollments', idempotencyKey, application, fresh) : fresh;

    const partnerKey = derivePartnerApiKey(this.config.get('apiKeySecret', { infer: true }), ids.enrollmentId);
    // A repeat of a request whose workflow already runs (or ran): the first result stands.
    await this.temporal.startOnce<typeof enrollmentWorkflow>('enrollmentWorkflow', ids.workflowId, [
      {
        enrollmentId: ids.enrollmentId,
        partnerId: ids.partnerId,
        partnerApiKey: { id: partnerKey.id, hash: partnerKey.hash },
        application: { ...application },
      },
    ]);
    return { ...ids, apiKey: partnerKey.key };
  }

  async get(principal: Principal, enrollmentId: string): Promise<EnrollmentView> {
    const enrollment = await findEnrollment(this.prisma, enrollmentId);
    if (!enrollment) throw notFound('Enrollment');
    assertPartnerAccess(principal, enrollment.partnerId, 'Enrollment');
    return enrollment;
  }
}
