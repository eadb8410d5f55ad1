import { defineScenario } from 'lambda-tui';
import type { PreSignUpTriggerEvent } from 'aws-lambda';

/**
 * A Cognito pre sign-up trigger: synchronous, and Cognito waits only 5 s (a limit you cannot change). The
 * trigger auto-confirms company addresses and refuses others with an error the app shows the user. Its
 * duration has a long tail: an attempt that takes over 5 s is abandoned and Cognito calls again, 3 attempts
 * in all, while the slow one keeps running (and counting toward concurrency).
 */
export default defineScenario({
  name: 'Cognito pre sign-up: the 5 second limit',
  description: 'an attempt still running at 5 s is abandoned and Cognito calls again; refused domains fail with UserLambdaValidationException',
  duration: '2m',
  functions: {
    preSignUp: {
      timeout: '10s',
      duration: { p50: '1s', p99: '9s' },
      handler: async (event: PreSignUpTriggerEvent) => {
        const email = event.request.userAttributes.email ?? '';
        if (!email.endsWith('@example.com')) throw new Error(`sign-ups from ${email.split('@')[1]} are not allowed`);
        event.response.autoConfirmUser = true;
        event.response.autoVerifyEmail = true;
        return event;
      },
    },
  },
  traffic: [
    {
      invoke: 'preSignUp',
      via: 'cognito',
      cognito: { triggerSource: 'PreSignUp_SignUp' },
      rate: 2,
      count: 120,
      body: (i) => ({ userName: `user${i}`, userAttributes: { email: i % 10 === 9 ? `user${i}@spam.test` : `user${i}@example.com` } }),
    },
  ],
});
