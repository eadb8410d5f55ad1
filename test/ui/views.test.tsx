import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/load.js';
import { App } from '../../src/ui/App.js';
import { ConcurrencyPane } from '../../src/ui/ConcurrencyPane.js';
import { Controller } from '../../src/ui/controller.js';
import { DestinationsPane, destinationsRows } from '../../src/ui/DestinationsPane.js';
import { Header, headerStatus } from '../../src/ui/Header.js';
import { InFlightPane } from '../../src/ui/InFlightPane.js';
import { LogPane } from '../../src/ui/LogPane.js';
import { SourcesPane } from '../../src/ui/SourcesPane.js';
import { modelOf } from '../helpers/run.js';
import type { StreamViewState } from '../../src/engine/sources/stream.js';

// Colour codes would only get in the way of reading frames as a user does.
const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

let kinesis: Model;
let at40s: Controller;
let at45s: Controller;

/** Runs on until the snapshot shows what a test is about (the engine decides exactly when). */
async function seekUntil(c: Controller, reached: (state: Controller['snapshot']) => boolean): Promise<void> {
  while (!reached(c.snapshot)) {
    if (c.snapshot.tick > 3000) throw new Error('kinesis-error never reached the state this test needs');
    await c.seek(c.snapshot.tick + 5);
  }
}

const shard3 = (state: Controller['snapshot']) => (state.modules.stream as StreamViewState).sources.orders.shards[3].consumers[0];

beforeAll(async () => {
  kinesis = (await loadScenario('scenarios/kinesis-error.ts')).model;
  // "at40s": the poisoned shard retries its one-record batch while its iterator age climbs.
  at40s = new Controller(kinesis, { paused: true, historySize: 10 });
  await seekUntil(at40s, (s) => shard3(s).status === 'retrying' && shard3(s).iteratorAgeMs > 20_000);
  // "at45s": the batch-info record has reached orders-failed, and a batch is in flight.
  at45s = new Controller(kinesis, { paused: true, historySize: 10 });
  await seekUntil(at45s, (s) => s.destinations['orders-failed'] !== undefined && Object.keys(s.inFlight).length > 0);
});

