import { HttpStatus, Injectable } from '@nestjs/common';
import { findMembership, listRenewals, partnersWithMembership } from '#queries/renewals';
import {
  grantRenewalExceptionUpdate,
  type MembershipState,
  membershipWorkflowId,
  remindRenewalUpdate,
  renewNowUpdate,
} from '#workflows/renewals/definitions';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { badRequest, notFound } from '../common/api-error';
import { describeError } from '../common/api-exception.filter';
import { pageRequest, pageResponse } from '../common/pagination';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { BulkItemResultDto, BulkRenewalActionDto, BulkRenewalResultDto, ListRenewalsQuery, RenewalPageDto } from './renewals.dto';

/** How many memberships a bulk action works on at once: enough to be quick, few enough to spare the cluster. */
const BULK_CONCURRENCY = 16;

/**
 * Renewals: reads come from the membership rows the workflows keep; every action goes to the
 * partner's own membership workflow, which decides whether it applies now.
 */
@Injectable()
export class RenewalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
  ) {}

  async list(query: ListRenewalsQuery): Promise<RenewalPageDto> {
    const filter = {
      status: query.status,
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
    };
    return pageResponse(await listRenewals(this.prisma, filter, pageRequest(query)));
  }

  /** Early renewal, inside the window: re-qualify and invoice now; the next term still starts at the current end. */
  async renewNow(principal: Principal, partnerId: string): Promise<MembershipState> {
    await this.access.requirePartner(principal, partnerId);
    if (!(await findMembership(this.prisma, partnerId))) throw notFound('Membership');
    return this.temporal.update(membershipWorkflowId(partnerId), renewNowUpdate, [{ requestedBy: principal.keyId }]);
  }

  /** Applies one action to each membership and reports each item as its own request would have answered. */
  async bulk(principal: Principal, body: BulkRenewalActionDto): Promise<BulkRenewalResultDto> {
    const reason = body.reason?.trim() ?? '';
    if (body.action === 'grant_exception' && !reason) {
      throw badRequest('The request is not valid', [
        { field: 'reason', reason: 'is required to grant an exception', code: 'reason_required' },
      ]);
    }
    const known = await partnersWithMembership(this.prisma, body.partnerIds);
    const apply = async (partnerId: string): Promise<BulkItemResultDto> => {
      if (!known.has(partnerId)) return { partnerId, outcome: 'not_found', code: 'not_found', message: 'No membership for this partner' };
      try {
        const workflowId = membershipWorkflowId(partnerId);
        const state =
          body.action === 'remind'
            ? await this.temporal.update(workflowId, remindRenewalUpdate, [{ requestedBy: principal.keyId }])
            : await this.temporal.update(workflowId, grantRenewalExceptionUpdate, [{ actor: principal.keyId, reason }]);
        return { partnerId, outcome: 'done', status: state.status };
      } catch (error) {
        const [status, described] = describeError(error);
        if (status >= HttpStatus.INTERNAL_SERVER_ERROR) throw error;
        return {
          partnerId,
          outcome: status === HttpStatus.NOT_FOUND ? 'not_found' : 'refused',
          code: described.code,
          message: described.message,
        };
      }
    };
    const results: BulkItemResultDto[] = [];
    for (let start = 0; start < body.partnerIds.length; start += BULK_CONCURRENCY) {
      results.push(...(await Promise.all(body.partnerIds.slice(start, start + BULK_CONCURRENCY).map(apply))));
    }
    const summary = { done: 0, refused: 0, not_found: 0 };
    for (const result of results) summary[result.outcome] += 1;
    return { results, summary };
  }
}
