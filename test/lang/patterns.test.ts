import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ESM_DATA_KEYS,
  matchesFilterCriteria,
  matchesPattern,
  validateFilterCriteria,
  validatePattern,
} from '../../src/lang/patterns.js';

// The example event of the event-ruler README and the EventBridge user guide.
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

describe('EventBridge: all listed fields must match (AND), a value list is OR', () => {
  it('matches when every named field has one of its listed values (the README simple rule)', () => {
    const pattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, withDetail({ state: 'initializing' }))).toBe(true);
  });

  it('does not match when one field of several fails', () => {
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['stopped'] } }, ec2Event)).toBe(false);
  });

  it('does not match when a named field is missing from the event', () => {
    expect(matchesPattern({ detail: { missing: ['x'] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ nothere: { state: ['running'] } }, ec2Event)).toBe(false);
  });

  it('ignores event fields that the pattern does not name', () => {
    expect(matchesPattern({ source: ['aws.ec2'] }, ec2Event)).toBe(true);
  });

  it('compares strings exactly and case-sensitively', () => {
    expect(matchesPattern({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
    expect(matchesPattern({ source: ['aws.ec2 '] }, ec2Event)).toBe(false);
  });

  it('keeps JSON types apart: the number 5 is not the string "5", true is not "true"', () => {
    expect(matchesPattern({ detail: { 'c-count': [5] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': ['5'] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ flag: [true] }, { flag: true })).toBe(true);
    expect(matchesPattern({ flag: ['true'] }, { flag: true })).toBe(false);
    expect(matchesPattern({ flag: [true] }, { flag: 'true' })).toBe(false);
  });

  it('matches numbers by value as parsed (300.0 and 300 are one JavaScript number; see module doc)', () => {
    expect(matchesPattern(JSON.parse('{"n":[300]}'), JSON.parse('{"n":300.0}'))).toBe(true);
    expect(matchesPattern({ n: [300] }, { n: 300.5 })).toBe(false);
  });

  it('does not look up inherited properties of the event', () => {
    expect(matchesPattern({ constructor: [{ exists: true }] }, {})).toBe(false);
    expect(matchesPattern({ toString: [{ exists: false }] }, {})).toBe(true);
  });

  it('never matches a non-object event except through exists:false', () => {
    expect(matchesPattern({ a: ['x'] }, 'x')).toBe(false);
    expect(matchesPattern({ a: ['x'] }, null)).toBe(false);
    expect(matchesPattern({ a: [{ exists: false }] }, 42)).toBe(true);
  });
});

describe('EventBridge: arrays in events', () => {
  it('matches when the pattern and event arrays intersect (eb-event-patterns-arrays example)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern(pattern, { resources: [event.resources[0]] })).toBe(false);
  });

  it('applies operators to each element: any element that satisfies one is enough', () => {
    expect(matchesPattern({ tags: [{ prefix: 'env:' }] }, { tags: ['team:a', 'env:prod'] })).toBe(true);
    expect(matchesPattern({ sizes: [{ numeric: ['>', 10] }] }, { sizes: [1, 2, 30] })).toBe(true);
    expect(matchesPattern({ sizes: [{ numeric: ['>', 10] }] }, { sizes: [1, 2, 3] })).toBe(false);
  });

  it('flattens nested arrays in the event', () => {
    expect(matchesPattern({ a: ['x'] }, { a: [['y'], ['z', ['x']]] })).toBe(true);
  });

  it('matches a nested pattern against objects inside an array (README employees example)', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesPattern({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matchesPattern({ employees: { firstName: ['Anna'] } }, { employees: [[event.employees[0]], [event.employees[1]]] })).toBe(true);
  });

  it('takes all fields of one sub-pattern from the same array element (array-consistent matching)', () => {
    const event = {
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    expect(matchesPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });

  it('an empty event array has no values to match', () => {
    expect(matchesPattern({ resources: ['x'] }, { resources: [] })).toBe(false);
    expect(matchesPattern({ resources: [{ exists: false }] }, { resources: [] })).toBe(true);
  });
});

describe('EventBridge: null and empty string (eb-event-patterns-null-values)', () => {
  const event = {
    source: 'aws.autoscaling',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('[""] matches an empty string', () => {
    expect(matchesPattern({ detail: { eventVersion: [''] } }, event)).toBe(true);
  });

  it('[null] matches a null value', () => {
    expect(matchesPattern({ detail: { responseElements: [null] } }, event)).toBe(true);
  });

  it('null and "" are not interchangeable', () => {
    expect(matchesPattern({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { responseElements: [''] } }, event)).toBe(false);
  });

  it('[null] does not match a missing field', () => {
    expect(matchesPattern({ detail: { absent: [null] } }, event)).toBe(false);
  });
});

describe('EventBridge: prefix and suffix', () => {
  it('prefix matches strings that start with it ("time" starts with "2017-10-02")', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-10-02' }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2017-10-03' }] }, ec2Event)).toBe(false);
  });

  it('suffix matches strings that end with it ("source" ends with "ec2")', () => {
    expect(matchesPattern({ source: [{ suffix: 'ec2' }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ source: [{ suffix: '.png' }] }, ec2Event)).toBe(false);
  });

  it('both are case-sensitive unless given as {"equals-ignore-case": ...}', () => {
    expect(matchesPattern({ service: [{ prefix: 'eventb' }] }, { service: 'EventBridge' })).toBe(false);
    expect(matchesPattern({ service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'EventBridge' })).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'image.PNG' })).toBe(true);
    expect(matchesPattern({ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { FileName: 'image.jpg' })).toBe(false);
  });

  it('only work on string values', () => {
    expect(matchesPattern({ n: [{ prefix: '30' }] }, { n: 301 })).toBe(false);
    expect(matchesPattern({ n: [{ suffix: '1' }] }, { n: 301 })).toBe(false);
  });
});

describe('EventBridge: equals-ignore-case', () => {
  it('matches the same string in any casing', () => {
    expect(matchesPattern({ source: [{ 'equals-ignore-case': 'EC2' }] }, { source: 'ec2' })).toBe(true);
    expect(matchesPattern({ name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' })).toBe(true);
  });

  it('still needs the whole string to be equal', () => {
    expect(matchesPattern({ source: [{ 'equals-ignore-case': 'EC2' }] }, { source: 'aws.ec2' })).toBe(false);
  });

  it('does not match non-strings', () => {
    expect(matchesPattern({ n: [{ 'equals-ignore-case': '5' }] }, { n: 5 })).toBe(false);
  });
});

describe('EventBridge: wildcard', () => {
  it('"*" stands for any run of characters, including none ("Simple*Service")', () => {
    const p = { source: [{ wildcard: 'Simple*Service' }] };
    expect(matchesPattern(p, { source: 'SimpleQueueService' })).toBe(true);
    expect(matchesPattern(p, { source: 'SimpleService' })).toBe(true);
    expect(matchesPattern(p, { source: 'SimpleQueueServices' })).toBe(false);
    expect(matchesPattern(p, { source: 'ASimpleService' })).toBe(false);
  });

  it('matches a path pattern with several wildcards ("dir/*/lib/*.png")', () => {
    const p = { FilePath: [{ wildcard: 'dir/*/lib/*.png' }] };
    expect(matchesPattern(p, { FilePath: 'dir/a/b/lib/x.png' })).toBe(true);
    expect(matchesPattern(p, { FilePath: 'dir/lib/x.png' })).toBe(false);
    expect(matchesPattern(p, { FilePath: 'dir/a/lib/x.jpg' })).toBe(false);
  });

  it('without a wildcard character is an exact match', () => {
    expect(matchesPattern({ a: [{ wildcard: 'abc' }] }, { a: 'abc' })).toBe(true);
    expect(matchesPattern({ a: [{ wildcard: 'abc' }] }, { a: 'abcd' })).toBe(false);
  });

  it('"\\*" is a literal star and "\\\\" a literal backslash', () => {
    expect(matchesPattern({ a: [{ wildcard: 'a\\*b' }] }, { a: 'a*b' })).toBe(true);
    expect(matchesPattern({ a: [{ wildcard: 'a\\*b' }] }, { a: 'axxb' })).toBe(false);
    expect(matchesPattern({ a: [{ wildcard: 'a\\\\*' }] }, { a: 'a\\tail' })).toBe(true);
  });

  it('does not let the pieces overlap ("ab*ba" needs at least "abba")', () => {
    expect(matchesPattern({ a: [{ wildcard: 'ab*ba' }] }, { a: 'aba' })).toBe(false);
    expect(matchesPattern({ a: [{ wildcard: 'ab*ba' }] }, { a: 'abba' })).toBe(true);
    expect(matchesPattern({ a: [{ wildcard: 'a*bc*cd' }] }, { a: 'abcd' })).toBe(false);
    expect(matchesPattern({ a: [{ wildcard: 'a*bc*cd' }] }, { a: 'abccd' })).toBe(true);
  });

  it('agrees with an equivalent regular expression (property)', () => {
    const piece = fc.stringMatching(/^[ab]{0,3}$/);
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[ab]{0,8}$/), (pieces, value) => {
        const wildcard = pieces.join('*');
        if (wildcard.includes('**')) return true;
        const regex = new RegExp(`^${pieces.join('.*')}$`, 's');
        return matchesPattern({ f: [{ wildcard }] }, { f: value }) === regex.test(value);
      }),
    );
  });

  it('only works on strings', () => {
    expect(matchesPattern({ a: [{ wildcard: '1*' }] }, { a: 12 })).toBe(false);
  });
});

describe('EventBridge: anything-but', () => {
  it('a string: anything except that value (docs: state is not "initializing")', () => {
    const p = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesPattern(p, ec2Event)).toBe(true);
    expect(matchesPattern(p, withDetail({ state: 'initializing' }))).toBe(false);
  });

  it('a number: anything except that number (x-limit is not 123)', () => {
    const p = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matchesPattern(p, ec2Event)).toBe(true);
    expect(matchesPattern(p, withDetail({ 'x-limit': 123 }))).toBe(false);
  });

  it('a list of strings or numbers: none of them', () => {
    const strings = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesPattern(strings, ec2Event)).toBe(true);
    expect(matchesPattern(strings, withDetail({ state: 'overloaded' }))).toBe(false);
    const numbers = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesPattern(numbers, ec2Event)).toBe(true);
    expect(matchesPattern(numbers, withDetail({ 'x-limit': 200 }))).toBe(false);
  });

  it('does not match a missing field: there is no value to be "anything but"', () => {
    expect(matchesPattern({ detail: { nothere: [{ 'anything-but': 'x' }] } }, ec2Event)).toBe(false);
  });

  it('with a prefix: strings that do not start with it (Region is not in the US)', () => {
    const p = { Region: [{ 'anything-but': { prefix: 'us-' } }] };
    expect(matchesPattern(p, { Region: 'eu-west-1' })).toBe(true);
    expect(matchesPattern(p, { Region: 'us-east-1' })).toBe(false);
  });

  it('with a suffix: strings that do not end with it (FileName is not a .png)', () => {
    const p = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesPattern(p, { FileName: 'a.jpg' })).toBe(true);
    expect(matchesPattern(p, { FileName: 'a.png' })).toBe(false);
  });

  it('with equals-ignore-case: no casing of the value(s)', () => {
    const p = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matchesPattern(p, { state: 'INITIALIZING' })).toBe(false);
    expect(matchesPattern(p, { state: 'running' })).toBe(true);
    const list = { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'overloaded'] } }] };
    expect(matchesPattern(list, { state: 'STOPPED' })).toBe(false);
    expect(matchesPattern(list, { state: 'running' })).toBe(true);
  });

  it('with a wildcard: strings the wildcard does not match (FilePath does not include /lib/)', () => {
    const p = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesPattern(p, { FilePath: 'dir/lib/x.js' })).toBe(false);
    expect(matchesPattern(p, { FilePath: 'dir/src/x.js' })).toBe(true);
    const list = { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*.md'] } }] };
    expect(matchesPattern(list, { FilePath: 'README.md' })).toBe(false);
    expect(matchesPattern(list, { FilePath: 'src/a.ts' })).toBe(true);
  });

  it('object forms only apply to strings', () => {
    expect(matchesPattern({ n: [{ 'anything-but': { prefix: 'x' } }] }, { n: 5 })).toBe(false);
  });

  it('with an event array, matches when any element is not excluded', () => {
    expect(matchesPattern({ s: [{ 'anything-but': 'a' }] }, { s: ['a', 'b'] })).toBe(true);
    expect(matchesPattern({ s: [{ 'anything-but': 'a' }] }, { s: ['a', 'a'] })).toBe(false);
  });

  it('for a string field that exists, anything-but [x] matches exactly when [x] does not', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (x, value) => {
        const but = matchesPattern({ f: [{ 'anything-but': [x] }] }, { f: value });
        const exact = matchesPattern({ f: [x] }, { f: value });
        return but === !exact;
      }),
    );
  });
});

