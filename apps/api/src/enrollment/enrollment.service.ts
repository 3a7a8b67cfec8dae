import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { derivePartnerApiKey } from '../../../../lib/api-keys';
import { findCatalogInForce } from '../../../../lib/catalog';
import { invoiceNumber } from '../../../../lib/invoice-view';
import type { ApiConfig } from '../../../../lib/config';
import { validateApplication } from '../../../../domain/enrollment';
import type { enrollmentWorkflow } from '../../../../workflows/enrollment/workflow';
import { enrollmentWorkflowId } from '../../../../workflows/enrollment/definitions';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { IdempotencyService } from '../common/idempotency.service';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { CreateEnrollmentDto, EnrollmentAcceptedDto, EnrollmentDto, EnrollmentPaymentDto } from './enrollment.dto';

type EnrollmentIds = Omit<EnrollmentAcceptedDto, 'apiKey'>;

/** How an enrollment's invoice reads on its timeline. */
const PAYMENT_STATE: Record<string, EnrollmentPaymentDto['status']> = {
  open: 'awaiting',
  overdue: 'overdue',
  paid: 'paid',
  void: 'void',
  refunded: 'void',
};

@Injectable()
export class EnrollmentService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly idempotency: IdempotencyService,
    private readonly config: ConfigService<ApiConfig, true>,
  ) {}

  async submit(application: CreateEnrollmentDto, idempotencyKey: string | undefined): Promise<EnrollmentAcceptedDto> {
    const catalog = await findCatalogInForce(this.prisma, new Date());
    if (!catalog) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'catalog_unavailable', 'No program catalog is in force yet');
    const problems = validateApplication(application, catalog.levelCodes);
    if (problems.length > 0) throw badRequest('The application does not meet the program rules', problems);

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

  async get(principal: Principal, enrollmentId: string): Promise<EnrollmentDto> {
    const enrollment = await this.prisma.enrollment.findUnique({
      where: { id: enrollmentId },
      include: { steps: { orderBy: { position: 'asc' } } },
    });
    if (!enrollment) throw notFound('Enrollment');
    assertPartnerAccess(principal, enrollment.partnerId, 'Enrollment');
    const invoice = await this.prisma.invoice.findFirst({
      where: { subjectId: enrollment.id, purpose: 'enrollment' },
      orderBy: { issuedAt: 'desc' },
    });
    return {
      id: enrollment.id,
      partnerId: enrollment.partnerId,
      workflowId: enrollment.workflowId,
      requestedLevel: enrollment.requestedLevel,
      status: enrollment.status,
      statusReason: enrollment.statusReason,
      steps: enrollment.steps.map((step) => ({ name: step.name, status: step.status, detail: step.detail, at: step.at.toISOString() })),
      payment: invoice && { status: PAYMENT_STATE[invoice.status] ?? 'void', invoiceId: invoice.id, invoiceNumber: invoiceNumber(invoice) },
      createdAt: enrollment.createdAt.toISOString(),
      updatedAt: enrollment.updatedAt.toISOString(),
    };
  }
}
