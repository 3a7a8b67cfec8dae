import { randomUUID } from 'node:crypto';
import type { EnrollmentApplication } from '../../domain/enrollment';
import type { LevelCode } from '../../domain/catalog';
import type { MailMessage, Mailer } from '../../activities/mailer';
import { createPrismaClient, type PrismaClient } from '../../lib/database';

export function testPrisma(databaseUrl = process.env.DATABASE_URL!): PrismaClient {
  return createPrismaClient(databaseUrl, 4);
}

/** A valid application; every call names a different organization. */
export function sampleApplication(level: LevelCode = 'registered', country = 'GB'): EnrollmentApplication {
  const tag = randomUUID().slice(0, 8);
  return {
    organization: {
      legalName: `Contoso ${tag} Ltd`,
      country,
      website: `https://contoso-${tag}.example`,
      industries: ['retail'],
      customerSizes: ['small-business'],
      technologies: ['sql-server'],
    },
    primaryLocation: { addressLine1: '1 High Street', city: 'London', postalCode: 'EC1A 1BB', country },
    contact: { name: 'Ada Lovelace', email: `ada-${tag}@contoso.example` },
    requestedLevel: level,
  };
}

/** A real Mailer implementation that keeps messages in memory for assertions. */
export class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}
