// One SQS queue with a backlog of one million messages, drained by an event source mapping (batches of
// 10, pollers capped at 50 concurrent batches). `node bench/run.js sqs` reports messages/s and peak RSS.
// `node bench/cases/sqs.js` (after `npm run build`) also times ticks at a 1M and at a 100k backlog with the
// same per-tick work, to show the cost of a tick does not grow with the backlog.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const MESSAGES = 1_000_000;

const bench = {
  unit: 'messages',
  floor: 'sqs',
  scenario() {
    return {
      name: 'bench: 1M-message SQS backlog',
      duration: '220s',
      functions: { worker: { duration: '100ms', timeout: '3s', coldStart: '0ms' } },
      queues: { backlog: { visibilityTimeout: '30s' } },
      eventSourceMappings: [{ source: 'backlog', function: 'worker', batchSize: 10, maxConcurrency: 50 }],
      traffic: [{ to: 'backlog', rate: 100_000, count: MESSAGES }],
    };
  },
  count: (s) => s.sources.backlog.succeeded,
  detail: (s) =>
    `put ${s.sources.backlog.put}, deleted ${s.sources.backlog.succeeded}, still waiting ${s.sources.backlog.waiting}, ` +
    `invocations ${s.functions.worker.invocations}, peak concurrency ${s.functions.worker.peakConcurrency}, oldest message age ${(s.sources.backlog.peakAgeMs / 1000).toFixed(0)}s`,
};
export default bench;

async function perTick() {
  const { validateScenario } = await import('../../dist/scenario/validate.js');
  const { createSimulation } = await import('../../dist/engine/simulation.js');
  const { model } = validateScenario(bench.scenario(), 'bench/cases/sqs.js');
  const sim = createSimulation(model);
  const backlog = () => {
    const q = sim.state.modules.sqs.queues.backlog;
    return q.visible;
  };
  const time = async (ticks) => {
    const started = performance.now();
    for (let i = 0; i < ticks; i++) await sim.step();
    return (performance.now() - started) / ticks;
  };
  const put0 = performance.now();
  await sim.run(15_000); // the backlog arrives in 10 s (100k/s) while the pollers climb to the cap of 50 by ~9 s
  console.log(`sqs per tick: 1M puts and the first 15 s took ${((performance.now() - put0) / 1000).toFixed(2)}s wall`);
  const atBig = backlog();
  const msBig = await time(300);
  while (backlog() > 100_000) await sim.step();
  const atSmall = backlog();
  const msSmall = await time(300);
  console.log(
    `sqs per tick: ${msBig.toFixed(3)} ms/tick at a backlog of ${atBig.toLocaleString('en-US')}, ` +
      `${msSmall.toFixed(3)} ms/tick at ${atSmall.toLocaleString('en-US')} (same 50 batches of 10 per 100 ms tick)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await perTick();
