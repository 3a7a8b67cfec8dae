import { derivePartnerApiKey, hashApiKey, issueRandomApiKey } from '../../lib/api-keys';
import { ConfigError, loadApiConfig } from '../../lib/config';
import { LEVEL_CODES } from '../../domain/catalog';
import { levelFeeFor } from '../../domain/invoices';
import { validateApplication } from '../../domain/enrollment';
import { readCatalogDocuments } from '../../prisma/seed';
import { sampleApplication } from '../support/fixtures';

describe('application rules', () => {
  it('accepts a valid application', () => {
    expect(validateApplication(sampleApplication('gold'), LEVEL_CODES)).toEqual([]);
  });

  it('refuses a level the catalog does not offer and an office abroad', () => {
    const application = sampleApplication('gold');
    application.primaryLocation.country = 'DE';
    expect(validateApplication(application, ['registered']).map((problem) => problem.code)).toEqual([
      'level_not_offered',
      'country_mismatch',
    ]);
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

  it('derives the same partner key for the same enrollment, and a different one otherwise', () => {
    const secret = 'a'.repeat(40);
    expect(derivePartnerApiKey(secret, 'e1')).toEqual(derivePartnerApiKey(secret, 'e1'));
    expect(derivePartnerApiKey(secret, 'e1').key).not.toBe(derivePartnerApiKey(secret, 'e2').key);
    expect(derivePartnerApiKey(secret, 'e1').key).not.toBe(derivePartnerApiKey('b'.repeat(40), 'e1').key);
  });
});

describe('configuration', () => {
  const valid = {
    DATABASE_URL: 'postgresql://u:p@localhost:5432/db',
    ADMIN_API_KEY: 'x'.repeat(32),
    API_KEY_SECRET: 'y'.repeat(40),
    PAYMENT_WEBHOOK_SECRET: 'z'.repeat(40),
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
      for (const name of ['DATABASE_URL', 'ADMIN_API_KEY', 'API_KEY_SECRET', 'PORT']) expect(message).toContain(name);
    }
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
