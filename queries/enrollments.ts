import type { DatabaseReader } from '../lib/database';
import { latestInvoiceFor } from './payments';

export const ENROLLMENT_PAYMENT_STATES = ['awaiting', 'paid', 'overdue', 'void'] as const;
export type EnrollmentPaymentState = (typeof ENROLLMENT_PAYMENT_STATES)[number];

/** How an enrollment's invoice reads on its timeline. */
const PAYMENT_STATE: Record<string, EnrollmentPaymentState> = {
  open: 'awaiting',
  overdue: 'overdue',
  paid: 'paid',
  void: 'void',
  refunded: 'void',
};

export interface EnrollmentStepView {
  name: string;
  status: string;
  detail: string | null;
  at: string;
}

export interface EnrollmentView {
  id: string;
  partnerId: string;
  workflowId: string;
  requestedLevel: string;
  status: string;
  statusReason: string | null;
  steps: EnrollmentStepView[];
  /** The enrollment fee's invoice: null when the level has no fee or none was issued yet. */
  payment: { status: EnrollmentPaymentState; invoiceId: string; invoiceNumber: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** An enrollment with its timeline, in the order a partner goes through it, and its fee. */
export async function findEnrollment(db: DatabaseReader, enrollmentId: string): Promise<EnrollmentView | null> {
  const [enrollment, invoice] = await Promise.all([
    db.enrollment.findUnique({ where: { id: enrollmentId }, include: { steps: { orderBy: { position: 'asc' } } } }),
    latestInvoiceFor(db, enrollmentId, 'enrollment'),
  ]);
  return (
    enrollment && {
      id: enrollment.id,
      partnerId: enrollment.partnerId,
      workflowId: enrollment.workflowId,
      requestedLevel: enrollment.requestedLevel,
      status: enrollment.status,
      statusReason: enrollment.statusReason,
      steps: enrollment.steps.map((step) => ({ name: step.name, status: step.status, detail: step.detail, at: step.at.toISOString() })),
      payment: invoice && { status: PAYMENT_STATE[invoice.status] ?? 'void', invoiceId: invoice.id, invoiceNumber: invoice.number },
      createdAt: enrollment.createdAt.toISOString(),
      updatedAt: enrollment.updatedAt.toISOString(),
    }
  );
}
