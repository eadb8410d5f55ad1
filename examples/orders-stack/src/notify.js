// Both subscribers of OrderEvents get every message (SNS fan-out), each through its own async queue.
exports.email = async (event) => ({ emailed: event.Records[0].Sns.MessageId });
exports.ledger = async (event) => ({ recorded: event.Records[0].Sns.MessageId });
