// 200,000 asynchronous events over 20 functions in 10 simulated seconds; 10% of invocations fail, so
// events are retried 60 s and 120 s later, and the ones that fail three times go to an onFailure function.
export default {
  unit: 'events',
  scenario() {
    const functions = { audit: { duration: '5ms' } };
    const traffic = [];
    const faults = [];
    for (let f = 0; f < 20; f++) {
      functions[`fn-${f}`] = { duration: { p50: '8ms', p99: '40ms' }, onFailure: 'audit' };
      traffic.push({ invoke: `fn-${f}`, type: 'Event', via: 'cli', rate: 1000, count: 10_000 });
      faults.push({ function: `fn-${f}`, kind: 'error', rate: 0.1 });
    }
    return { name: 'bench: 200k async events', duration: '4m', account: { concurrentExecutions: 20_000 }, functions, traffic, faults };
  },
  count: (s) => Object.entries(s.sources).filter(([n]) => n.startsWith('async:fn-')).reduce((n, [, x]) => n + x.put, 0),
  detail: (s) => {
    const fns = Object.entries(s.sources).filter(([n]) => n.startsWith('async:fn-')).map(([, x]) => x);
    const sum = (k) => fns.reduce((n, x) => n + x[k], 0);
    const invocations = Object.values(s.functions).reduce((n, f) => n + f.invocations, 0);
    return `invocations ${invocations}, succeeded ${sum('succeeded')}, failed ${sum('failed')}, waiting ${sum('waiting')}, onFailure deliveries ${s.sources['async:audit']?.put ?? 0}`;
  },
};