describe('EventBridge: numeric', () => {
  it('matches the docs example: c-count in (0, 5], d-count < 10, x-limit = 3.018e2', () => {
    const p = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matchesPattern(p, ec2Event)).toBe(true);
    expect(matchesPattern(p, withDetail({ ...ec2Event.detail, 'c-count': 0 }))).toBe(false);
    expect(matchesPattern(p, withDetail({ ...ec2Event.detail, 'c-count': 6 }))).toBe(false);
    expect(matchesPattern(p, withDetail({ ...ec2Event.detail, 'd-count': 10 }))).toBe(false);
    expect(matchesPattern(p, withDetail({ ...ec2Event.detail, 'x-limit': 301.9 }))).toBe(false);
  });

  it('honours each comparison at its boundary', () => {
    const m = (cond: unknown[], n: number) => matchesPattern({ n: [{ numeric: cond }] }, { n });
    expect([m(['<', 5], 5), m(['<=', 5], 5), m(['>', 5], 5), m(['>=', 5], 5), m(['=', 5], 5)]).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(m(['>=', 10, '<', 20], 10)).toBe(true);
    expect(m(['>=', 10, '<', 20], 20)).toBe(false);
  });

  it('only matches JSON numbers, not numeric strings (Lambda docs: Price is 100)', () => {
    expect(matchesPattern({ Price: [{ numeric: ['=', 100] }] }, { Price: 100 })).toBe(true);
    expect(matchesPattern({ Price: [{ numeric: ['=', 100] }] }, { Price: '100' })).toBe(false);
  });

  it('compares to six decimal places, so 0.1 + 0.2 equals 0.3', () => {
    expect(matchesPattern({ n: [{ numeric: ['=', 0.3] }] }, { n: 0.1 + 0.2 })).toBe(true);
    expect(matchesPattern({ n: [{ numeric: ['<', 0.3] }] }, { n: 0.1 + 0.2 })).toBe(false);
  });

  it('never matches values outside ±5e9', () => {
    expect(matchesPattern({ n: [{ numeric: ['>', 0] }] }, { n: 6e9 })).toBe(false);
  });
});

