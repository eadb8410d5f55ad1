/**
 * Small, pure formatting helpers shared by the AWS payload builders: timestamps in the exact forms AWS
 * uses, hashes, deterministic ids and payload-to-string conversion. Nothing here reads a clock or a
 * random source: every value is a function of its arguments.
 */
import { createHash } from 'node:crypto';

/**
 * ISO 8601 with milliseconds, as most AWS payloads carry it (`2019-11-14T18:16:05.568Z`).
 *
 * @example
 * isoMs(0); // '1970-01-01T00:00:00.000Z'
 */
export function isoMs(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * ISO 8601 truncated to whole seconds, without a fraction (`2019-11-14T00:38:01Z`). EventBridge's `time`
 * and DynamoDB batch-info arrival timestamps use this form (docs/aws-rules.md §3.4).
 *
 * @example
 * isoSeconds(1_500); // '1970-01-01T00:00:01Z'
 */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Epoch seconds as a float with millisecond precision (`1545084650.987`), as Kinesis'
 * `approximateArrivalTimestamp` (docs/aws-rules.md §7).
 *
 * @example
 * epochSecondsFloat(1545084650987); // 1545084650.987
 */
export function epochSecondsFloat(epochMs: number): number {
  // Divide the integer milliseconds once, so the float is the nearest double to the decimal AWS prints.
  return Math.round(epochMs) / 1000;
}

/**
 * The access-log time format API Gateway uses in `requestContext.requestTime` / `time`
 * (`12/Mar/2020:19:03:58 +0000`).
 *
 * @example
 * apiGatewayTime(0); // '01/Jan/1970:00:00:00 +0000'
 */
export function apiGatewayTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return (
    `${p2(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
  );
}

/**
 * MD5 of a string's UTF-8 bytes (or of raw bytes), as lower-case hex.
 *
 * @example
 * md5Hex('test'); // '098f6bcd4621d373cade4e832627b4f6'
 */
export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * SHA-256 as lower-case hex (SQS content-based deduplication ids use it).
 *
 * @example
 * sha256Hex('').length; // 64
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A UUID-shaped id (version-4 layout) derived from its inputs by hashing, for the places where AWS shows
 * a random UUID but the simulator must stay deterministic (subscription ids, event ids, object keys).
 *
 * @example
 * uuidFrom('topic', '1') === uuidFrom('topic', '1'); // true
 */
export function uuidFrom(...parts: Array<string | number>): string {
  const h = md5Hex(parts.map(String).join('\u0000'));
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * How a payload becomes a message body, record data or HTTP body: strings pass through unchanged, bytes
 * are decoded as UTF-8, everything else is JSON. Values JSON cannot express never throw: `undefined`
 * becomes `null` (as Lambda serialises a handler that returns nothing), and BigInts or cycles fall back
 * to `String(value)`.
 *
 * @example
 * payloadToString({ n: 1 }); // '{"n":1}'
 * payloadToString('plain');  // 'plain'
 */
export function payloadToString(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  try {
    const json = JSON.stringify(payload);
    return json === undefined ? 'null' : json;
  } catch {
    try {
      return String(payload);
    } catch {
      return '[unserializable]';
    }
  }
}

/**
 * The bytes a payload occupies on the wire (UTF-8 of payloadToString, or the raw bytes).
 *
 * @example
 * payloadBytes('é'); // 2
 */
export function payloadBytes(payload: unknown): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  return Buffer.from(payloadToString(payload), 'utf8');
}

/** A reused buffer for base64OfPayload: the UTF-8 of most payloads fits, and none is allocated for them. */
const scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * The base64 of a payload's bytes (payloadBytes), as Kinesis record data travels; a string payload is
 * encoded through one reused buffer instead of a new one each.
 *
 * @example
 * base64OfPayload({ n: 1 }); // 'eyJuIjoxfQ=='
 */
export function base64OfPayload(payload: unknown): string {
  if (payload instanceof Uint8Array) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64');
  const text = payloadToString(payload);
  // At most 3 bytes of UTF-8 per UTF-16 unit, so the whole text fits and `write` stops at no character.
  if (text.length * 3 > scratch.length) return Buffer.from(text, 'utf8').toString('base64');
  const n = scratch.write(text, 0, 'utf8');
  return scratch.toString('base64', 0, n);
}

/**
 * UTF-8 length in bytes.
 *
 * @example
 * utf8Length('é'); // 2
 */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character.
 *
 * @example
 * truncateUtf8('héllo', 2); // 'h'
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/**
 * A JSON round trip: what a receiver of the serialised payload would parse. `undefined` becomes `null`.
 *
 * @example
 * jsonRoundTrip({ at: new Date(0) }); // { at: '1970-01-01T00:00:00.000Z' }
 */
export function jsonRoundTrip(value: unknown): unknown {
  return JSON.parse(payloadToStringStrict(value));
}

/** payloadToString for JSON only: throws when the value cannot be serialised (the caller decides). */
export function payloadToStringStrict(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : json;
}
