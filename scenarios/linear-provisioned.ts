import { defineScenario } from 'lambda-tui';

/**
 * Provisioned concurrency follows a linear shift (docs/versions.md). The alias `live` has 10 provisioned
 * environments; Linear10PercentEvery1Minute moves it from version 1 to version 2 in ten steps, and
 * Lambda splits the alias's provisioned environments between the two versions by weight: at 10% version 2
 * holds one of them. Almost every invocation through the alias runs warm, whichever version it draws; the
 * few that find their version's share busy spill over to on-demand environments and cold-start (AWS's
 * advice: provision more during a weighted shift). A debugging caller that invokes the bare function runs
 * $LATEST on demand and cold-starts each time, because provisioned concurrency serves only its qualifier.
 */
export default defineScenario({
  name: 'Provisioned concurrency during a linear shift',
  description: 'live (10 provisioned) moves to version 2 in 10% steps: provisioned environments follow the weights, a few spill over, $LATEST cold-starts',
  duration: '11m',
  functions: {
    api: {
      duration: { p50: '250ms', p99: '400ms' },
      coldStart: '800ms',
      environmentIdleTimeout: '30s',
      versions: { '1': {}, '2': {} },
      aliases: { live: { version: '1', provisionedConcurrentExecutions: 10 } },
    },
  },
  traffic: [
    { invoke: 'api:live', type: 'RequestResponse', rate: 12 },
    { invoke: 'api', type: 'RequestResponse', rate: [{ at: '0s', rate: 0 }, { at: '2m', rate: 0.02 }] },
  ],
  deployments: [{ alias: 'api:live', to: '2', at: '30s', config: 'Linear10PercentEvery1Minute' }],
});
