import { minorUnits } from '../domain/money';
import { settlementOf, type SettlementState } from '../domain/invoices';
import type { Invoice, Payment } from './database';
import type { PaymentView } from '../workflows/fees/definitions';

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
