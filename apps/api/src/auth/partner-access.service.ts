import { Injectable } from '@nestjs/common';
import { isOpenPartner } from '#domain/partners';
import type { DatabaseReader } from '#lib/database';
import { findPartnerSummary, type PartnerSummary } from '#queries/partners';
import { conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { assertPartnerAccess, type Principal } from './principal';

/** How a route reads the partner it acts on: null when there is no such partner. */
export type PartnerRead<View> = (db: DatabaseReader, partnerId: string) => Promise<View | null>;

/** Access to a partner's resources, decided in one place for every partner-scoped route. */
@Injectable()
export class PartnerAccess {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The partner, when it exists and the principal may act on it: reviewers and admins on any,
   * a partner key on its own. Anything else is the same 404, so nothing about others leaks.
   * A route that needs more than the summary passes its own read, so the partner is read once.
   */
  requirePartner(principal: Principal, partnerId: string): Promise<PartnerSummary>;
  requirePartner<View>(principal: Principal, partnerId: string, read: PartnerRead<View>): Promise<View>;
  async requirePartner(principal: Principal, partnerId: string, read: PartnerRead<unknown> = findPartnerSummary): Promise<unknown> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const partner = await read(this.prisma, partnerId);
    if (!partner) throw notFound('Partner');
    return partner;
  }

  /** The partner, when it is still in the program (pending or active); otherwise 409 `partner_not_open`. */
  async requireOpenPartner(principal: Principal, partnerId: string, doing: string): Promise<PartnerSummary> {
    const partner = await this.requirePartner(principal, partnerId);
    if (!isOpenPartner(partner.status)) throw conflict('partner_not_open', `A ${partner.status} partner cannot ${doing}`);
    return partner;
  }

  /** The partner, when it is active; otherwise 409 `partner_not_active`. */
  async requireActivePartner(principal: Principal, partnerId: string, doing: string): Promise<PartnerSummary> {
    const partner = await this.requirePartner(principal, partnerId);
    if (partner.status !== 'active') throw conflict('partner_not_active', `A ${partner.status} partner cannot ${doing}`);
    return partner;
  }
}
