/**
 * The engine's modules in dispatch order. The order is part of determinism: when concurrency is scarce,
 * earlier modules start their work first within a tick. Synchronous callers come first because a caller
 * is waiting; pollers of the asynchronous queue and event source mappings follow. CodeDeploy deployments
 * come last: they start no work of their own in dispatch.
 */
import type { AnyEngineModule } from './module.js';
import { createSyncModule } from './sources/sync.js';
import { createFirehoseModule } from './sources/firehose.js';
import { createStepFunctionsModule } from './sources/stepfunctions.js';
import { createAsyncModule } from './sources/async.js';
import { createEventBridgeModule } from './sources/eventbridge.js';
import { createS3Module } from './sources/s3.js';
import { createSnsModule } from './sources/sns.js';
import { createSqsModule } from './sources/sqs.js';
import { createStreamModule } from './sources/stream.js';
import { createDeploymentsModule } from './deployments.js';

export function createModules(): AnyEngineModule[] {
  return [createSyncModule(), createAsyncModule(), createSnsModule(), createS3Module(), createEventBridgeModule(), createSqsModule(), createStreamModule(), createDeploymentsModule(), createFirehoseModule(), createStepFunctionsModule()];
}
