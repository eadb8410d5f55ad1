// 100 Kinesis shards, one million records over 100 simulated seconds (10,000 records/s), one mapping with
// batchSize 500 and parallelizationFactor 2. Besides records/s and peak memory it compares the wall time
// per tick of the second tenth of the run with that of the last tenth: the stream then holds five times
// more records, and per-tick cost must not grow with them (docs/architecture.md, "Time and state").
// It runs a second time with `handler` as real code through the worker sandbox (bench/run.js): every
// record is then built as an AWS-shaped event and handed to user code.
const ticks = [];
export default {
  unit: 'records',
  floor: 'kinesis',
  scenario() {
    return {
      name: 'bench: 1M stream records on 100 shards',
      duration: '102s',
      functions: { consumer: { duration: { p50: '20ms', p99: '80ms' } } },
      streams: { events: { shardCount: 100 } },
      eventSourceMappings: [{ source: 'events', function: 'consumer', batchSize: 500, parallelizationFactor: 2 }],
      traffic: [{ to: 'events', rate: 10_000, count: 1_000_000, partitionKeys: 1000 }],
    };
  },
  /** The real code of the sandboxed run: a consumer that reports every record processed. */
  handler: 'export const handler = async (event) => ({ batchItemFailures: [] });\n',
  onTick(sim, wallMs) {
    ticks.push({ t: sim.now, wallMs, stored: sim.records.size });
  },
  count: (s) => s.sources.events.succeeded,
  detail(s) {
    const during = ticks.filter((x) => x.t <= 100_000);
    const tenth = Math.floor(during.length / 10);
    const mean = (xs) => xs.reduce((n, x) => n + x.wallMs, 0) / xs.length;
    const early = during.slice(tenth, 2 * tenth);
    const late = during.slice(9 * tenth);
    return (
      `put ${s.sources.events.put}, waiting ${s.sources.events.waiting}, in flight ${s.sources.events.inFlight}, peak iterator age ${s.sources.events.peakAgeMs} ms; ` +
      `per tick ${mean(early).toFixed(2)} ms with ${early.at(-1).stored} records stored vs ${mean(late).toFixed(2)} ms with ${late.at(-1).stored} (ratio ${(mean(late) / mean(early)).toFixed(2)})`
    );
  },
};
