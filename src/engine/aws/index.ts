/**
 * AWS-shaped events, records, destination payloads, ARNs and the Lambda Context: pure, deterministic
 * builders typed with @types/aws-lambda (docs/aws-rules.md has the shapes and their sources).
 */
export * from './arn.js';
export * from './callers.js';
export * from './context.js';
export * from './destinations.js';
export * from './dynamodb.js';
export * from './eventbridge.js';
export * from './format.js';
export * from './http.js';
export * from './invoke.js';
export * from './kinesis.js';
export * from './s3.js';
export * from './sns.js';
export * from './sqs.js';
