// GET /orders/{id} through an HTTP API (payload format 2.0).
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ orderId: event.pathParameters?.id ?? null, path: event.rawPath }),
});
