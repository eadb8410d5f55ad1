/**
 * The public API for scenario authors.
 *
 * @example
 * import { defineScenario } from 'lambda-tui';
 * export default defineScenario({
 *   name: 'hello',
 *   functions: { hello: { handler: async () => ({ statusCode: 200, body: 'hi' }) } },
 *   traffic: [{ invoke: 'hello', type: 'RequestResponse', rate: 5 }],
 * });
 */
import type { Scenario } from './scenario/types.js';

export type * from './scenario/types.js';

/** Marks a scenario file's default export; it returns the scenario unchanged and gives it its types. */
export function defineScenario<const S extends Scenario>(scenario: S): S {
  return scenario;
}
