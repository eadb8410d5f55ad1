import { describe, expect, it } from 'vitest';
import { formatValidationError, validateScenario } from '../../src/scenario/validate.js';

const FILE = 'scenarios/x.ts';
const edge = { timeout: '5s', versions: { '1': {}, '2': { timeout: '10s' }, '3': { memorySize: 256 } }, aliases: { live: { version: '1' } } };
const scenario = (entry: Record<string, unknown>) => ({ name: 'x', functions: { fn: {}, edge }, traffic: [entry] });
const lines = (entry: Record<string, unknown>) => validateScenario(scenario(entry), FILE).errors.map(formatValidationError);
const model = (entry: Record<string, unknown>) => {
  const { model: m, errors } = validateScenario(scenario(entry), FILE);
  expect(errors.map(formatValidationError)).toEqual([]);
  return m!.traffic[0];
};

describe('callers: invocation types', () => {
  it.each(['cloudfront', 'cognito', 'stepfunctions', 'lex', 'alexa', 'firehose', 's3-batch', 'url'])("'%s' is synchronous when type is left out", (via) => {
    const invoke = via === 'cloudfront' ? 'edge:1' : 'fn';
    expect(model({ invoke, via }).type).toBe('RequestResponse');
  });

  it.each(['ses', 'cloudwatch-logs', 'codecommit', 'config', 'iot'])("'%s' is asynchronous when type is left out", (via) => {
    expect(model({ invoke: 'fn', via }).type).toBe('Event');
  });

  it('refuses a type that contradicts the caller, in one line naming file, field, value and the callers that take it', () => {
    expect(lines({ invoke: 'fn', via: 'cognito', type: 'Event' })).toEqual([
      "scenarios/x.ts: traffic[0].via: 'cognito' invokes synchronously; type 'Event' can come via 'cli', 's3', 'sns', 'ses', 'cloudwatch-logs', 'codecommit', 'config', 'iot'; or leave type out",
    ]);
    expect(lines({ invoke: 'fn', via: 'iot', type: 'RequestResponse' })[0]).toContain("'iot' invokes asynchronously");
  });

  it('SES takes both types and defaults to Event', () => {
    expect(model({ invoke: 'fn', via: 'ses' }).type).toBe('Event');
    expect(model({ invoke: 'fn', via: 'ses', type: 'RequestResponse' })).toMatchObject({ type: 'RequestResponse', ses: { disposition: 'CONTINUE' } });
  });

  it('the CLI still needs a type', () => {
    expect(lines({ invoke: 'fn' })).toEqual(["scenarios/x.ts: traffic[0].type: is missing; allowed: 'RequestResponse', 'Event'"]);
  });
});

