import { hashApiKey, issueRandomApiKey, maskApiKey } from '../../lib/api-keys';
import { ConfigError, loadApiConfig, loadWorkerConfig } from '../../lib/config';
import { LEVEL_CODES } from '../../domain/catalog';
import { levelFeeFor } from '../../domain/invoices';
import { validateApplication } from '../../domain/enrollment';
import { awardDate, evidenceActivity, evidenceNaturalKey, nextEvidenceAttempt } from '../../domain/points';
import { readCatalogDocuments } from '../../prisma/seed';
import { sampleApplication } from '../support/fixtures';

describe('application rules', () => {
  const programTerms = { version: 'PPA-1', title: 'Agreement', url: 'https://partners.example/terms/PPA-1' };

  it('accepts a valid application', () => {
    expect(validateApplication(sampleApplication('gold'), { levelCodes: LEVEL_CODES })).toEqual([]);
    expect(
      validateApplication({ ...sampleApplication('gold'), acceptedTermsVersion: 'PPA-1' }, { levelCodes: LEVEL_CODES, programTerms }),
    ).toEqual([]);
  });

  it('refuses a level the catalog does not offer and an office abroad', () => {
    const application = sampleApplication('gold');
    application.primaryLocation.country = 'DE';
    expect(validateApplication(application, { levelCodes: ['registered'] }).map((problem) => problem.code)).toEqual([
      'level_not_offered',
      'country_mismatch',
    ]);
  });

  it('names each further office in another country, and terms not accepted or out of date', () => {
    const application = { ...sampleApplication('registered', 'GB'), acceptedTermsVersion: undefined };
    application.locations = [
      { addressLine1: '2 Mill Lane', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
      { addressLine1: '5 Rue Neuve', city: 'Lille', postalCode: '59000', country: 'FR' },
    ];
    expect(validateApplication(application, { levelCodes: LEVEL_CODES, programTerms })).toEqual([
      expect.objectContaining({ field: 'locations[1].country', code: 'country_mismatch' }),
      expect.objectContaining({ field: 'acceptedTermsVersion', code: 'terms_not_accepted' }),
    ]);
    expect(
      validateApplication({ ...application, locations: [], acceptedTermsVersion: 'PPA-0' }, { levelCodes: LEVEL_CODES, programTerms }),
    ).toEqual([expect.objectContaining({ field: 'acceptedTermsVersion', code: 'terms_version_stale' })]);
  });
});

describe('API keys', () => {
  it('issues unique random keys whose hash is what is stored', () => {
    const first = issueRandomApiKey();
    const second = issueRandomApiKey();
    expect(first.key).not.toBe(second.key);
    expect(first.hash).toBe(hashApiKey(first.key));
    expect(first.hash).not.toContain(first.key);
    expect(first.key.startsWith(`ppk_${first.id}_`)).toBe(true);
  });

  it('shows a key only masked once issued: its id, never its secret part', () => {
    const issued = issueRandomApiKey();
    expect(maskApiKey(issued.id)).toBe(`ppk_${issued.id}_…`);
    expect(issued.key.startsWith(`ppk_${issued.id}_`)).toBe(true);
  });
});

describe('configuration', () => {
  const valid = {
    DATABASE_URL: 'postgresql://u:p@localhost:5432/db',
    ADMIN_API_KEY: 'x'.repeat(32),
    PAYMENT_WEBHOOK_SECRET: 'z'.repeat(40),
    WEBHOOK_SIGNING_KEY: 'w'.repeat(40),
  };

  it('applies defaults', () => {
    expect(loadApiConfig(valid)).toMatchObject({
      port: 3000,
      temporal: { address: 'localhost:7233', namespace: 'default', taskQueue: 'partner-program' },
    });
  });

  it('fails fast naming every bad variable', () => {
    expect(() => loadApiConfig({ ...valid, DATABASE_URL: 'mysql://x', ADMIN_API_KEY: 'short', PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadApiConfig({ DATABASE_URL: 'mysql://x', ADMIN_API_KEY: 'short', PORT: 'eighty' });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['DATABASE_URL', 'ADMIN_API_KEY', 'PAYMENT_WEBHOOK_SECRET', 'WEBHOOK_SIGNING_KEY', 'PORT'])
        expect(message).toContain(name);
    }
  });

  it('reads the rate-limit store and the trusted proxies', () => {
    expect(loadApiConfig(valid)).toMatchObject({ rateLimitStore: 'memory', trustProxy: false });
    expect(loadApiConfig({ ...valid, RATE_LIMIT_STORE: 'postgres', TRUST_PROXY: '2' })).toMatchObject({
      rateLimitStore: 'postgres',
      trustProxy: 2,
    });
    expect(loadApiConfig({ ...valid, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadApiConfig({ ...valid, RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE must be one of memory, postgres/);
    expect(() => loadApiConfig({ ...valid, TRUST_PROXY: 'every$thing' })).toThrow(/TRUST_PROXY/);
  });

  it('links mail to PUBLIC_URL, by default the API on its port', () => {
    const worker = { DATABASE_URL: valid.DATABASE_URL, WEBHOOK_SIGNING_KEY: valid.WEBHOOK_SIGNING_KEY };
    expect(loadWorkerConfig(worker).publicUrl).toBe('http://localhost:3000');
    expect(loadWorkerConfig({ ...worker, PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadWorkerConfig({ ...worker, PUBLIC_URL: 'https://partners.example' }).publicUrl).toBe('https://partners.example');
    expect(() => loadWorkerConfig({ ...worker, PUBLIC_URL: 'partners.example' })).toThrow(/PUBLIC_URL must be a http or https URL/);
  });

  it('signs webhooks under WEBHOOK_SIGNING_KEY and allows plain loopback endpoints only when told', () => {
    expect(loadWorkerConfig({ DATABASE_URL: valid.DATABASE_URL, WEBHOOK_SIGNING_KEY: valid.WEBHOOK_SIGNING_KEY }).webhooks).toEqual({
      signingKey: valid.WEBHOOK_SIGNING_KEY,
      allowLoopbackHttp: false,
      firstRetrySeconds: 60,
    });
    expect(loadApiConfig({ ...valid, WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true' }).webhooks.allowLoopbackHttp).toBe(true);
    expect(() => loadWorkerConfig({ DATABASE_URL: valid.DATABASE_URL, WEBHOOK_SIGNING_KEY: 'short' })).toThrow(
      /WEBHOOK_SIGNING_KEY is required/,
    );
    expect(() => loadApiConfig({ ...valid, WEBHOOK_ALLOW_LOOPBACK_HTTP: 'yes' })).toThrow(/WEBHOOK_ALLOW_LOOPBACK_HTTP/);
  });
});

describe('program catalog seed', () => {
  const [catalog] = readCatalogDocuments();

  it('carries the documented levels, thresholds and 13 competencies', () => {
    expect(catalog.id).toBe('2026.1');
    expect(catalog.levels.map((level) => [level.code, level.minPoints, level.minCompetencies])).toEqual([
      ['registered', 0, 0],
      ['certified', 50, 1],
      ['gold', 120, 1],
    ]);
    expect(catalog.competencies).toHaveLength(13);
    expect(new Set(catalog.competencies.map((c) => c.code)).size).toBe(13);
    expect(catalog.rules).toMatchObject({ pointsWindowDays: 365, renewalWindowOpensDaysBefore: 90, onlineBenefitsGraceDays: 30 });
    const professional = catalog.pointSources.find((source) => source.code === 'certified-professional');
    expect(professional?.rule).toMatchObject({ cap: 40 });
  });

  it('prices fee-bearing levels in integer minor units with a country fallback', () => {
    const certified = catalog.levels.find((level) => level.code === 'certified')!;
    expect(levelFeeFor(certified, 'GB')).toEqual({ amountMinor: 150000, currency: 'USD', taxRateBps: 0 });
    expect(levelFeeFor(catalog.levels[0], 'GB')).toBeUndefined();
  });
});

describe('evidence periods and dates', () => {
  it('keys evidence the program awards per year by the year it is recorded in, so the next year earns again', () => {
    const professional = { personName: 'Grace', email: 'Grace@Partner.example', certificationIds: ['MCSD'] };
    expect(evidenceNaturalKey('certified-professional', professional, '2026-12-02T10:00:00Z')).toBe(
      'certified-professional|grace@partner.example|2026',
    );
    expect(evidenceNaturalKey('certified-professional', professional, '2027-01-02T10:00:00Z')).toBe(
      'certified-professional|grace@partner.example|2027',
    );
    expect(evidenceNaturalKey('small-business-specialist', { memberId: 'SB-1', enrolledAt: '2026-01-10' }, '2027-03-01T00:00:00Z')).toBe(
      'small-business-specialist|2027',
    );
    expect(evidenceNaturalKey('isv-royalty', { agreementId: 'ISV-9' }, '2027-03-01T00:00:00Z')).toBe('isv-royalty|isv-9|2027');
    expect(nextEvidenceAttempt(null)).toBe(1);
    expect(nextEvidenceAttempt({ attempt: 1, status: 'rejected' })).toBe(2);
    expect(nextEvidenceAttempt({ attempt: 2, status: 'expired' })).toBe(3);
    expect(nextEvidenceAttempt({ attempt: 1, status: 'verified' })).toBeNull();
  });

  it('dates an award by its activity, never after its verification, and the period kinds by their period end', () => {
    expect(evidenceActivity('product-sales', { productLine: 'Server', period: '2026-Q3', units: 10 })).toEqual({
      at: '2026-09-30T00:00:00.000Z',
      field: 'period',
    });
    expect(evidenceActivity('product-sales', { productLine: 'Server', period: '2026-02', units: 10 })?.at).toBe('2026-02-28T00:00:00.000Z');
    expect(evidenceActivity('conference', { conferenceYear: 2026, staffAttending: 3 })?.at).toBe('2026-12-31T00:00:00.000Z');
    expect(evidenceActivity('isv-royalty', { agreementId: 'A' })).toBeNull();
    expect(awardDate('2026-09-30T00:00:00.000Z', '2026-12-02T10:00:00.000Z')).toBe('2026-09-30T00:00:00.000Z');
    expect(awardDate('2026-12-31T00:00:00.000Z', '2026-12-02T10:00:00.000Z')).toBe('2026-12-02T10:00:00.000Z');
    expect(awardDate(null, '2026-12-02T10:00:00.000Z')).toBe('2026-12-02T10:00:00.000Z');
  });
});
