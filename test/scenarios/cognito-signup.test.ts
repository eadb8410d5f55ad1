import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

describe('scenarios/cognito-signup.ts: a pre sign-up trigger and Cognito\'s 5 s', async () => {
  const { model } = await loadScenario('scenarios/cognito-signup.ts');
  const r = await run(model);
  const responses = r.of('sync.response');

  it('answers every sign-up once', () => {
    expect(responses).toHaveLength(120);
  });

  it('auto-confirms company addresses', () => {
    const ok = responses.filter((e) => e.statusCode === 200);
    expect(ok.length).toBeGreaterThan(100);
    expect(ok[0].body).toMatchObject({ response: { autoConfirmUser: true, autoVerifyEmail: true } });
  });

  it('shows a refused domain to the user as UserLambdaValidationException with the function\'s message', () => {
    const refused = responses.filter((e) => (e.body as { __type?: string }).__type === 'UserLambdaValidationException');
    expect(refused).toHaveLength(12);
    expect(refused[0].body).toEqual({ __type: 'UserLambdaValidationException', message: 'PreSignUp failed with error sign-ups from spam.test are not allowed.' });
  });

  it('calls again when an attempt is still running at 5 s, and the abandoned attempt runs on', () => {
    const retries = r.of('caller.retry');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((e) => e.via === 'cognito' && e.reason === 'TimeoutException')).toBe(true);
    const starts = r.of('invoke.start');
    expect(starts.length).toBe(120 + retries.length);
    // Every abandoned attempt still ends (the function is not stopped by Cognito giving up on it).
    expect(r.of('invoke.end')).toHaveLength(starts.length);
    for (const retry of retries) {
      const abandoned = starts.filter((s) => s.t === retry.t - 5000);
      expect(abandoned.length).toBeGreaterThan(0);
    }
    expect(r.summary.accounting.ok).toBe(true);
  });
});
