import { describeError } from '../../apps/api/src/common/api-exception.filter';

describe('errors of a database going away answer 503, never 500', () => {
  const failure = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

  it.each([
    ['an immediate shutdown', failure('terminating connection due to administrator command', { code: '57P01' })],
    ['a restart in recovery', failure('the database system is in recovery mode', { originalCode: '57P03' })],
    // As the Prisma pg adapter reports a server that is back but not ready, with no code on the error itself.
    ['a server not yet accepting connections', failure('the database system is not yet accepting connections')],
    ['a dropped connection, wrapped', failure('query failed', { cause: failure('Connection terminated unexpectedly') })],
    ['a refused connection', failure('connect ECONNREFUSED 127.0.0.1:5433', { code: 'ECONNREFUSED' })],
    ['no connection', failure('could not connect', { originalCode: '08006' })],
  ])('%s', (_name, error) => {
    expect(describeError(error)).toEqual([503, { code: 'postgres_unavailable', message: 'The database is not answering; retry later' }]);
  });

  it('leaves other errors a 500', () => {
    expect(describeError(failure('boom', { code: '23505x' }))[0]).toBe(500);
  });
});
