/**
 * Each caller's event against the example AWS documents, field by field: the builder is given the example's
 * own ids, names and times, and must give back the example. Sources are named above each example
 * (docs/callers.md cites the same pages).
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  cloudFrontEvent,
  cloudWatchLogsData,
  cloudWatchLogsEvent,
  codeCommitEvent,
  cognitoEvent,
  configRuleEvent,
  edgeAnswer,
  firehoseEvent,
  firehoseResults,
  functionUrlEvent,
  lexV2Event,
  s3BatchEvent,
  s3BatchResult,
  sesEvent,
} from '../../../src/engine/aws/callers.js';

describe('CloudFront (Lambda@Edge)', () => {
  // CloudFront developer guide, "Lambda@Edge event structure", example viewer request.
  const example = {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'viewer-request',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: '203.0.113.178',
            headers: {
              host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }],
              'user-agent': [{ key: 'User-Agent', value: 'curl/7.66.0' }],
              accept: [{ key: 'accept', value: '*/*' }],
            },
            method: 'GET',
            querystring: '',
            uri: '/',
          },
        },
      },
    ],
  };

  it('builds the documented viewer-request event', () => {
    const event = cloudFrontEvent({
      eventType: 'viewer-request',
      distributionId: 'EDFDVBD6EXAMPLE',
      distributionDomainName: 'd111111abcdef8.cloudfront.net',
      requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
      clientIp: '203.0.113.178',
      method: 'GET',
      uri: '/',
      querystring: '',
      headers: { Host: 'd111111abcdef8.cloudfront.net', 'User-Agent': 'curl/7.66.0', accept: '*/*' },
    });
    expect(event).toEqual(example);
    expect(JSON.stringify(event)).toBe(JSON.stringify(example));
  });

  it('adds the origin, Via and X-Forwarded-For for origin requests, and the response for response events', () => {
    const input = { distributionId: 'EDFDVBD6EXAMPLE', distributionDomainName: 'd111111abcdef8.cloudfront.net', requestId: 'r', clientIp: '203.0.113.178', method: 'GET', uri: '/', querystring: '' };
    const origin = cloudFrontEvent({ ...input, eventType: 'origin-request', originDomainName: 'example.org' }).Records[0].cf;
    expect(origin.request.headers.host).toEqual([{ key: 'Host', value: 'example.org' }]);
    expect(origin.request.headers['x-forwarded-for']).toEqual([{ key: 'X-Forwarded-For', value: '203.0.113.178' }]);
    expect(origin.request.headers.via?.[0].value).toMatch(/^2\.0 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(origin.request.origin?.custom?.domainName).toBe('example.org');
    const response = cloudFrontEvent({ ...input, eventType: 'origin-response', originDomainName: 'example.org', response: { status: '200', statusDescription: 'OK' } }).Records[0].cf;
    expect('response' in response && response.response).toEqual({ headers: {}, status: '200', statusDescription: 'OK' });
  });

  it('keeps the status a viewer-response function tries to change', () => {
    const a = edgeAnswer('viewer-response', { kind: 'success', payload: { status: '404', statusDescription: 'Not Found', headers: {} } }, { status: '200' });
    expect(a.statusCode).toBe(200);
  });
});

