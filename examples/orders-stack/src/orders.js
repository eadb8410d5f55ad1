// Order 7 (and every twentieth after it) cannot be processed: it is reported as a batch item failure, so
// SQS makes it visible again after the 30 s visibility timeout, and on its third receive the redrive
// policy moves it to OrdersDLQ. The other messages of its batch are deleted.
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    const order = JSON.parse(record.body);
    if (order.n % 20 === 7) batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
};
