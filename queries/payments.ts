import { settlementOf, type SettlementState } from '../domain/invoices';
import { minorUnits } from '../domain/money';
import type { DatabaseReader, Invoice, Payment } from '../lib/database';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

export interface PaymentView {
  id: string;
  invoiceId: string | null;
  provider: string;
  externalId: string;
  kind: string;
  amountMinor: number;
  currency: string;
  reference: string | null;
  status: string;
  statusReason: string | null;
  receivedAt: string;
}

export interface InvoiceView {
  id: string;
  number: string;
  partnerId: string;
  purpose: string;
  subjectId: string;
  status: string;
  settlement: SettlementState;
  currency: string;
  lines: unknown;
  subtotalMinor: number;
  taxRateBps: number;
  taxMinor: number;
  totalMinor: number;
  paidMinor: number;
  balanceMinor: number;
  catalogVersionId: string;
  issuedAt: string;
  dueAt: string;
  paidAt: string | null;
  closedAt: string | null;
  payments: PaymentView[];
}

export const invoiceNumber = (invoice: { sequence: number; issuedAt: Date }): string =>
  `INV-${invoice.issuedAt.getUTCFullYear()}-${String(invoice.sequence).padStart(6, '0')}`;

export function toPaymentView(row: Payment): PaymentView {
  return {
    id: row.id,
    invoiceId: row.invoiceId,
    provider: row.provider,
    externalId: row.externalId,
    kind: row.kind,
    amountMinor: row.amountMinor,
    currency: row.currency,
    reference: row.reference,
    status: row.status,
    statusReason: row.statusReason,
    receivedAt: row.receivedAt.toISOString(),
  };
}

export function toInvoiceView(row: Invoice, payments: Payment[] = []): InvoiceView {
  const { balanceMinor, state } = settlementOf(minorUnits(row.totalMinor), minorUnits(row.paidMinor));
  return {
    id: row.id,
    number: invoiceNumber(row),
    partnerId: row.partnerId,
    purpose: row.purpose,
    subjectId: row.subjectId,
    status: row.status,
    settlement: state,
    currency: row.currency,
    lines: row.lines,
    subtotalMinor: row.subtotalMinor,
    taxRateBps: row.taxRateBps,
    taxMinor: row.taxMinor,
    totalMinor: row.totalMinor,
    paidMinor: row.paidMinor,
    balanceMinor,
    catalogVersionId: row.catalogVersionId,
    issuedAt: row.issuedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    payments: payments.map(toPaymentView),
  };
}

/** Invoices that still wait for money. */
export const OPEN_INVOICE_STATUSES = ['open', 'overdue'];

const withPayments = { payments: { orderBy: { receivedAt: 'asc' as const } } };

/** A page of a partner's invoices with their payments, newest first. */
export async function listInvoices(db: DatabaseReader, partnerId: string, page: PageRequest): Promise<KeysetPage<InvoiceView>> {
  const keyset = keysetQuery(page, 'issuedAt', 'id', 'desc');
  const invoices = await db.invoice.findMany({
    where: { AND: [{ partnerId }, keyset.where] },
    include: withPayments,
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(invoices, (invoice) => toInvoiceView(invoice, invoice.payments));
}

export async function findInvoice(db: DatabaseReader, invoiceId: string): Promise<InvoiceView | null> {
  const invoice = await db.invoice.findUnique({ where: { id: invoiceId }, include: withPayments });
  return invoice && toInvoiceView(invoice, invoice.payments);
}

/** The latest invoice issued for a subject (an enrollment, an upgrade request) and purpose. */
export async function latestInvoiceFor(db: DatabaseReader, subjectId: string, purpose: string): Promise<InvoiceView | null> {
  const invoice = await db.invoice.findFirst({ where: { subjectId, purpose }, orderBy: { issuedAt: 'desc' } });
  return invoice && toInvoiceView(invoice);
}

/** The fee-payment workflows of a partner's invoices that still wait for money. */
export async function openInvoiceWorkflowIds(db: DatabaseReader, partnerId: string): Promise<string[]> {
  const open = await db.invoice.findMany({ where: { partnerId, status: { in: OPEN_INVOICE_STATUSES } }, select: { workflowId: true } });
  return open.map((invoice) => invoice.workflowId);
}

/** Payments applied to a partner's invoices that were paid in full between `since` and `until`, oldest first. */
export async function paymentsOnInvoicesPaidBetween(db: DatabaseReader, partnerId: string, since: Date, until: Date): Promise<string[]> {
  const payments = await db.payment.findMany({
    where: { kind: 'payment', status: 'applied', invoice: { partnerId, status: 'paid', paidAt: { gte: since, lte: until } } },
    select: { id: true },
    orderBy: { receivedAt: 'asc' },
  });
  return payments.map((payment) => payment.id);
}

/** A payment by the provider's own id for it. */
export async function findPaymentByExternalId(db: DatabaseReader, provider: string, externalId: string): Promise<PaymentView | null> {
  const payment = await db.payment.findUnique({ where: { provider_externalId: { provider, externalId } } });
  return payment && toPaymentView(payment);
}