describe('Cognito user pool triggers', () => {
  // Cognito developer guide, pre sign-up trigger, example event (as AWS's aws-lambda-go events testdata also has it).
  const example = {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: 'testuser',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
    request: {
      userAttributes: { email: 'testuser@example.com', phone_number: '+12065550100' },
      validationData: { k1: 'v1', k2: 'v2' },
      clientMetadata: { exampleMetadataKey: 'example metadata value' },
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };

  it('builds the PreSignUp event with its common parameters, request and default response', () => {
    const event = cognitoEvent({
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: 'us-east-1_EXAMPLE',
      userName: 'testuser',
      clientId: '1example23456789',
      userAttributes: example.request.userAttributes,
      validationData: example.request.validationData,
      clientMetadata: example.request.clientMetadata,
    });
    expect(event).toEqual(example);
  });

  it('gives each trigger family its own request and response fields', () => {
    const common = { region: 'us-east-1', userPoolId: 'p', userName: 'u', clientId: 'c', userAttributes: { email: 'u@example.com' } };
    expect(cognitoEvent({ ...common, triggerSource: 'TokenGeneration_Authentication' }).response).toEqual({ claimsOverrideDetails: null });
    expect(cognitoEvent({ ...common, triggerSource: 'CustomMessage_SignUp' }).request).toMatchObject({ codeParameter: '{####}', usernameParameter: null });
    expect(cognitoEvent({ ...common, triggerSource: 'UserMigration_Authentication', password: 'pw' }).request).toEqual({ password: 'pw' });
  });
});

describe('Firehose', () => {
  // Lambda developer guide, "Using Lambda with Kinesis Data Firehose", example record event.
  const example = {
    invocationId: 'invocationIdExample',
    deliveryStreamArn: 'arn:aws:kinesis:EXAMPLE',
    region: 'us-east-1',
    records: [
      { recordId: '49546986683135544286507457936321625675700192471156785154', approximateArrivalTimestamp: 1495072949453, data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4=' },
    ],
  };

  it('builds the documented transformation event, data base64-encoded', () => {
    const event = firehoseEvent({
      invocationId: 'invocationIdExample',
      deliveryStreamArn: 'arn:aws:kinesis:EXAMPLE',
      region: 'us-east-1',
      records: [{ recordId: '49546986683135544286507457936321625675700192471156785154', approximateArrivalTimestamp: 1495072949453, data: 'Hello, this is a test 123.' }],
    });
    expect(event).toEqual(example);
  });

  it('reads Ok, Dropped and ProcessingFailed per recordId; a missing record is a failure', () => {
    const r = firehoseResults(['a', 'b', 'c', 'd'], { records: [{ recordId: 'a', result: 'Ok', data: 'eA==' }, { recordId: 'b', result: 'Dropped' }, { recordId: 'c', result: 'ProcessingFailed' }] });
    expect(r.results).toEqual({ a: 'Ok', b: 'Dropped', c: 'ProcessingFailed', d: 'ProcessingFailed' });
    expect(r.problem).toContain('1 record id');
    expect(firehoseResults(['a'], { records: [{ recordId: 'a', result: 'Ok', data: 'x'.repeat(6 * 1024 * 1024) }] }).results.a).toBe('ProcessingFailed');
  });
});

describe('S3 Batch Operations', () => {
  // Lambda developer guide, "Using Lambda with Amazon S3 batch operations", example request event (schema 1.0).
  const example10 = {
    invocationSchemaVersion: '1.0',
    invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
    job: { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce' },
    tasks: [{ taskId: 'dGFza2lkZ29lc2hlcmUK', s3Key: 'customerImage1.jpg', s3VersionId: '1', s3BucketArn: 'arn:aws:s3:::amzn-s3-demo-bucket' }],
  };
  // S3 user guide, "Invoke AWS Lambda function", schema 2.0 example.
  const example20 = {
    invocationSchemaVersion: '2.0',
    invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
    job: { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce', userArguments: { k1: 'v1', k2: 'v2' } },
    tasks: [{ taskId: 'dGFza2lkZ29lc2hlcmUK', s3Key: 'prefix/dataset/dataset.20231222.json.gz', s3VersionId: null, s3Bucket: 'powertools-dataset' }],
  };

  it('builds the documented 1.0 and 2.0 events', () => {
    const ids = { invocationId: example10.invocationId, jobId: example10.job.id, taskId: 'dGFza2lkZ29lc2hlcmUK' };
    expect(s3BatchEvent({ ...ids, invocationSchemaVersion: '1.0', bucket: 'amzn-s3-demo-bucket', key: 'customerImage1.jpg', versionId: '1' })).toEqual(example10);
    expect(s3BatchEvent({ ...ids, invocationSchemaVersion: '2.0', bucket: 'powertools-dataset', key: 'prefix/dataset/dataset.20231222.json.gz', userArguments: { k1: 'v1', k2: 'v2' } })).toEqual(example20);
  });

  it('reads the task result, and treatMissingKeysAs when the answer has none', () => {
    expect(s3BatchResult('t', { results: [{ taskId: 't', resultCode: 'TemporaryFailure', resultString: 'later' }] })).toEqual({ resultCode: 'TemporaryFailure', resultString: 'later' });
    expect(s3BatchResult('t', { treatMissingKeysAs: 'Succeeded', results: [] }).resultCode).toBe('Succeeded');
    expect(s3BatchResult('t', null).resultCode).toBe('PermanentFailure');
  });
});

describe('Function URLs', () => {
  // Lambda developer guide, "Invoking Lambda function URLs", request payload example (AWS_IAM auth), with two
  // deliberate differences: AWS's `time` says 12/Mar/2020 while its own `timeEpoch` is 4 March (the builder
  // derives both from one clock), and its signer is another account (111122223333) where lambda-tui signs
  // with the scenario's own account.
  const example = {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    headers: { header1: 'value1', header2: 'value1,value2' },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: '<urlid>',
      authentication: null,
      authorizer: { iam: { accountId: '123456789012', cognitoIdentity: null, principalOrgId: null, userArn: 'arn:aws:iam::123456789012:user/example-user' } },
      domainName: '<urlid>.lambda-url.us-west-2.on.aws',
      domainPrefix: '<urlid>',
      http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '123.123.123.123', userAgent: 'agent' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body: 'Hello from client!',
    pathParameters: null,
    isBase64Encoded: false,
    stageVariables: null,
  };

  it('builds the documented payload 2.0 request on the lambda-url domain', () => {
    const event = functionUrlEvent(
      {
        method: 'POST',
        path: '/my/path',
        headers: { header1: 'value1', header2: ['value1', 'value2'], cookie: 'cookie1; cookie2', 'user-agent': 'agent' },
        query: { parameter1: ['value1', 'value2'], parameter2: 'value' },
        body: 'Hello from client!',
        requestId: 'id',
        epochMs: 1583348638390,
        sourceIp: '123.123.123.123',
      },
      { account: { region: 'us-west-2', accountId: '123456789012' }, urlId: '<urlid>', authType: 'AWS_IAM' },
    ) as unknown as typeof example & { headers: Record<string, string>; requestContext: { authorizer: { iam: Record<string, unknown> } } };
    // The example's user-agent header is the one the client sent; the builder keeps every header it is given.
    delete event.headers['user-agent'];
    const { iam } = event.requestContext.authorizer;
    // Access key and caller ids are the signer's own: same shape, different values.
    expect(iam.accessKey).toMatch(/^AKIA/);
    expect(iam.callerId).toMatch(/^AIDA/);
    expect(iam.userId).toBe(iam.callerId);
    delete iam.accessKey;
    delete iam.callerId;
    delete iam.userId;
    expect(event).toEqual(example);
  });
});

describe('Lex V2', () => {
  it('builds a code hook event with the fields of LexV2Event', () => {
    const event = lexV2Event({ botName: 'BankingBot', botId: 'BOTID', sessionId: '123456789', inputTranscript: 'I want to check my balance', intentName: 'CheckBalance', slots: { accountType: 'checking' } });
    expect(Object.keys(event)).toEqual(['messageVersion', 'invocationSource', 'inputMode', 'responseContentType', 'sessionId', 'inputTranscript', 'bot', 'interpretations', 'requestAttributes', 'sessionState', 'transcriptions']);
    expect(event.sessionState.intent).toEqual({
      confirmationState: 'None',
      name: 'CheckBalance',
      slots: { accountType: { value: { originalValue: 'checking', interpretedValue: 'checking', resolvedValues: ['checking'] } } },
      state: 'ReadyForFulfillment',
    });
  });
});

describe('asynchronous callers', () => {
  it('SES: builds the documented receipt event (headers only, never the body)', () => {
    // Lambda developer guide, "Using Lambda with Amazon SES", example event shape; values are the builder's own inputs.
    const event = sesEvent({ account: { region: 'us-east-1', accountId: '123456789012' }, fn: 'mail', invocationType: 'Event', messageId: 'o3vrnil0e2ic28tr', epochMs: 0, from: 'janedoe@example.com', to: 'johndoe@example.com', subject: 'Test Subject' });
    const r = event.Records[0];
    expect(Object.keys(r)).toEqual(['eventVersion', 'ses', 'eventSource']);
    expect(r.eventSource).toBe('aws:ses');
    expect(r.ses.mail).toMatchObject({ source: 'janedoe@example.com', timestamp: '1970-01-01T00:00:00.000Z', destination: ['johndoe@example.com'], headersTruncated: false, messageId: 'o3vrnil0e2ic28tr' });
    expect(r.ses.mail.commonHeaders).toMatchObject({ from: ['janedoe@example.com'], to: ['johndoe@example.com'], returnPath: 'janedoe@example.com', subject: 'Test Subject' });
    expect(r.ses.receipt.action).toEqual({ type: 'Lambda', invocationType: 'Event', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:mail' });
    expect(Object.keys(r.ses.receipt)).toEqual(['recipients', 'timestamp', 'spamVerdict', 'dkimVerdict', 'dmarcVerdict', 'dmarcPolicy', 'processingTimeMillis', 'action', 'spfVerdict', 'virusVerdict']);
  });

  it('CloudWatch Logs: the documented DATA_MESSAGE, gzip-compressed and base64-encoded, the same bytes every time', () => {
    // Lambda developer guide, "Using Lambda with CloudWatch Logs", decoded example.
    const decoded = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/echo-nodejs',
      logStream: '2019/03/13/[$LATEST]94fa867e5374431291a7fc14e2f56ae7',
      subscriptionFilters: ['LambdaStream_cloudwatchlogs-node'],
      logEvents: [
        {
          id: '34622316099697884706540976068822859012661220141643892546',
          timestamp: 1552518348220,
          message: 'REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\tDuration: 46.84 ms\tBilled Duration: 47 ms \tMemory Size: 192 MB\tMax Memory Used: 72 MB\t\n',
        },
      ],
    };
    const data = cloudWatchLogsData({ owner: decoded.owner, logGroup: decoded.logGroup, logStream: decoded.logStream, filterName: 'LambdaStream_cloudwatchlogs-node', events: decoded.logEvents });
    expect(data).toEqual(decoded);
    const event = cloudWatchLogsEvent(data);
    expect(Object.keys(event)).toEqual(['awslogs']);
    const bytes = Buffer.from(event.awslogs.data, 'base64');
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(decoded);
    expect(cloudWatchLogsEvent(data)).toEqual(event);
  });

  it('CodeCommit: builds the documented trigger event', () => {
    // Lambda developer guide, "Using AWS Lambda with AWS CodeCommit", example event.
    const example = {
      Records: [
        {
          awsRegion: 'us-east-2',
          codecommit: { references: [{ commit: '5e493c6f3067653f3d04eca608b4901eb227078', ref: 'refs/heads/master' }] },
          eventId: '31ade2c7-f889-47c5-a937-1cf99e2790e9',
          eventName: 'ReferenceChanges',
          eventPartNumber: 1,
          eventSource: 'aws:codecommit',
          eventSourceARN: 'arn:aws:codecommit:us-east-2:123456789012:lambda-pipeline-repo',
          eventTime: '2019-03-12T20:58:25.400+0000',
          eventTotalParts: 1,
          eventTriggerConfigId: '0d17d6a4-efeb-46f3-b3ab-a63741badeb8',
          eventTriggerName: 'index.handler',
          eventVersion: '1.0',
          userIdentityARN: 'arn:aws:iam::123456789012:user/intern',
        },
      ],
    };
    const event = codeCommitEvent({
      account: { region: 'us-east-2', accountId: '123456789012' },
      repository: 'lambda-pipeline-repo',
      triggerName: 'index.handler',
      triggerConfigId: '0d17d6a4-efeb-46f3-b3ab-a63741badeb8',
      eventId: '31ade2c7-f889-47c5-a937-1cf99e2790e9',
      epochMs: Date.UTC(2019, 2, 12, 20, 58, 25, 400),
      commit: '5e493c6f3067653f3d04eca608b4901eb227078',
      ref: 'refs/heads/master',
      user: 'intern',
    });
    expect(JSON.stringify(event)).toBe(JSON.stringify(example));
  });

  it('Config: builds the documented rule event, invokingEvent and ruleParameters as JSON strings', () => {
    // Lambda developer guide, "Using AWS Lambda with AWS Config", example event.
    const example = {
      invokingEvent:
        '{"configurationItem":{"configurationItemCaptureTime":"2016-02-17T01:36:34.043Z","awsAccountId":"123456789012","configurationItemStatus":"OK","resourceId":"i-00000000","ARN":"arn:aws:ec2:us-east-1:123456789012:instance/i-00000000","awsRegion":"us-east-1","availabilityZone":"us-east-1a","resourceType":"AWS::EC2::Instance","tags":{"Foo":"Bar"},"relationships":[{"resourceId":"eipalloc-00000000","resourceType":"AWS::EC2::EIP","name":"Is attached to ElasticIp"}],"configuration":{"foo":"bar"}},"messageType":"ConfigurationItemChangeNotification"}',
      ruleParameters: '{"myParameterKey":"myParameterValue"}',
      resultToken: 'myResultToken',
      eventLeftScope: false,
      executionRoleArn: 'arn:aws:iam::123456789012:role/config-role',
      configRuleArn: 'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-0123456',
      configRuleName: 'change-triggered-config-rule',
      configRuleId: 'config-rule-0123456',
      accountId: '123456789012',
      version: '1.0',
    };
    const event = configRuleEvent({
      account: { region: 'us-east-1', accountId: '123456789012' },
      ruleName: 'change-triggered-config-rule',
      ruleId: 'config-rule-0123456',
      resultToken: 'myResultToken',
      epochMs: Date.parse('2016-02-17T01:36:34.043Z'),
      ruleParameters: { myParameterKey: 'myParameterValue' },
      configurationItem: {
        resourceId: 'i-00000000',
        ARN: 'arn:aws:ec2:us-east-1:123456789012:instance/i-00000000',
        awsRegion: 'us-east-1',
        availabilityZone: 'us-east-1a',
        resourceType: 'AWS::EC2::Instance',
        tags: { Foo: 'Bar' },
        relationships: [{ resourceId: 'eipalloc-00000000', resourceType: 'AWS::EC2::EIP', name: 'Is attached to ElasticIp' }],
        configuration: { foo: 'bar' },
      },
    });
    expect(JSON.stringify(event)).toBe(JSON.stringify(example));
  });
});
