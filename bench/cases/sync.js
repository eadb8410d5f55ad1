// 100 functions, one million synchronous invocations over 10 simulated seconds.
export default {
  unit: 'invocations',
  scenario() {
    const functions = {};
    const traffic = [];
    for (let f = 0; f < 100; f++) {
      functions[`fn-${f}`] = { duration: { p50: '8ms', p99: '40ms' } };
      traffic.push({ invoke: `fn-${f}`, type: 'RequestResponse', via: 'cli', rate: 1000, count: 10_000 });
    }
    return { name: 'bench: 1M sync invocations', duration: '11s', account: { concurrentExecutions: 20_000 }, functions, traffic };
  },
  count: (s) => Object.values(s.functions).reduce((n, f) => n + f.invocations, 0),
  detail: (s) => `throttles ${Object.values(s.functions).reduce((n, f) => n + f.throttles, 0)}, peak account concurrency ${s.account.peakConcurrency}`,
};
