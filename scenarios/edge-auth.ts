import { defineScenario } from 'lambda-tui';
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';

/**
 * Lambda@Edge on a viewer-request trigger: CloudFront runs a numbered version (never $LATEST or an alias),
 * within 5 s and 128 MB. Requests without a session cookie get a generated 302 to /login; the rest are
 * forwarded, with a header added. Every 25th request carries a huge cookie that the function echoes into
 * its generated page: over the 40 KB limit for a viewer-request response, CloudFront answers 502.
 */
export default defineScenario({
  name: 'Lambda@Edge: viewer-request auth',
  description: 'no session cookie: a generated 302; a generated page over 40 KB: 502 from CloudFront',
  duration: '20s',
  functions: {
    auth: {
      duration: '5ms',
      timeout: '5s',
      versions: { '1': {} },
      handler: async (event: CloudFrontRequestEvent): Promise<CloudFrontRequestResult> => {
        const request = event.Records[0].cf.request;
        const cookie = request.headers.cookie?.[0]?.value ?? '';
        if (cookie.startsWith('big=')) {
          return { status: '200', statusDescription: 'OK', body: `<html>${cookie}</html>`, headers: {} };
        }
        if (!cookie.includes('session=')) {
          return { status: '302', statusDescription: 'Found', headers: { location: [{ key: 'Location', value: '/login' }] } };
        }
        request.headers['x-user'] = [{ key: 'X-User', value: cookie.slice(cookie.indexOf('session=') + 8) }];
        return request;
      },
    },
  },
  traffic: [
    { invoke: 'auth:1', via: 'cloudfront', rate: 5, count: 50, http: { path: '/account', headers: { cookie: 'session=ada' } } },
    { invoke: 'auth:1', via: 'cloudfront', rate: 2, count: 20, http: { path: '/account' } },
    { invoke: 'auth:1', via: 'cloudfront', rate: 0.2, count: 2, http: { path: '/account', headers: { cookie: `big=${'x'.repeat(41 * 1024)}` } } },
  ],
});
