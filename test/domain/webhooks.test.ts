import { signWebhook, verifyWebhookSignature, webhookEndpointSecret } from '../../lib/webhook-signature';
import { webhookUrlProblem } from '../../lib/webhook-urls';

describe('webhook signatures', () => {
  const body = '{"id":"evt_1","type":"invoice-paid"}';
  const now = new Date(1_800_000_000_000);
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('verifies its own signature within five minutes, and nothing altered, forged or stale', () => {
    const header = signWebhook('secret-a', body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('secret-a', header, body, later(300))).toBe(true);
    expect(verifyWebhookSignature('secret-a', header, body, later(301))).toBe(false);
    expect(verifyWebhookSignature('secret-b', header, body, now)).toBe(false);
    expect(verifyWebhookSignature('secret-a', header, body.replace('paid', 'void'), now)).toBe(false);
    expect(verifyWebhookSignature('secret-a', header.replace('t=1800000000', 't=1800000001'), body, now)).toBe(false);
    for (const malformed of ['', 'v1=abc', 't=abc,v1=def', `t=${now}`, 'garbage']) {
      expect(verifyWebhookSignature('secret-a', malformed, body, now)).toBe(false);
    }
  });

  it('derives a distinct secret per endpoint and per signing key', () => {
    const secret = webhookEndpointSecret('k'.repeat(32), 'endpoint-1');
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(webhookEndpointSecret('k'.repeat(32), 'endpoint-1')).toBe(secret);
    expect(webhookEndpointSecret('k'.repeat(32), 'endpoint-2')).not.toBe(secret);
    expect(webhookEndpointSecret('j'.repeat(32), 'endpoint-1')).not.toBe(secret);
  });
});

describe('webhook endpoint URLs', () => {
  const production = { allowLoopbackHttp: false };
  const tests = { allowLoopbackHttp: true };

  it('takes public https URLs, names and addresses', () => {
    for (const url of ['https://hooks.example.com/partner', 'https://8.8.8.8/hook', 'https://[2001:4860::8888]/hook']) {
      expect(webhookUrlProblem(url, production)).toBeNull();
    }
  });

  it('refuses plain http, credentials, and loopback, private, link-local and mapped addresses', () => {
    const refusals: Array<[string, string]> = [
      ['http://hooks.example.com/', 'must use https'],
      ['https://user:pass@hooks.example.com/', 'must not carry credentials'],
      ['not a url', 'must be an absolute URL'],
      ['https://localhost/', 'must not point at this machine'],
      ['https://api.localhost/', 'must not point at this machine'],
      ['http://127.0.0.1:8080/', 'must use https'],
    ];
    for (const [url, problem] of refusals) expect(webhookUrlProblem(url, production)).toBe(problem);
    for (const host of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '[fd00::1]',
      '[fe80::1]',
      '[::ffff:10.0.0.1]',
    ]) {
      expect(webhookUrlProblem(`https://${host}/hook`, production)).toBe('must not point at a loopback, private or link-local address');
    }
  });

  it('lets the test stack use plain http on 127.0.0.1, and nothing else it would refuse', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', tests)).toBeNull();
    expect(webhookUrlProblem('https://10.0.0.1/hook', tests)).toBe('must not point at a loopback, private or link-local address');
    expect(webhookUrlProblem('http://hooks.example.com/', tests)).toBe('must use https');
  });
});
