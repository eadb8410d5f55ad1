import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { run } from '../helpers/run.js';

function importTemplateObject(template: object) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lambda-tui-import-')), 'template.json');
  writeFileSync(file, JSON.stringify(template));
  return importFile(file);
}

/** Plain CloudFormation AWS::Lambda::Version and AWS::Lambda::Alias (issue 13; docs/versions.md, docs/import.md). */
describe('import: AWS::Lambda::Version and AWS::Lambda::Alias', () => {
  const F = 'test/import/fixtures/cloudformation/versions.yaml';
  const r = importFile(F);
  const s = r.scenario as Record<string, any>;

  it('publishes each Version in template order, points the Alias with its weights and provisioned concurrency, and invokes qualified ARNs', () => {
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.notImported).toEqual([]);
    expect(s.functions.Payments.versions).toEqual({ '1': {}, '2': {} });
    expect(s.functions.Payments.aliases).toEqual({ live: { version: '1', additionalVersionWeights: { '2': 0.25 }, provisionedConcurrentExecutions: 2 } });
    // !Ref LiveAlias is the alias ARN; !Ref PaymentsV2 is the version ARN.
    expect(s.eventSourceMappings).toEqual([{ source: 'Requests', function: 'Payments:live', batchSize: 1 }]);
    expect(s.topics.Refunds).toEqual({ subscriptions: ['Payments:2'] });
    expect(r.comments['functions.Payments'].join('\n')).toMatch(/version 1: PaymentsV1 \(AWS::Lambda::Version\) \(first release\); numbered in template order/);
  });

  it('runs: the queue reaches versions 1 and 2 through the alias, about a quarter on 2; the topic reaches version 2 only', async () => {
    const { model } = await loadScenario(F);
    const t = await run({ ...model, durationMs: 120_000 });
    expect(t.summary.accounting.ok).toBe(true);
    const viaAlias = t.of('invoke.start').filter((e) => e.alias === 'live');
    const onTwo = viaAlias.filter((e) => e.version === '2').length;
    expect(viaAlias.length).toBeGreaterThan(50);
    expect(new Set(viaAlias.map((e) => e.version))).toEqual(new Set(['1', '2']));
    expect(onTwo / viaAlias.length).toBeGreaterThan(0.1);
    expect(onTwo / viaAlias.length).toBeLessThan(0.4);
    const direct = t.of('invoke.start').filter((e) => e.alias === undefined);
    expect(direct.length).toBeGreaterThan(50);
    expect(new Set(direct.map((e) => e.version))).toEqual(new Set(['2']));
  });

  it('refuses an alias without a version, and adds a version number the template does not publish with a comment', () => {
    const text = (props: string) => ({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'a.b', Role: 'r', Code: { ZipFile: 'x' } } },
        A: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, Name: 'live', ...JSON.parse(props) } },
      },
    });
    const missing = importTemplateObject(text('{}'));
    expect(missing.errors).toEqual([expect.stringMatching(/Resources\.A\.Properties\.FunctionVersion: missing is not a version; AWS requires '\$LATEST', a version number or a version's ARN$/)]);
    const outside = importTemplateObject(text('{ "FunctionVersion": "3" }'));
    expect(outside.errors).toEqual([]);
    const fn = (outside.scenario as Record<string, any>).functions.Fn;
    expect(fn.versions).toEqual({ '3': {} });
    expect(fn.aliases).toEqual({ live: { version: '3' } });
    expect(outside.comments['functions.Fn'].join('\n')).toMatch(/version 3: named by A but not published in this template/);
  });
});
