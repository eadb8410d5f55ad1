// Click 11 is a poison record: the batch that holds it throws, the mapping bisects the batch until the
// record is alone, retries it twice and sends a batch-info record to ClicksFailed. Its shard waits
// meanwhile; the other shard flows on.
exports.handler = async (event) => {
  for (const record of event.Records) {
    const click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    if (click.n === 11) throw new Error(`cannot count click ${click.n}`);
  }
  return { counted: event.Records.length };
};
