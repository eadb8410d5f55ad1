import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/edge-auth.ts: Lambda@Edge on a viewer-request trigger', async () => {
  const { model } = await loadScenario('scenarios/edge-auth.ts');
  const r = await run(model);
  const responses = r.of('sync.response');

  it('runs the numbered version 1, never $LATEST', () => {
    expect(r.of('invoke.start').every((s) => s.version === '1' && s.via === 'cloudfront')).toBe(true);
  });

  it('forwards requests with a session, with the header the function added', () => {
    const forwarded = responses.filter((e) => e.headers?.['x-lambda-edge'] === 'forwarded');
    expect(forwarded).toHaveLength(50);
    expect(forwarded[0].body).toEqual({ uri: '/account', method: 'GET', querystring: '' });
  });

  it('answers requests without a session with the generated 302 to /login', () => {
    const redirects = responses.filter((e) => e.statusCode === 302);
    expect(redirects).toHaveLength(20);
    expect(redirects[0].headers).toMatchObject({ location: '/login', 'x-lambda-edge': 'generated' });
  });

  it('refuses a generated response over 40 KB with a 502 Lambda validation error', () => {
    const refused = responses.filter((e) => e.statusCode === 502);
    expect(refused).toHaveLength(2);
    expect(refused[0].headers).toMatchObject({ 'x-cache': 'LambdaValidationError from cloudfront' });
    expect(r.summary.accounting.ok).toBe(true);
  });
});