describe('callers: options under a key named after the caller', () => {
  it('fills in AWS defaults', () => {
    expect(model({ invoke: 'edge:1', via: 'cloudfront' }).cloudfront).toEqual({ eventType: 'viewer-request' });
    expect(model({ invoke: 'fn', via: 'cognito' }).cognito).toEqual({ triggerSource: 'PreSignUp_SignUp' });
    expect(model({ invoke: 'fn', via: 'firehose' }).firehose).toEqual({ bufferSizeBytes: 1024 * 1024, bufferIntervalMs: 60_000 });
    expect(model({ invoke: 'fn', via: 's3-batch' }).s3Batch).toEqual({ invocationSchemaVersion: '1.0' });
    expect(model({ invoke: 'fn', via: 'url' }).url).toEqual({ authType: 'NONE' });
  });

  it('refuses an option for another caller', () => {
    expect(lines({ invoke: 'fn', via: 'lex', cognito: { triggerSource: 'PreSignUp_SignUp' } })).toEqual([
      "scenarios/x.ts: traffic[0].cognito: {\"triggerSource\":\"PreSignUp_SignUp\"} is only for via 'cognito'; this entry comes via 'lex'",
    ]);
  });

  it('refuses values out of AWS range', () => {
    expect(lines({ invoke: 'fn', via: 'firehose', firehose: { bufferSize: 5 } })).toEqual(['scenarios/x.ts: traffic[0].firehose.bufferSize: 5 is out of range; allowed 0.2..3 (MB)']);
    expect(lines({ invoke: 'fn', via: 'firehose', firehose: { bufferInterval: '20m' } })).toEqual(["scenarios/x.ts: traffic[0].firehose.bufferInterval: '20m' is out of range; allowed 0..900s"]);
    expect(lines({ invoke: 'fn', via: 'cognito', cognito: { triggerSource: 'SignUp' } })[0]).toContain("traffic[0].cognito.triggerSource: 'SignUp' is not valid; allowed: 'PreSignUp_SignUp'");
    expect(lines({ invoke: 'edge:1', via: 'cloudfront', cloudfront: { eventType: 'request' } })[0]).toContain("'viewer-request', 'origin-request', 'origin-response', 'viewer-response'");
    expect(lines({ invoke: 'fn', via: 's3-batch', s3Batch: { invocationSchemaVersion: '3.0' } })[0]).toContain("allowed: '1.0', '2.0'");
    expect(lines({ invoke: 'fn', via: 'url', url: { authType: 'IAM' } })[0]).toContain("allowed: 'NONE', 'AWS_IAM'");
    expect(lines({ invoke: 'fn', via: 'ses', ses: { disposition: 'STOP' } })[0]).toContain("traffic[0].ses.disposition: 'STOP' is");
  });

  it('refuses an unknown key inside a caller option, with a suggestion', () => {
    expect(lines({ invoke: 'fn', via: 'firehose', firehose: { buffersize: 1 } })[0]).toContain('(did you mean bufferSize?)');
  });

  it("refuses a disposition for SES 'Event' invocations", () => {
    expect(lines({ invoke: 'fn', via: 'ses', ses: { disposition: 'STOP_RULE' } })).toEqual([
      "scenarios/x.ts: traffic[0].ses.disposition: 'STOP_RULE' is only for type 'RequestResponse'; SES ignores what an 'Event' invocation returns",
    ]);
  });
});

describe('callers: the qualifier each caller may name', () => {
  it('Lambda@Edge runs a numbered version only, never $LATEST or an alias', () => {
    for (const invoke of ['edge', 'edge:$LATEST', 'edge:live']) {
      expect(lines({ invoke, via: 'cloudfront' })).toEqual([
        `scenarios/x.ts: traffic[0].invoke: '${invoke}' is not a numbered version; Lambda@Edge runs a published version only, never $LATEST or an alias: write 'edge:1' or 'edge:2' or 'edge:3'`,
      ]);
    }
  });

  it('viewer triggers allow 5 s and 128 MB, origin triggers 30 s', () => {
    expect(lines({ invoke: 'edge:2', via: 'cloudfront' })).toEqual([
      "scenarios/x.ts: traffic[0].invoke: 'edge:2' runs version 2 with a 10s timeout; Lambda@Edge allows at most 5s for viewer-request triggers (set the version's timeout to 1s..5s)",
    ]);
    expect(lines({ invoke: 'edge:3', via: 'cloudfront', cloudfront: { eventType: 'viewer-response' } })[0]).toContain('256 MB; Lambda@Edge allows at most 128 MB');
    expect(lines({ invoke: 'edge:2', via: 'cloudfront', cloudfront: { eventType: 'origin-request' } })).toEqual([]);
    expect(lines({ invoke: 'edge:3', via: 'cloudfront', cloudfront: { eventType: 'origin-response' } })).toEqual([]);
  });

  it('a function URL points at $LATEST or an alias, never a numbered version', () => {
    expect(lines({ invoke: 'edge:1', via: 'url' })).toEqual([
      "scenarios/x.ts: traffic[0].invoke: 'edge:1' is a numbered version; a function URL points at $LATEST or an alias, never a version: write 'edge' or 'edge:live'",
    ]);
    expect(lines({ invoke: 'edge:live', via: 'url' })).toEqual([]);
    expect(lines({ invoke: 'edge:$LATEST', via: 'url' })).toEqual([]);
  });

  it('http options apply to function URLs and CloudFront, gateway settings do not', () => {
    expect(model({ invoke: 'fn', via: 'url', http: { method: 'POST', path: '/orders' } }).http).toMatchObject({ method: 'POST', path: '/orders' });
    expect(lines({ invoke: 'fn', via: 'url', http: { payloadFormatVersion: '1.0' } })).toEqual(["scenarios/x.ts: traffic[0].http.payloadFormatVersion: '1.0' is only for via 'apigateway'"]);
  });
});