describe('Sources pane: which shard is stuck and how old its iterator is', () => {
  it('shows a row per shard with a position bar, iterator age and state', () => {
    const { lastFrame } = render(<SourcesPane state={at40s.snapshot} model={kinesis} width={60} height={12} focused={false} />);
    const frame = strip(lastFrame());
    expect(frame).toContain('stream orders  4 shards');
    expect(frame).toMatch(/shard-0 \[#+\|\.*\] age [\d.]+s +ok/);
    // The poisoned shard retries its one-record batch while its iterator age climbs to ~30 s.
    expect(frame).toMatch(/shard-3 \[#*\|\.+\] age \d\d(\.\d)?s +attempt \d of 6/);
  });

  it('lists the shard in trouble first when the pane cannot show every row', async () => {
    const { sourcesRows } = await import('../../src/ui/source-rows.js');
    const all = sourcesRows(at40s.snapshot, kinesis, 57).map((r) => r.text);
    expect(all[1]).toMatch(/^ shard-0 /); // room for all: shard order
    const cut = sourcesRows(at40s.snapshot, kinesis, 57, 4).map((r) => r.text);
    expect(cut[1]).toMatch(/^ shard-3 .* attempt \d of 6/);
    expect(cut.filter((t) => /^ shard-\d /.test(t))).toHaveLength(4);
  });

  it('shows the ledger: where every record of the stream is', () => {
    const frame = strip(render(<SourcesPane state={at45s.snapshot} model={kinesis} width={110} height={14} focused={false} />).lastFrame());
    expect(frame).toMatch(/put \d+ +failed 1 -> orders-failed 1 +ok \d+/);
    expect(frame).toMatch(/last failed batch \S+ \(1 rec, shard-3\) +-> orders-failed RetryAttemptsExhausted/);
  });

  it('labels DynamoDB shards by index in rows and log lines, and keeps the full id for inspect', async () => {
    const ddb = (await loadScenario('scenarios/dynamodb-stream-bisect.ts')).model;
    const c = new Controller(ddb, { paused: true, historySize: 10 });
    await c.seek(400);
    const frame = strip(render(<SourcesPane state={c.snapshot} model={ddb} width={56} height={8} focused={false} />).lastFrame());
    expect(frame).toMatch(/shard-0 \[[#|.]+\] age \S+ +\w+/);
    expect(frame).toMatch(/shard-1 \[/);
    expect(frame).not.toContain('shardId-');
    const shardLines = c.logLines('shard-').map((l) => l.text);
    expect(shardLines.length).toBeGreaterThan(0);
    expect(c.logLines('shardId-')).toEqual([]);
    const { sourcesRows } = await import('../../src/ui/source-rows.js');
    const row = sourcesRows(c.snapshot, ddb, 53).find((r) => r.text.startsWith(' shard-0 '));
    expect(row?.target?.title).toMatch(/shardId-\d{20}-[0-9a-f]{8}/);
  });

  it('wraps a long ledger row onto a second line instead of cutting it', async () => {
    const { wrapRow } = await import('../../src/ui/pane-row.js');
    const rows = wrapRow({ text: 'cli:checkout  put 9811  failed 4510 -> caller 4510  ok 5301', tone: 'warn' }, 40);
    expect(rows.map((r) => r.text)).toEqual(['cli:checkout  put 9811', '  failed 4510 -> caller 4510  ok 5301']);
    expect(rows.every((r) => r.tone === 'warn')).toBe(true);
    const frame = strip(render(<SourcesPane state={at45s.snapshot} model={kinesis} width={60} height={14} focused={false} />).lastFrame());
    const ledger = frame.split('\n').filter((line) => /put \d+|ok \d+|last failed|-> orders-failed/.test(line));
    expect(ledger.length).toBeGreaterThan(2);
    for (const line of ledger) expect(line).not.toMatch(/~\|$/);
  });

  it('shows a queue with its pollers', async () => {
    const model = modelOf({
      name: 'q',
      functions: { worker: { duration: '2s', timeout: '5s' } },
      queues: { jobs: { visibilityTimeout: '30s' } },
      eventSourceMappings: [{ source: 'jobs', function: 'worker', batchSize: 5 }],
      traffic: [{ to: 'jobs', rate: 50 }],
    });
    const c = new Controller(model, { paused: true });
    await c.seek(50);
    const frame = strip(render(<SourcesPane state={c.snapshot} model={model} width={90} height={10} focused={false} />).lastFrame());
    expect(frame).toMatch(/queue jobs +visible \d+ +in flight \d+ +delayed 0 +oldest [\d.]+m?s/);
    expect(frame).toMatch(/-> worker +pollers \d+\/\d+ +batches \d+/);
  });
});

describe('In flight pane: why a function was invoked now, with this batch', () => {
  it('shows the function, shard, batch, records and time used against the timeout', () => {
    const frame = strip(render(<InFlightPane state={at45s.snapshot} width={90} height={5} focused={false} />).lastFrame());
    expect(frame).toMatch(/processor shard-\d b-\S+ +\d+ rec +\S+.* of 3s/);
  });
});

describe('Concurrency pane', () => {
  it('shows concurrency against the limit, warm environments and cold starts', () => {
    const frame = strip(render(<ConcurrencyPane state={at40s.snapshot} width={60} height={6} focused={false} />).lastFrame());
    expect(frame).toContain('account 0/1000');
    expect(frame).toMatch(/processor +0\/1000 +warm 4 +cold 4 +thr 0/);
  });

  it('marks reserved concurrency and counts throttles', async () => {
    const c = new Controller((await loadScenario('scenarios/sync-throttle.ts')).model, { paused: true });
    await c.seek(150);
    const frame = strip(render(<ConcurrencyPane state={c.snapshot} width={70} height={6} focused={false} />).lastFrame());
    expect(frame).toMatch(/checkout +5\/5 res +warm 5 +cold 5 +thr \d+/);
  });
});

describe('Destinations pane: where each failed record went', () => {
  it('counts deliveries per destination and condition', () => {
    const frame = strip(render(<DestinationsPane state={at45s.snapshot} width={70} height={5} focused={false} />).lastFrame());
    expect(frame).toMatch(/orders-failed \(queue\) +1/);
    expect(frame).toMatch(/onFailure RetryAttemptsExhausted +1 +at 00:\d\d\.\d/);
  });

  it('keeps the payload of the newest delivery for enter', () => {
    const [, row] = destinationsRows(at45s.snapshot);
    expect(row.target && 'value' in row.target ? row.target.value : undefined).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 6 },
      KinesisBatchInfo: { shardId: 'shardId-000000000003', batchSize: 1 },
    });
  });
});

describe('Log pane', () => {
  it('says what happened to a batch on one line, bisect included', () => {
    const lines = at45s.logLines('bisect');
    const frame = strip(render(<LogPane lines={lines} width={100} height={6} focused={false} scroll={0} filter="bisect" editing={false} />).lastFrame());
    expect(frame).toMatch(/\d\d:\d\d\.\d processor shard-3 batch \S+ failed \(Error: cannot parse order 200\) \d+ms -> bisect/);
    expect(frame).toContain('/bisect');
  });

  it('says why a batch failed, and wraps a long line instead of cutting its end', () => {
    const lines = at45s.logLines('bisect');
    const frame = strip(render(<LogPane lines={lines} width={100} height={8} focused={false} scroll={0} filter="bisect" editing={false} />).lastFrame());
    // The bisect's two halves are on the continuation line, under the text.
    expect(frame).toMatch(/\|  +(\S+ )*into \S+, \S+ +\|/);
    expect(frame).not.toMatch(/~\|/);
  });
});

describe('Header', () => {
  it('shows the scenario, clock, tick, speed, state and seed', () => {
    const frame = strip(
      render(<Header name="Kinesis poison record with bisect" description="watch shard 3" t={42_300} tick={423} speed={10} paused={false} seed={1} width={100} lines={2} />).lastFrame(),
    );
    expect(frame).toContain('lambda-tui  Kinesis poison record with bisect');
    expect(frame).toContain('t 00:42.3  tick 423  x10  > running  seed 1');
    expect(frame).toContain('watch shard 3');
  });
});

describe('the key hints', () => {
  it('keep "? help  q quit" at 80 columns and below, dropping other hints first', async () => {
    const { footerHints } = await import('../../src/ui/keymap.js');
    for (const width of [99, 79, 59]) {
      const hints = footerHints(width);
      expect(hints.length).toBeLessThanOrEqual(width);
      expect(hints.endsWith('? help  q quit')).toBe(true);
      expect(hints.startsWith('space pause')).toBe(true);
    }
  });
});

describe('the whole dashboard: size and markers', () => {
  for (const size of [
    { columns: 100, rows: 30 },
    { columns: 80, rows: 24 },
    { columns: 60, rows: 16 },
  ]) {
    it(`is exactly rows-1 tall and fits ${size.columns}x${size.rows}`, () => {
      const frame = strip(render(<App controller={at45s} size={size} onQuit={() => {}} />).lastFrame());
      const lines = frame.split('\n');
      expect(lines).toHaveLength(size.rows - 1);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(size.columns);
      expect(frame).toContain('Sources');
      expect(frame).toContain('Log');
    });
  }

  it('marks focus and selection with glyphs, not only colour', () => {
    const frame = strip(render(<App controller={at45s} size={{ columns: 100, rows: 30 }} onQuit={() => {}} />).lastFrame());
    expect(frame).toContain('+=[1 Sources]=');
    expect(frame).toMatch(/\|>stream orders/);
  });

  it('says what size it needs below the smallest usable one', () => {
    const frame = strip(render(<App controller={at45s} size={{ columns: 40, rows: 10 }} onQuit={() => {}} />).lastFrame());
    expect(frame.replace(/\n/g, ' ')).toMatch(/needs at least 60x16 \(now 40x10\) +— q quits/);
  });
});

describe('the header at the end of the scenario', () => {
  it('says the run ended (and that space runs on) once paused at the scenario duration', () => {
    expect(headerStatus({ t: 180_000, tick: 1800, speed: 10, paused: true, seed: 1, ended: true })).toContain('|| end (space runs on)');
    expect(headerStatus({ t: 170_000, tick: 1700, speed: 10, paused: true, seed: 1, ended: false })).toContain('|| paused');
    expect(headerStatus({ t: 190_000, tick: 1900, speed: 10, paused: false, seed: 1, ended: true })).toContain('> running');
  });
});