describe('EventBridge: exists', () => {
  it('exists:true matches when the leaf is present (a null value counts as present)', () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ a: [{ exists: true }] }, { a: null })).toBe(true);
    expect(matchesPattern({ detail: { nope: [{ exists: true }] } }, ec2Event)).toBe(false);
  });

  it('exists:false matches an event without detail.c-count (docs example)', () => {
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, ec2Event)).toBe(false);
  });

  it('works only on leaves: an object-valued c-count "does not exist" (docs example)', () => {
    const event = { detail: { state: ['initializing'], 'c-count': { c1: 100 } } };
    expect(matchesPattern({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('exists:false matches when a whole parent object is missing', () => {
    expect(matchesPattern({ detail: { x: [{ exists: false }] } }, { source: 'a' })).toBe(true);
  });

  it('can be OR-ed with values in the same list', () => {
    const p = { a: [{ exists: false }, 'x'] };
    expect(matchesPattern(p, {})).toBe(true);
    expect(matchesPattern(p, { a: 'x' })).toBe(true);
    expect(matchesPattern(p, { a: 'y' })).toBe(false);
  });
});

describe('EventBridge: cidr', () => {
  it('matches IPv4 addresses inside the block (10.0.0.0/24)', () => {
    const p = { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } };
    expect(matchesPattern(p, ec2Event)).toBe(true);
    expect(matchesPattern(p, withDetail({ 'source-ip': '10.0.0.255' }))).toBe(true);
    expect(matchesPattern(p, withDetail({ 'source-ip': '10.0.1.0' }))).toBe(false);
    expect(matchesPattern({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.200.3.4' })).toBe(true);
  });

  it('matches IPv6 addresses, including compressed and IPv4-tailed forms', () => {
    const p = { ip: [{ cidr: '2001:db8::/32' }] };
    expect(matchesPattern(p, { ip: '2001:db8:0:0:1::1' })).toBe(true);
    expect(matchesPattern(p, { ip: '2001:db9::1' })).toBe(false);
    expect(matchesPattern({ ip: [{ cidr: '::ffff:0:0/96' }] }, { ip: '::ffff:10.0.0.1' })).toBe(true);
  });

  it('does not match non-addresses, other IP versions or non-strings', () => {
    const p = { ip: [{ cidr: '10.0.0.0/24' }] };
    expect(matchesPattern(p, { ip: 'not-an-ip' })).toBe(false);
    expect(matchesPattern(p, { ip: '10.0.0.256' })).toBe(false);
    expect(matchesPattern(p, { ip: '::ffff:10.0.0.1' })).toBe(false);
    expect(matchesPattern(p, { ip: 167772161 })).toBe(false);
  });

  it('/32 matches one address and /0 every address', () => {
    expect(matchesPattern({ ip: [{ cidr: '1.2.3.4/32' }] }, { ip: '1.2.3.4' })).toBe(true);
    expect(matchesPattern({ ip: [{ cidr: '1.2.3.4/32' }] }, { ip: '1.2.3.5' })).toBe(false);
    expect(matchesPattern({ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '255.255.255.255' })).toBe(true);
  });
});

describe('EventBridge: $or', () => {
  const cw = { source: 'aws.cloudwatch', metricName: 'CPUUtilization', namespace: 'AWS/Lambda', detail: {} };

  it('"source" && ("metricName" || "namespace") (README normal Or)', () => {
    const p = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matchesPattern(p, cw)).toBe(true);
    expect(matchesPattern(p, { ...cw, metricName: 'Other', namespace: 'AWS/ES' })).toBe(true);
    expect(matchesPattern(p, { ...cw, metricName: 'Other' })).toBe(false);
    expect(matchesPattern(p, { ...cw, source: 'aws.ec2' })).toBe(false);
  });

  it('works inside nested objects in parallel with a top-level $or (README parallel Or)', () => {
    const p = {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    expect(matchesPattern(p, { ...cw, detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(true);
    expect(matchesPattern(p, { ...cw, detail: { source: 'x' } })).toBe(false);
  });

  it('alternatives are ANDs and may nest further $or (README nested Or and And)', () => {
    const p = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    const base = { source: 'aws.cloudwatch', metricName: 'X' };
    expect(matchesPattern(p, { ...base, metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(matchesPattern(p, { ...base, metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1 })).toBe(false);
    expect(matchesPattern(p, { ...base, metricType: 'MetricType', spaceId: 1000 })).toBe(false);
    expect(matchesPattern(p, { ...base, scope: 'Service' })).toBe(true);
  });
});

describe('EventBridge: the docs complex example combines operators', () => {
  it('matches only when prefix, anything-but, numeric and cidr all hold', () => {
    const p = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };
    expect(matchesPattern(p, ec2Event)).toBe(true);
    expect(matchesPattern(p, { ...ec2Event, time: '2017-10-03T00:00:00Z' })).toBe(false);
    expect(matchesPattern(p, withDetail({ ...ec2Event.detail, 'x-limit': 300 }))).toBe(false);
  });
});

describe('validatePattern: refuses what AWS refuses, naming the place', () => {
  it('accepts every documented operator in the EventBridge dialect', () => {
    const p = {
      a: ['x', 1, true, null, ''],
      b: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }, { suffix: 'y' }, { suffix: { 'equals-ignore-case': 'y' } }],
      c: [{ 'equals-ignore-case': 'z' }, { wildcard: 'a*b\\*' }, { cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }],
      d: [{ 'anything-but': 'x' }, { 'anything-but': 1 }, { 'anything-but': ['x', 'y'] }, { 'anything-but': [1, 2] }],
      e: [
        { 'anything-but': { prefix: 'p' } },
        { 'anything-but': { suffix: 's' } },
        { 'anything-but': { 'equals-ignore-case': ['a', 'b'] } },
        { 'anything-but': { wildcard: '*/lib/*' } },
      ],
      f: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 3.018e2] }, { exists: false }],
      $or: [{ g: ['1'] }, { h: { i: ['2'] } }],
    };
    expect(validatePattern(p)).toEqual([]);
  });

  it('refuses a leaf that is not an array', () => {
    expect(validatePattern({ source: 'aws.ec2' })).toEqual([
      'source: a leaf must be an array of values, e.g. ["aws.ec2"], got "aws.ec2"',
    ]);
    expect(validatePattern({ detail: { n: 5 } })[0]).toMatch(/^detail\.n: a leaf must be an array/);
  });

  it('refuses unknown operators and operator objects with several keys', () => {
    expect(validatePattern({ detail: { s: [{ contains: 'x' }] } })[0]).toMatch(/^detail\.s\[0\]: unknown operator "contains"/);
    expect(validatePattern({ s: [{ prefix: 'a', suffix: 'b' }] })[0]).toMatch(/^s\[0\]: an operator object has exactly one key/);
  });

  it('refuses numeric with bad operands, unknown comparisons, wrong shapes and empty ranges', () => {
    expect(validatePattern({ detail: { count: [{ numeric: ['>', 'ten'] }] } })).toEqual([
      'detail.count[0].numeric: operand after ">" must be a number, got "ten"',
    ]);
    expect(validatePattern({ n: [{ numeric: ['!=', 1] }] })[0]).toMatch(/unknown comparison "!="/);
    expect(validatePattern({ n: [{ numeric: ['>', 1, '<'] }] })[0]).toMatch(/must be \[op, number\]/);
    expect(validatePattern({ n: [{ numeric: ['<', 1, '>', 5] }] })[0]).toMatch(/a range is/);
    expect(validatePattern({ n: [{ numeric: ['>', 5, '<', 1] }] })[0]).toMatch(/range is empty/);
    expect(validatePattern({ n: [{ numeric: ['>', 6e9] }] })[0]).toMatch(/outside the numeric range/);
  });

  it('refuses anything-but lists that mix types or are empty, and unknown object forms', () => {
    expect(validatePattern({ s: [{ 'anything-but': ['a', 1] }] })[0]).toMatch(/^s\[0\]\.anything-but: a list must be non-empty and hold only strings or only numbers/);
    expect(validatePattern({ s: [{ 'anything-but': [] }] })).toHaveLength(1);
    expect(validatePattern({ s: [{ 'anything-but': { numeric: ['>', 1] } }] })[0]).toMatch(/takes a value, a list, or one of/);
    expect(validatePattern({ s: [{ 'anything-but': true }] })).toHaveLength(1);
  });

  it('refuses malformed wildcards, CIDR blocks, exists and string operands', () => {
    expect(validatePattern({ s: [{ wildcard: 'a**b' }] })[0]).toMatch(/consecutive wildcard/);
    expect(validatePattern({ s: [{ wildcard: 'a\\b' }] })[0]).toMatch(/backslash may only escape/);
    expect(validatePattern({ s: [{ cidr: '10.0.0.0/33' }] })[0]).toMatch(/^s\[0\]\.cidr: must be an IPv4 or IPv6 CIDR/);
    expect(validatePattern({ s: [{ cidr: '10.0.0.1' }] })).toHaveLength(1);
    expect(validatePattern({ s: [{ exists: 'yes' }] })[0]).toMatch(/must be true or false/);
    expect(validatePattern({ s: [{ prefix: 5 }] })[0]).toMatch(/^s\[0\]\.prefix: must be a string/);
  });

  it('refuses empty objects, empty arrays, nested arrays and non-object patterns', () => {
    expect(validatePattern({})).toEqual(['(pattern): empty object; name at least one field to match']);
    expect(validatePattern({ detail: {} })[0]).toMatch(/^detail: empty object/);
    expect(validatePattern({ a: [] })[0]).toMatch(/^a: empty array matches nothing/);
    expect(validatePattern({ a: [['x']] })[0]).toMatch(/^a\[0\]: arrays are not allowed/);
    expect(validatePattern(['x'])[0]).toMatch(/^\(pattern\): must be a JSON object/);
    expect(validatePattern('{"a":["x"]}')[0]).toMatch(/^\(pattern\): must be a JSON object/);
  });

  it('refuses $or that is not an array of at least two sub-patterns, and checks inside it', () => {
    expect(validatePattern({ $or: [{ a: ['x'] }] })[0]).toMatch(/^\$or: "\$or" takes an array of at least two/);
    expect(validatePattern({ $or: { a: ['x'] } })).toHaveLength(1);
    expect(validatePattern({ $or: [{ a: ['x'] }, { b: 'y' }] })).toEqual([
      '$or[1].b: a leaf must be an array of values, e.g. ["y"], got "y"',
    ]);
  });

  it('reports every problem, not just the first', () => {
    expect(validatePattern({ a: 'x', b: [{ nope: 1 }], c: { d: [] } })).toHaveLength(3);
  });
});

describe('Lambda event filtering supports a subset of operators (dialect "esm")', () => {
  const esm = { dialect: 'esm' as const };

  it('accepts null, empty, equals, equals-ignore-case, value-list OR, anything-but values, numeric, exists, prefix, suffix', () => {
    const p = {
      UserID: [null],
      LastName: [''],
      Name: ['Alice'],
      Alias: [{ 'equals-ignore-case': 'alice' }],
      PaymentType: ['Credit', 'Debit'],
      Weather: [{ 'anything-but': ['Raining'] }],
      Price: [{ numeric: ['>', 10, '<=', 20] }],
      ProductName: [{ exists: true }],
      Region: [{ prefix: 'us-' }],
      FileName: [{ suffix: '.png' }],
    };
    expect(validatePattern(p, esm)).toEqual([]);
  });

  it.each([
    ['wildcard', { a: [{ wildcard: 'x*' }] }, 'a[0]'],
    ['cidr', { a: [{ cidr: '10.0.0.0/8' }] }, 'a[0]'],
    ['$or', { $or: [{ a: ['x'] }, { b: ['y'] }] }, '$or'],
    ['anything-but with prefix', { a: [{ 'anything-but': { prefix: 'x' } }] }, 'a[0].anything-but'],
    ['anything-but with suffix', { a: [{ 'anything-but': { suffix: 'x' } }] }, 'a[0].anything-but'],
    ['anything-but with equals-ignore-case', { a: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] }, 'a[0].anything-but'],
    ['anything-but with wildcard', { a: [{ 'anything-but': { wildcard: 'x*' } }] }, 'a[0].anything-but'],
    ['prefix with equals-ignore-case', { a: [{ prefix: { 'equals-ignore-case': 'x' } }] }, 'a[0].prefix'],
  ])('refuses %s, naming where', (_name, pattern, path) => {
    const problems = validatePattern(pattern, esm);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${path}: `)).toBe(true);
    expect(problems[0]).toMatch(/not supported by Lambda event filtering/);
    expect(validatePattern(pattern)).toEqual([]);
  });

  it('refuses a plain-value pattern on Kinesis "data" or DynamoDB "dynamodb" (Lambda throws at creation)', () => {
    expect(validatePattern({ data: ['x'] }, { dialect: 'esm', source: 'kinesis' })[0]).toMatch(/^data: Kinesis filters on "data" must be a JSON pattern/);
    expect(validatePattern({ dynamodb: ['x'] }, { dialect: 'esm', source: 'dynamodb' })[0]).toMatch(/^dynamodb: DynamoDB/);
    expect(validatePattern({ body: ['x'] }, { dialect: 'esm', source: 'sqs' })).toEqual([]);
  });

  it('validateFilterCriteria allows up to 5 filters and prefixes paths with the filter index', () => {
    expect(validateFilterCriteria([{ a: ['1'] }, { b: ['2'] }], 'sqs')).toEqual([]);
    const six = Array.from({ length: 6 }, (_, i) => ({ a: [String(i)] }));
    expect(validateFilterCriteria(six, 'sqs')[0]).toMatch(/at most 5 filters/);
    expect(validateFilterCriteria([{ a: ['1'] }, { body: { a: [{ wildcard: 'x*' }] } }], 'sqs')[0]).toMatch(
      /^filters\[1\]\.body\.a\[0\]: "wildcard" is not supported/,
    );
    expect(validateFilterCriteria([{}], 'sqs')[0]).toMatch(/^filters\[0\]: empty object/);
    expect(validateFilterCriteria({ a: ['x'] }, 'sqs')[0]).toMatch(/^filters: must be a list/);
  });

  it('validateFilterCriteria refuses a pattern longer than 4096 characters of JSON', () => {
    const long = { a: Array.from({ length: 500 }, (_, i) => `value-${i}`) };
    expect(validateFilterCriteria([long], 'sqs')[0]).toMatch(/^filters\[0\]: pattern is \d+ characters of JSON, at most 4096/);
  });
});

const sqsRecord = (body: string, extra: Record<string, unknown> = {}) => ({
  messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1545082649183',
    SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: '1545082649185',
  },
  messageAttributes: {},
  md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:my-queue',
  awsRegion: 'us-east-2',
  ...extra,
});

const kinesisRecord = (data: string, partitionKey = '1') => ({
  kinesis: {
    kinesisSchemaVersion: '1.0',
    partitionKey,
    sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    data: Buffer.from(data, 'utf8').toString('base64'),
    approximateArrivalTimestamp: 1545084650.987,
  },
  eventSource: 'aws:kinesis',
  eventVersion: '1.0',
  eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
  eventName: 'aws:kinesis:record',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
  awsRegion: 'us-east-2',
  eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
});

const dynamodbRecord = (eventName: string, id: string) => ({
  eventID: '1',
  eventName,
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    Keys: { Id: { N: id } },
    NewImage: { Message: { S: 'New item!' }, Id: { N: id } },
    SequenceNumber: '111',
    SizeBytes: 26,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000',
});

describe('Lambda FilterCriteria: filters are OR-ed; no filters lets everything through', () => {
  it('passes a record when any filter matches, and drops it when none does', () => {
    const filters = [{ body: { kind: ['a'] } }, { body: { kind: ['b'] } }];
    expect(matchesFilterCriteria(filters, sqsRecord('{"kind":"b"}'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria(filters, sqsRecord('{"kind":"c"}'), 'sqs')).toBe(false);
  });

  it('passes every record when the list is empty', () => {
    expect(matchesFilterCriteria([], sqsRecord('anything'), 'sqs')).toBe(true);
  });

  it('uses body for SQS, data for Kinesis and dynamodb for DynamoDB', () => {
    expect(ESM_DATA_KEYS).toEqual({ sqs: 'body', kinesis: 'data', dynamodb: 'dynamodb' });
  });
});

describe('Lambda FilterCriteria on SQS: body format must agree with the pattern', () => {
  it('JSON body + JSON pattern: filters on the body fields', () => {
    const f = [{ body: { RequestCode: ['BBBB'] } }];
    expect(matchesFilterCriteria(f, sqsRecord('{"RequestCode":"BBBB"}'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria(f, sqsRecord('{"RequestCode":"AAAA"}'), 'sqs')).toBe(false);
  });

  it('plain-string body + plain-string pattern: filters on the string', () => {
    expect(matchesFilterCriteria([{ body: ['hello'] }], sqsRecord('hello'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria([{ body: [{ prefix: 'hel' }] }], sqsRecord('hello'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria([{ body: ['hello'] }], sqsRecord('goodbye'), 'sqs')).toBe(false);
  });

  it('plain-string body + JSON pattern: drops the message, even for exists:false', () => {
    expect(matchesFilterCriteria([{ body: { a: ['x'] } }], sqsRecord('a=x'), 'sqs')).toBe(false);
    expect(matchesFilterCriteria([{ body: { a: [{ exists: false }] } }], sqsRecord('a=x'), 'sqs')).toBe(false);
  });

  it('JSON body + plain-string pattern: drops the message, even if the text would match', () => {
    expect(matchesFilterCriteria([{ body: ['{"a":1}'] }], sqsRecord('{"a":1}'), 'sqs')).toBe(false);
    expect(matchesFilterCriteria([{ body: [{ exists: true }] }], sqsRecord('["x"]'), 'sqs')).toBe(false);
  });

  it('no pattern on body: filters on the other metadata only', () => {
    const f = [{ attributes: { SenderId: ['AIDAIENQZJOLO23YVJ4VO'] } }];
    expect(matchesFilterCriteria(f, sqsRecord('not json'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria(f, sqsRecord('{"json":true}'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria([{ attributes: { SenderId: ['other'] } }], sqsRecord('{}'), 'sqs')).toBe(false);
  });

  it('treats a body that is a bare JSON scalar as a plain string', () => {
    expect(matchesFilterCriteria([{ body: ['42'] }], sqsRecord('42'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria([{ body: { a: ['x'] } }], sqsRecord('42'), 'sqs')).toBe(false);
  });

  it('matches numbers inside a JSON body by JSON type', () => {
    expect(matchesFilterCriteria([{ body: { n: [{ numeric: ['>', 5] }] } }], sqsRecord('{"n":7}'), 'sqs')).toBe(true);
    expect(matchesFilterCriteria([{ body: { n: [{ numeric: ['>', 5] }] } }], sqsRecord('{"n":"7"}'), 'sqs')).toBe(false);
  });
});

describe('Lambda FilterCriteria on Kinesis: data is base64, decoded and parsed when JSON', () => {
  const tempRecord = kinesisRecord(JSON.stringify({ City: 'Seattle', State: 'WA', Temperature: 55, Location: 'Los Angeles' }));

  it('filters on decoded data fields (Temperature > 50 and <= 60)', () => {
    const f = [{ data: { Temperature: [{ numeric: ['>', 50, '<=', 60] }] } }];
    expect(matchesFilterCriteria(f, tempRecord, 'kinesis')).toBe(true);
    expect(matchesFilterCriteria(f, kinesisRecord('{"Temperature":61}'), 'kinesis')).toBe(false);
  });

  it('filters on partitionKey (a field of the kinesis object) and data together (docs example)', () => {
    const f = [{ partitionKey: ['1'], data: { Location: ['Los Angeles'] } }];
    expect(matchesFilterCriteria(f, tempRecord, 'kinesis')).toBe(true);
    expect(matchesFilterCriteria(f, kinesisRecord(JSON.stringify({ Location: 'Los Angeles' }), '2'), 'kinesis')).toBe(false);
  });

  it('drops non-JSON data when the pattern filters on data', () => {
    expect(matchesFilterCriteria([{ data: { City: ['Seattle'] } }], kinesisRecord('City=Seattle'), 'kinesis')).toBe(false);
  });

  it('filters non-JSON data on metadata only when the pattern says nothing about data', () => {
    expect(matchesFilterCriteria([{ partitionKey: ['1'] }], kinesisRecord('plain text'), 'kinesis')).toBe(true);
  });
});

describe('Lambda FilterCriteria on DynamoDB Streams: the data key is dynamodb', () => {
  it('filters multi-level on dynamodb.Keys.Id.N (docs example)', () => {
    const f = [{ dynamodb: { Keys: { Id: { N: ['101'] } } } }];
    expect(matchesFilterCriteria(f, dynamodbRecord('INSERT', '101'), 'dynamodb')).toBe(true);
    expect(matchesFilterCriteria(f, dynamodbRecord('INSERT', '102'), 'dynamodb')).toBe(false);
  });

  it('filters on eventName metadata', () => {
    expect(matchesFilterCriteria([{ eventName: ['INSERT'] }], dynamodbRecord('INSERT', '1'), 'dynamodb')).toBe(true);
    expect(matchesFilterCriteria([{ eventName: ['INSERT'] }], dynamodbRecord('REMOVE', '1'), 'dynamodb')).toBe(false);
  });

  it('never matches a plain-value pattern on dynamodb', () => {
    expect(matchesFilterCriteria([{ dynamodb: [{ exists: true }] }], dynamodbRecord('INSERT', '1'), 'dynamodb')).toBe(false);
  });
});

describe('matching is a pure function of pattern and event', () => {
  const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));

  it('gives the same answer twice and never throws on arbitrary JSON events', () => {
    const pattern = { a: ['x', 1, null, { prefix: 'a' }, { 'anything-but': ['b'] }, { exists: false }], b: { c: [{ numeric: ['>', 0] }] } };
    fc.assert(
      fc.property(fc.jsonValue(), (event) => {
        const first = matchesPattern(pattern, event);
        return first === matchesPattern(pattern, event);
      }),
    );
  });

  it('a value list matches exactly when one of its single-value patterns does (OR)', () => {
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 4 }), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), (values, v) => {
        const whole = matchesPattern({ f: values }, { f: v });
        const anyOne = values.some((value) => matchesPattern({ f: [value] }, { f: v }));
        return whole === anyOne;
      }),
    );
  });

  it('$or of two patterns matches exactly when either pattern does', () => {
    fc.assert(
      fc.property(leaf, leaf, fc.dictionary(fc.constantFrom('a', 'b'), leaf), (x, y, event) => {
        const p1 = { a: [x] };
        const p2 = { b: [y] };
        return matchesPattern({ $or: [p1, p2] }, event) === (matchesPattern(p1, event) || matchesPattern(p2, event));
      }),
    );
  });
});
