import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/index.js';
import { validateScenario } from '../../src/scenario/validate.js';

describe('import: provisioned concurrency goes on the AutoPublishAlias (docs/versions.md)', () => {
  it('puts ProvisionedConcurrencyConfig on the alias of version 1, which validates', () => {
    const result = importFile('test/import/fixtures/sam-pc/template.yaml');
    expect(result.errors).toEqual([]);
    const fn = (result.scenario as Record<string, any>).functions.CheckoutFunction;
    expect(fn.provisionedConcurrentExecutions).toBeUndefined();
    expect(fn.versions).toEqual({ '1': {} });
    expect(fn.aliases).toEqual({ live: { version: '1', provisionedConcurrentExecutions: 5 } });
    const { errors } = validateScenario({ name: 'x', functions: { CheckoutFunction: { versions: fn.versions, aliases: fn.aliases } } }, 'x.ts');
    expect(errors).toEqual([]);
  });
});
