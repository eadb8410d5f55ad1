import { defineScenario } from 'lambda-tui';
import type { ALBEvent, ALBResult } from 'aws-lambda';

/**
 * An Application Load Balancer turns each HTTP request into an ALBEvent and the function's result back
 * into an HTTP response. With the target group's multi-value headers off (the default) a repeated query
 * key arrives once, with its last value; a function error becomes a 502 at the load balancer.
 */
export default defineScenario({
  name: 'ALB to Lambda: request and response conversion',
  description: 'every 10th request throws: the caller sees a 502 from the load balancer, never the error itself',
  duration: '30s',
  functions: {
    hello: {
      duration: '40ms',
      handler: async (event: ALBEvent): Promise<ALBResult> => {
        const name = event.queryStringParameters?.name ?? 'world';
        const { n } = JSON.parse(event.body ?? '{}') as { n: number };
        if (n % 10 === 9) throw new Error(`boom on request ${n}`);
        return {
          statusCode: 200,
          statusDescription: '200 OK',
          headers: { 'content-type': 'text/plain' },
          body: `hello ${name} #${n}`,
          isBase64Encoded: false,
        };
      },
    },
  },
  traffic: [
    {
      invoke: 'hello',
      type: 'RequestResponse',
      via: 'alb',
      rate: 5,
      http: { method: 'POST', path: '/hello', query: { name: ['first', 'ada'] }, headers: { 'content-type': 'application/json' } },
      body: (i) => ({ n: i }),
    },
  ],
});
