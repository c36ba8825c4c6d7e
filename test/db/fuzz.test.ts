import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import type { Db } from '../../server/platform/db/database.js';
import { createLogger } from '../../server/platform/logger.js';
import { FINDINGS, STAFF_EVENTS } from '../../server/features/cases/caseFile.schemas.js';
import {
  AGE_RANGES,
  CONTACT_METHODS,
  FILING_AS,
  GENDERS,
  LANGUAGE_CODES,
  RACES,
} from '../../server/features/residents/complaint.schemas.js';
import type { Services } from '../../server/compose.js';
import { DEADLINE_KINDS } from '../../workflows/complaint.machine.js';
import { DISMISSAL_REASONS, STAGES, TOLLING_REASONS } from '../../workflows/complaint.types.js';
import { createAdmin, freshCode, signInAdminAs, type TestAdmin } from '../support/admin.js';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { cameraHeic, cameraJpeg, cameraPng, docx, mp3, pdf, wav, zip } from '../support/evidenceFixtures.js';
import { NAMED_ANSWERS, csrfOf, startForm, type Agent } from '../support/resident.js';
import { createStaff, signIn, signInPage, tokenFrom } from '../support/staff.js';

/**
 * Fuzzing (#15 item 14): bodies shaped by the zod schemas, then made hostile (wrong types,
 * prototype keys, huge strings, control characters, lone surrogates, bidi overrides, long arrays,
 * deep nesting, malformed JSON and urlencoded bodies, wrong content types), against every public,
 * staff and API endpoint. Whatever arrives: no 5xx, no stack trace or internal detail in the answer,
 * and the app still answers /healthz and /readyz after each property.
 *
 * Bodies carry live values where a schema wants them (the session's form token, a case's id and
 * version, allegation ids), so most requests get past the token check and reach validation, and a
 * third go unmutated, to reach the services behind it. Each run checks the answer: under 500, no
 * stack frame, source path, error name, parser, database or SQL text (unless the request itself
 * carried it), no redirect off the site, and Object.prototype unchanged.
 *
 * Runs are seeded: FUZZ_SEED=<n> replays another seed, FUZZ_RUNS=<factor> scales every property's
 * runs (FUZZ_RUNS=10 for a long local session), FUZZ_DEBUG=1 prints the statuses each property got.
 * fast-check prints the seed and the shrunk request; a 5xx's report quotes the error it logged.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 15_142_026);
const SCALE = Number(process.env['FUZZ_RUNS'] ?? 1);
const DEBUG = Boolean(process.env['FUZZ_DEBUG']);
const runsOf = (n: number) => Math.max(1, Math.round(n * SCALE));

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

/** A placeholder filled at send time with a live value (a form token, a case's version, an id). */
const MARK = '\uE000';
const live = (name: string) => `${MARK}${name}${MARK}`;
const LIVE = /\uE000(\w+)\uE000/g;

/**
 * Control and format characters, bidi overrides, a BOM, noncharacters, lone surrogates (kept
 * apart: two together would make a pair), combining marks, letters that change length when cased,
 * emoji (ZWJ sequences too) and the characters that mean something in URLs, HTML and templates.
 */
const ODD_CHARS = [
  ...'\u0000\u0001\u0008\u001b\u007f\u0085\u00a0\u00ad\u200b\u200d\u200e\u200f\u202a\u202e\u2066\u2069',
  ...'\u2028\u2029\ufeff\ufffd\uffff\u0301İßǅﬃ𝔘😀\r\n\t\\"\'<>&%+=;/?#[]{}',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '👩🏽‍⚖️',
  '🏳️‍🌈',
];

const anyChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_CHARS) },
  { weight: 2, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
);
const oddText = fc.string({ unit: anyChar, maxLength: 30 });

const NUMBERISH = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '-0',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x1F',
  '0b1',
  '9007199254740993',
  '99999999999999999999999',
  '2147483648',
  '-2147483649',
  '1_000',
  ' 1 ',
  '１２３',
  '٣',
  '00001',
  '+1',
  '.5',
];

const SPECIAL = [
  '',
  ' ',
  'true',
  'false',
  'null',
  'undefined',
  '[]',
  '{}',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  '../../../etc/passwd',
  '..%2f..%2fetc',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{ 7 * 7 }}',
  '{% include "x" %}',
  '${7*7}',
  "' OR '1'='1",
  "'; DROP TABLE complaints; --",
  '%00',
  '%',
  '%E0%A4%A',
  '\\u0000',
  'Ａｄｍｉｎ',
  '\r\nSet-Cookie: x=1',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-02-30',
  '9999-12-31',
  '0000-00-00',
  '1899-12-31',
  '2199-12-31T23:59:59Z',
  'OC-0000-0000',
  'OC-2222-2222',
  'oc 2222 2222',
];

/** Long text: just over a field's cap, and past the body limit (256 kB). */
const hugeText = fc
  .tuple(
    fc.constantFrom(5_001, 20_001, 100_000, 270_000),
    fc.constantFrom('a', 'é', '😀', '\u0000', '\ud800', ' ', '\u202e'),
  )
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERISH) },
  { weight: 3, arbitrary: oddText },
  { weight: 1, arbitrary: hugeText },
);

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];
const hostileKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('_csrf', 'action', 'returnTo', '', ' ', 'a[b]', 'a[]', 'a.b', '0', '-1', 'length'),
  },
  { weight: 1, arbitrary: fc.constant('k'.repeat(2000)) },
  { weight: 2, arbitrary: oddText },
);

/** An object nested `depth` levels deep. */
function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 1e308, Number.MAX_SAFE_INTEGER + 2, -1)),
  },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 501, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => String(i))),
  },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 1500 }).map(nested) },
  { weight: 1, arbitrary: fc.dictionary(hostileKey, hostileString, { maxKeys: 3 }) },
);

// Valid-looking values, the raw material of the valid-shaped bodies.
const words = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.lorem({ maxCount: 6 }).map((s) => s.slice(0, max)) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 40) }) },
  );
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** A day YYYY-MM-DD: mostly recent, sometimes at the edges of the calendar (year 0000, 9999). */
const day = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  },
);
/** A month YYYY-MM, the same way; and sometimes not quite one. */
const month = fc.oneof(
  { weight: 4, arbitrary: day.map((d) => d.slice(0, 7)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('0000-01', '0001-06', '9999-12', '2026-00', '2026-13', '2026-1', '') },
);
/** Months at the edges of what a range can hold: the first years of the calendar, the last, the epoch. */
const edgeMonth = fc
  .tuple(fc.constantFrom(0, 1, 2, 3, 1899, 1900, 1969, 1970, 2038, 9998, 9999), fc.constantFrom(1, 6, 11, 12))
  .map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}`);
const digits = (max: number) => fc.integer({ min: 0, max }).map(String);
const emailArb = fc.oneof(fc.emailAddress(), fc.constantFrom('ana@example.com', 'not-an-email', ''));
const phoneArb = fc.constantFrom('555 0101', '+1 (555) 010-0101', '12', '');

// ---------------------------------------------------------------------------------------------
// Mutations of a valid-shaped body
// ---------------------------------------------------------------------------------------------

type Body = Record<string, unknown>;

type Op =
  | { op: 'drop'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'add'; key: string; value: unknown }
  | { op: 'twice'; at: number }
  | { op: 'nest'; at: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), key: hostileKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('twice' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat() }) },
);

/** Sets an own property, `__proto__` included (a plain assignment would change the prototype). */
function define(target: Body, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies the operations; the form token is left alone unless `token` says it may be hit too. */
function mutate(valid: Body, ops: Op[], token: boolean): Body {
  const body: Body = {};
  for (const [k, v] of Object.entries(valid)) if (v !== undefined) define(body, k, v);
  for (const op of ops) {
    const keys = Object.keys(body).filter((k) => token || k !== '_csrf' || Object.keys(body).length === 1);
    const key = keys.length ? keys[('at' in op ? op.at : 0) % keys.length]! : undefined;
    switch (op.op) {
      case 'drop':
        if (key !== undefined) delete body[key];
        break;
      case 'set':
        if (key !== undefined) define(body, key, op.value);
        break;
      case 'add':
        define(body, op.key, op.value);
        break;
      case 'twice':
        if (key !== undefined) define(body, key, [body[key], body[key]]);
        break;
      case 'nest':
        if (key !== undefined) define(body, key, { [key]: body[key] });
        break;
    }
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Encodings: how the body reaches the server
// ---------------------------------------------------------------------------------------------

/** Percent-encoding that also sends a lone surrogate, as its (invalid) WTF-8 bytes. */
function pct(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(text[i]!);
    }
  }
  return out;
}

/** Form pairs of a value: lists repeat the key, objects become `key[sub]` (as qs would write them). */
function formPairs(key: string, value: unknown, out: Array<[string, string]>, depth = 0): void {
  if (depth > 2000) return;
  if (Array.isArray(value)) for (const v of value) formPairs(key, v, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) formPairs(`${key}[${k}]`, v, out, depth + 1);
  } else out.push([key, value === undefined ? '' : String(value)]);
}

function urlencoded(body: Body): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(body)) formPairs(k, v, pairs);
  return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

const FORM_JUNK = [
  '%',
  '%%',
  '%E0%A4%A',
  '%ZZ=1',
  '%ED%A0%80=%ED%B0%80',
  '=',
  '&&&',
  '=&=',
  'a',
  '__proto__=x',
  '__proto__[admin]=1',
  'constructor[prototype][admin]=1',
  '_csrf[]=1',
  '_csrf=a&_csrf=b',
  'a[]=1&a[]=2',
  'a[0]=x',
  '+%2B+',
  ';a=1',
  '%00=%00',
  `x=${'%FF'.repeat(10)}`,
  Array.from({ length: 600 }, (_, i) => `p${i}=1`).join('&'),
];

type JsonRaw =
  'truncate' | 'trailing' | 'proto' | 'duplicate' | 'bom' | 'comment' | 'deep' | 'nonObject' | 'singleQuotes';

const NON_OBJECTS = [
  '"a string"',
  '123',
  'null',
  'true',
  '[]',
  '[{}]',
  '1e309',
  '-0',
  'NaN',
  "'single'",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1e309}',
  '{"\\ud800":"\\udfff"}',
  '{"a":"\\u0000"}',
  '',
  ' ',
  '{',
  '}',
  '{"a":1,}',
  '\u0000',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset="utf-8"',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/x-www-form-urlencoded; charset=utf-7',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'application/json;;;',
  ';',
  'x',
  '*/*',
  'application/json, text/html',
];

type Encoding =
  | { kind: 'form' }
  | { kind: 'formJunk'; junk: string; before: boolean }
  | { kind: 'json' }
  | { kind: 'jsonRaw'; how: JsonRaw; at: number; alt: string }
  | { kind: 'declared'; contentType: string; as: 'form' | 'json' }
  | { kind: 'bytes'; contentType: string; bytes: number[] }
  | { kind: 'empty'; contentType: string | null }
  | { kind: 'contentEncoding'; encoding: string };

const jsonRawArb = fc.record({
  kind: fc.constant('jsonRaw' as const),
  how: fc.constantFrom<JsonRaw>(
    'truncate',
    'trailing',
    'proto',
    'duplicate',
    'bom',
    'comment',
    'deep',
    'nonObject',
    'singleQuotes',
  ),
  at: fc.nat(),
  alt: fc.constantFrom(...NON_OBJECTS),
});

const otherEncodings: Array<fc.WeightedArbitrary<Encoding>> = [
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('declared' as const),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      as: fc.constantFrom('form' as const, 'json' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
      bytes: fc.array(fc.constantFrom(0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x00, 0x22, 0x7b, 0x3d), {
        minLength: 1,
        maxLength: 12,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('empty' as const),
      contentType: fc.constantFrom(null, 'application/json', 'application/x-www-form-urlencoded', 'text/plain'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('contentEncoding' as const),
      encoding: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip', 'x-custom'),
    }),
  },
];

const formEncodings: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Encoding>({ kind: 'form' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('formJunk' as const),
      junk: fc.constantFrom(...FORM_JUNK),
      before: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant<Encoding>({ kind: 'json' }) },
  { weight: 1, arbitrary: jsonRawArb },
  ...otherEncodings,
);

const jsonEncodings: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Encoding>({ kind: 'json' }) },
  { weight: 3, arbitrary: jsonRawArb },
  { weight: 1, arbitrary: fc.constant<Encoding>({ kind: 'form' }) },
  ...otherEncodings,
);

const queryEncodings: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Encoding>({ kind: 'form' }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('formJunk' as const),
      junk: fc.constantFrom(...FORM_JUNK.filter((j) => j.length < 1000)),
      before: fc.boolean(),
    }),
  },
);

function rawJson(body: Body, how: JsonRaw, at: number, alt: string): string {
  const json = JSON.stringify(body);
  switch (how) {
    case 'truncate':
      return json.slice(0, at % Math.max(1, json.length));
    case 'trailing':
      return `${json}${[',', '}', ' garbage', '\u0000', ']', '{}'][at % 6]}`;
    case 'proto':
      return json.replace(
        /^\{/,
        '{"__proto__":{"_csrf":"x","roles":["admin"],"polluted":1},"constructor":{"prototype":{"polluted":1}},',
      );
    case 'duplicate':
      return json.replace(/\}$/, ',"_csrf":{"$ne":1},"_csrf":[]}');
    case 'bom':
      return `\ufeff${json}`;
    case 'comment':
      return `/* x */${json}`;
    case 'deep': {
      // Nesting that a recursive reader would choke on, within the 256 kB limit.
      const depth = [100, 5_000, 120_000][at % 3]!;
      return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    }
    case 'nonObject':
      return alt;
    case 'singleQuotes':
      return json.replaceAll('"', "'");
  }
}

interface Wire {
  contentType: string | null;
  body: Buffer | undefined;
  headers: Record<string, string>;
}

function encode(body: Body, encoding: Encoding): Wire {
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  switch (encoding.kind) {
    case 'form':
      return { contentType: 'application/x-www-form-urlencoded', body: utf8(urlencoded(body)), headers: {} };
    case 'formJunk': {
      const form = urlencoded(body);
      const text = encoding.before ? `${encoding.junk}&${form}` : `${form}&${encoding.junk}`;
      return { contentType: 'application/x-www-form-urlencoded', body: utf8(text), headers: {} };
    }
    case 'json':
      return { contentType: 'application/json', body: utf8(JSON.stringify(body)), headers: {} };
    case 'jsonRaw':
      return {
        contentType: 'application/json',
        body: utf8(rawJson(body, encoding.how, encoding.at, encoding.alt)),
        headers: {},
      };
    case 'declared': {
      const text = encoding.as === 'json' ? JSON.stringify(body) : urlencoded(body);
      return { contentType: encoding.contentType, body: utf8(text), headers: {} };
    }
    case 'bytes':
      return {
        contentType: encoding.contentType,
        body: Buffer.concat([
          utf8(encoding.contentType.endsWith('json') ? '{"a":"' : 'a='),
          Buffer.from(encoding.bytes),
        ]),
        headers: {},
      };
    case 'empty':
      return {
        contentType: encoding.contentType,
        body: encoding.contentType ? Buffer.alloc(0) : undefined,
        headers: {},
      };
    case 'contentEncoding':
      return {
        contentType: 'application/x-www-form-urlencoded',
        body: utf8(urlencoded(body)),
        headers: { 'Content-Encoding': encoding.encoding },
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Multipart bodies for the upload forms
// ---------------------------------------------------------------------------------------------

interface FilePart {
  field: string;
  filename: string;
  type: string;
  data: Buffer;
}

type MultipartFlaw = 'none' | 'noEnd' | 'wrongBoundary' | 'badHeader' | 'noBoundary' | 'junkPreamble';

const CSV_HEADER = 'badge_number,first_name,last_name,rank,unit,district';
const CSV = Buffer.from(`${CSV_HEADER}\n9001,Fuzz,Tester,Officer,,north\n`);

/** Evidence of every kind the app takes, and some it must refuse. */
const FIXTURES = [
  cameraPng(),
  cameraJpeg(),
  cameraHeic().file,
  pdf(),
  docx(),
  wav(),
  mp3(),
  zip([['a.txt', 'hello']]),
  CSV,
  Buffer.from('A plain statement of what happened.\n'),
  Buffer.alloc(0),
  Buffer.from('MZ\x90\x00 not really a program'),
  Buffer.from('<html><script>alert(1)</script></html>'),
  Buffer.from([0xff, 0xfe, 0x00, 0x00, 0xed, 0xa0, 0x80]),
];

/** A fixture as sent, or cut short, or with bytes overwritten (a broken header, a lying length). */
const fileData = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FIXTURES) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...FIXTURES.slice(0, 8)),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }),
      )
      .map(([data, cut, flips]) => {
        const copy = Buffer.from(data.subarray(0, data.length ? 1 + (cut % data.length) : 0));
        for (const [at, byte] of flips) if (copy.length) copy[at % copy.length] = byte;
        return copy;
      }),
  },
);

/** An officer import: the right header (mostly), then rows of hostile cells, quoted or not. */
const csvCell = fc.oneof(
  { weight: 3, arbitrary: words(40) },
  { weight: 2, arbitrary: hostileString.filter((v) => v.length < 30_000) },
  { weight: 1, arbitrary: fc.constantFrom("=cmd|'/c calc'!A1", '+1', '@SUM(1)', '"', '""', '\r\n', 'north', '') },
);
const csvData = fc
  .tuple(
    fc.constantFrom(
      CSV_HEADER,
      CSV_HEADER,
      `\ufeff${CSV_HEADER}`,
      'BADGE_NUMBER,First_Name,LAST_NAME,rank,unit,district',
      'badge_number,first_name',
    ),
    fc.array(fc.array(csvCell, { minLength: 5, maxLength: 7 }), { maxLength: 6 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(([header, rows, newline, quote]) => {
    const cell = (v: string) => (quote || /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    return Buffer.from([header, ...rows.map((r) => r.map(cell).join(','))].join(newline), 'utf8');
  });

function filePartArb(field: string, data: fc.Arbitrary<Buffer> = fileData): fc.Arbitrary<FilePart> {
  return fc.record({
    field: fc.oneof({ weight: 6, arbitrary: fc.constant(field) }, { weight: 1, arbitrary: hostileKey }),
    filename: fc.oneof(
      fc.constantFrom(
        'photo.png',
        'photo.jpg',
        'statement.pdf',
        'officers.csv',
        '../../etc/passwd',
        'C:\\Windows\\x.png',
        '',
        '\u202egnp.exe',
        'x\u0000.png',
        '😀.png',
        '.htaccess',
        `${'a'.repeat(300)}.png`,
        'a"b\r\nContent-Type: text/html.png',
      ),
      oddText,
    ),
    type: fc.constantFrom(
      'image/png',
      'image/jpeg',
      'application/pdf',
      'text/csv',
      'application/x-msdownload',
      '',
      'text/html',
    ),
    data,
  });
}

function multipart(
  fields: Array<[string, string]>,
  files: FilePart[],
  flaw: MultipartFlaw,
): { contentType: string; body: Buffer } {
  const boundary = '----fuzzBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  if (flaw === 'junkPreamble') parts.push(Buffer.from('garbage before the first boundary\r\n'));
  const head = (text: string) => Buffer.from(text, 'utf8');
  for (const [name, value] of fields) {
    parts.push(head(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    const disposition =
      flaw === 'badHeader'
        ? `Content-Disposition form-data name=${file.field}`
        : `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"`;
    parts.push(head(`--${boundary}\r\n${disposition}\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, head('\r\n'));
  }
  if (flaw !== 'noEnd') parts.push(head(`--${boundary}--\r\n`));
  const declared =
    flaw === 'wrongBoundary'
      ? 'multipart/form-data; boundary=somethingElse'
      : flaw === 'noBoundary'
        ? 'multipart/form-data'
        : `multipart/form-data; boundary=${boundary}`;
  return { contentType: declared, body: Buffer.concat(parts) };
}

// ---------------------------------------------------------------------------------------------
// Targets, requests and the verdict on each answer
// ---------------------------------------------------------------------------------------------

/** A path parameter: one of the session's live values, a literal, or a hostile segment. */
type Param = { pick: number } | { text: string } | { raw: string };

interface Shape {
  fields: Body;
  params?: Record<string, Param>;
  headers?: Record<string, string>;
  /** Another method than the target's. */
  method?: OddMethod;
}

const ODD_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;
type OddMethod = (typeof ODD_METHODS)[number];

function open(agent: Agent, method: 'GET' | 'POST' | OddMethod, url: string): request.Test {
  switch (method) {
    case 'GET':
      return agent.get(url);
    case 'POST':
      return agent.post(url);
    case 'PUT':
      return agent.put(url);
    case 'PATCH':
      return agent.patch(url);
    case 'DELETE':
      return agent.delete(url);
    case 'OPTIONS':
      return agent.options(url);
    case 'HEAD':
      return agent.head(url);
  }
}

interface Session {
  agent: Agent;
  csrf?: string;
  headers?: Record<string, string>;
  /** Live values for each `:param` of the path (a function sees the params chosen before it). */
  params?: Record<string, readonly string[] | ((chosen: Record<string, string>) => Promise<readonly string[]>)>;
  /** Live values for placeholders in the body: `live(name)`. */
  value?: (name: string, params: Record<string, string>) => Promise<string | undefined> | string | undefined;
}

interface Target {
  name: string;
  method: 'GET' | 'POST';
  /** With `:name` parameters. */
  path: string;
  carrier: 'form' | 'json' | 'query' | 'upload';
  shape: fc.Arbitrary<Shape>;
  session: () => Promise<Session>;
  /** Told each answer, with the body as sent (to follow a session's state). */
  after?: (res: request.Response, sent: Body) => void | Promise<void>;
  runs?: number;
  uploadField?: string;
  /** What the uploaded files hold (evidence of every kind by default). */
  fileData?: fc.Arbitrary<Buffer>;
}

interface Generated {
  shape: Shape;
  ops: Op[];
  /** Whether the operations may hit the form token too (else most requests would stop at it). */
  token: boolean;
  encoding: Encoding;
  files: FilePart[];
  flaw: MultipartFlaw;
  params: Record<string, Param>;
  headers: Record<string, string>;
}

const paramArb: fc.Arbitrary<Param> = fc.oneof(
  { weight: 8, arbitrary: fc.nat().map((pick) => ({ pick })) },
  { weight: 2, arbitrary: hostileString.filter((s) => s.length < 5000).map((raw) => ({ raw })) },
);

/** A cookie of the app's with a value it never set. */
const cookieArb = fc
  .tuple(
    fc.constantFrom('oc_draft', 'oc_case', 'oc_staff', 'lang'),
    fc.oneof(
      hostileString.filter((v) => v.length < 2000).map(pct),
      fc.constantFrom('%', '%E0%A4%A', 's%3Ax.y', '"quoted"', 'a=b=c', '1.2.3', `${'0'.repeat(36)}.99999999999999.sig`),
    ),
  )
  .map(([name, value]) => ({ Cookie: `${name}=${value}` }));

const ACCEPT_LANGUAGE = [
  '*',
  'es;q=NaN',
  `xx-${'a'.repeat(500)}`,
  ',,,',
  'en;q=1e309',
  'zz',
  'es-419, en;q=0.5',
  '\u00e9\u00e8',
  ';q=',
];
const headerArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Record<string, string>>({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...ACCEPT_LANGUAGE).map((v) => ({ 'Accept-Language': v })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({
        unit: fc
          .integer({ min: 0x20, max: 0xff })
          .filter((c) => c !== 0x7f)
          .map((c) => String.fromCharCode(c)),
        maxLength: 60,
      })
      .map((v) => ({ 'X-Forwarded-For': v, Referer: v })),
  },
);

const show = (text: string) => text.replace(LIVE, '«$1»');

/** Strings over 80 characters and lists over 8 items shortened, for failure reports. */
function brief(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string' && v.length > 80) return `${show(v.slice(0, 40))}…(${v.length} chars)`;
    if (typeof v === 'string') return show(v);
    if (Array.isArray(v) && v.length > 8) return [...v.slice(0, 4), `…(${v.length} items)`];
    if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
    return v;
  });
}

function generated(target: Target): fc.Arbitrary<Generated> {
  const paramNames = [...target.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const encoding =
    target.carrier === 'json' ? jsonEncodings : target.carrier === 'query' ? queryEncodings : formEncodings;
  const files =
    target.carrier === 'upload'
      ? fc.array(filePartArb(target.uploadField ?? 'evidence', target.fileData), { maxLength: 3 })
      : fc.constant<FilePart[]>([]);
  return fc
    .record({
      shape: target.shape,
      // A third of the bodies go as shaped, the rest with one to three mutations.
      ops: fc.oneof(
        { weight: 1, arbitrary: fc.constant<Op[]>([]) },
        { weight: 2, arbitrary: fc.array(opArb, { minLength: 1, maxLength: 3 }) },
      ),
      token: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }),
      encoding,
      files,
      flaw: fc.oneof(
        { weight: 6, arbitrary: fc.constant<MultipartFlaw>('none') },
        {
          weight: 5,
          arbitrary: fc.constantFrom<MultipartFlaw>(
            'noEnd',
            'wrongBoundary',
            'badHeader',
            'noBoundary',
            'junkPreamble',
          ),
        },
      ),
      params: fc.record(Object.fromEntries(paramNames.map((name) => [name, paramArb]))),
      headers: headerArb,
    })
    .map((g) =>
      Object.assign(g, {
        [fc.toStringMethod]: () =>
          brief({
            fields: g.shape.fields,
            params: { ...g.params, ...g.shape.params },
            ops: g.ops,
            ...(g.token ? { token: true } : {}),
            encoding: g.encoding,
            ...(target.carrier === 'upload' ? { files: g.files, flaw: g.flaw } : {}),
            headers: g.headers,
          }),
      }),
    );
}

/** What an answer must never show: stack frames, source paths, error names, database or parser detail. */
const LEAKS: Array<[string, RegExp]> = [
  ['a stack frame', /\bat (?:async )?(?:[\w$.<>[\]]+ )?\(?(?:file:\/\/)?\/[^\s)]+:\d+:\d+\)?/],
  ['a source path', /node_modules|\/work\/main|\/server\/[\w/.-]+\.[jt]s\b/],
  ['an error name', /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|ZodError|AggregateError|EvalError)\b/],
  ['a JSON parser message', /Unexpected token|in JSON at position|is not valid JSON|Unexpected end of JSON/],
  [
    'a database error',
    /SQLSTATE|syntax error at or near|violates (?:not-null|foreign key|unique|check) constraint|invalid input syntax for|duplicate key value|relation "[^"]+" does not exist|invalid byte sequence for encoding|unsupported Unicode escape sequence|value too long for type|out of range for type|\bkysely\b|\bpglite\b|pg-protocol/i,
  ],
  ['SQL text', /\b(?:select|insert into|update|delete from)\b[^<\n]{0,300}\$\d+/i],
  ['a zod message', /Invalid input: expected|"code":\s*"invalid_(?:type|value|union)"/],
];

/** The words of an answer, for a report. */
const readable = (text: string) =>
  text
    .replace(/<(script|style|head)[^]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);

function answerText(res: request.Response): string {
  if (typeof res.text === 'string') return res.text;
  if (Buffer.isBuffer(res.body)) return res.body.toString('latin1');
  return JSON.stringify(res.body ?? '');
}

/** An error logger whose records are kept, to say what a 5xx was. */
function errorLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('error', sink) };
}

function lastErrors(lines: string[], from: number): string {
  return lines
    .slice(from)
    .filter((line) => line.includes('"err"'))
    .map((line) => {
      const record = JSON.parse(line) as { msg?: string; err?: { name?: string; message?: string; stack?: string } };
      const stack = record.err?.stack?.split('\n').slice(0, 6).join(' | ');
      return `${record.msg}: ${record.err?.name} ${record.err?.message ?? ''} ${stack ?? ''}`;
    })
    .join('\n');
}

/** Fills the placeholders of keys and values (deeply) with live values. */
async function fill(value: unknown, resolve: (name: string) => Promise<string>, depth = 0): Promise<unknown> {
  if (depth > 3000) return value;
  if (typeof value === 'string') {
    if (!value.includes(MARK)) return value;
    let out = value;
    for (const m of value.matchAll(LIVE)) {
      const filled = await resolve(m[1]!);
      out = out.replace(m[0], () => filled);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await fill(v, resolve, depth + 1));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Body = {};
    for (const [k, v] of Object.entries(value)) {
      define(out, (await fill(k, resolve, depth + 1)) as string, await fill(v, resolve, depth + 1));
    }
    return out;
  }
  return value;
}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

function fuzzer(log: { lines: string[] }) {
  return async function fuzz(target: Target): Promise<void> {
    const statuses = new Map<number, number>();
    const property = fc.asyncProperty(generated(target), async (g) => {
      const session = await target.session();
      // Path parameters in order, each able to depend on the ones before.
      const chosen: Record<string, string> = {};
      let path = target.path;
      for (const [name, param] of Object.entries({ ...g.params, ...g.shape.params })) {
        let segment: string;
        if ('raw' in param) segment = pct(param.raw);
        else if ('text' in param) segment = param.text;
        else {
          const source = session.params?.[name];
          const list = typeof source === 'function' ? await source(chosen) : (source ?? []);
          segment = list.length ? list[param.pick % list.length]! : 'none';
        }
        chosen[name] = segment;
        path = path.replace(`:${name}`, () => segment);
      }
      const resolve = async (name: string) =>
        name === 'csrf' ? (session.csrf ?? '') : String((await session.value?.(name, chosen)) ?? '');
      const body = (await fill(mutate(g.shape.fields, g.ops, g.token), resolve)) as Body;

      let wire: Wire;
      let query = '';
      if (target.carrier === 'query') {
        const encoded = encode(body, g.encoding).body?.toString('utf8') ?? '';
        query = encoded ? `?${encoded}` : '';
        wire = { contentType: null, body: undefined, headers: {} };
      } else if (target.carrier === 'upload' && g.encoding.kind === 'form') {
        const pairs: Array<[string, string]> = [];
        for (const [k, v] of Object.entries(body)) formPairs(k, v, pairs);
        wire = { ...multipart(pairs, g.files, g.flaw), headers: {} };
      } else {
        wire = encode(body, g.encoding);
      }

      const from = log.lines.length;
      const method = g.shape.method ?? target.method;
      let req = open(session.agent, method, path + query)
        .redirects(0)
        .buffer(true)
        .timeout({ response: 30_000, deadline: 40_000 })
        .ok(() => true);
      const headers = { ...session.headers, ...g.shape.headers, ...g.headers, ...wire.headers };
      for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
      if (wire.contentType !== null) req = req.set('Content-Type', wire.contentType);
      // The bytes as they are: superagent would otherwise serialise a Buffer by its content type.
      if (wire.body !== undefined) req = req.serialize((data: unknown) => data as string).send(wire.body);
      const res = await req;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);

      // What was sent, in which an echo of the request is not a leak.
      const sent = `${JSON.stringify(body)} ${wire.body?.toString('utf8') ?? ''} ${path}${query}`;
      const where = `${method} ${brief(path + query)} (${wire.contentType ?? 'no type'}, ${
        wire.body?.length ?? 0
      } bytes) answered ${res.status}`;
      const text = answerText(res);
      if (res.status >= 500) {
        throw new Error(
          `${where}: a server error.\nlogged: ${lastErrors(log.lines, from) || '(nothing)'}\nanswer: ${readable(text)}`,
        );
      }
      for (const [what, pattern] of LEAKS) {
        const found = pattern.exec(text);
        if (found && !pattern.test(sent)) {
          const at = Math.max(0, found.index - 80);
          throw new Error(`${where}: ${what} in the answer: …${text.slice(at, found.index + 160)}…`);
        }
      }
      // A redirect stays on this site, whatever was asked (no open redirect, no header injection).
      const location = res.headers['location'] as string | undefined;
      if (location !== undefined && !/^\/(?![/\\])[^\r\n]*$/.test(location)) {
        throw new Error(`${where}: a redirect off the site: ${brief(location)}`);
      }
      // Prototype keys in bodies (`__proto__`, `constructor.prototype`) changed no object's prototype.
      const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.has(k));
      if (polluted.length) throw new Error(`${where}: Object.prototype now has ${polluted.join(', ')}`);
      await target.after?.(res, body);
    });
    await fc.assert(property, { numRuns: runsOf(target.runs ?? 20), seed: SEED });
    if (DEBUG) process.stdout.write(`      ${target.name}: ${brief(Object.fromEntries([...statuses].sort()))}\n`);
  };
}

// ---------------------------------------------------------------------------------------------
// Valid-shaped fields, by schema (server/schemas/*.ts)
// ---------------------------------------------------------------------------------------------

const csrf = live('csrf');
const form = (fields: fc.Arbitrary<Body>, params?: Record<string, Param>): fc.Arbitrary<Shape> =>
  fields.map((f) => ({ fields: { _csrf: csrf, ...f }, ...(params ? { params } : {}) }));
const plain = (fields: fc.Arbitrary<Body>): fc.Arbitrary<Shape> => fields.map((f) => ({ fields: f }));

const CATEGORY_CODES = ['force', 'abuse_of_authority', 'discourtesy', 'offensive_language', 'bias', 'other'];
const DISTRICT_CODES = ['central', 'north', 'east', 'south', 'west', 'harbor'];
const someWords = fc.lorem({ maxCount: 3 });

/** About you: mostly one of the coherent ways to fill it in, sometimes any combination. */
const aboutFields: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ filing: fc.constant('anonymous'), preferredLanguage: fc.constantFrom(...LANGUAGE_CODES) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      filing: fc.constant('self'),
      name: someWords,
      email: fc.constantFrom('ana@example.com', 'lucia@example.com'),
      phone: fc.constantFrom('555 0101', '+1 (555) 010-0101'),
      address: someWords,
      preferredLanguage: fc.constantFrom(...LANGUAGE_CODES),
      preferredContact: fc.constantFrom(...CONTACT_METHODS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      filing: fc.constant('someone_else'),
      name: someWords,
      relationship: someWords,
      theirName: someWords,
      theirEmail: fc.constantFrom('', 'them@example.com'),
      preferredContact: fc.constant('none'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        filing: fc.constantFrom(...FILING_AS),
        name: words(200),
        email: emailArb,
        phone: phoneArb,
        address: words(500),
        preferredLanguage: fc.constantFrom(...LANGUAGE_CODES),
        preferredContact: fc.constantFrom(...CONTACT_METHODS),
        relationship: words(200),
        theirName: words(200),
        theirEmail: emailArb,
        theirPhone: phoneArb,
      },
      { requiredKeys: ['filing'] },
    ),
  },
);

const officerFields = fc.record(
  { name: words(200), badgeNumber: digits(99999), description: words(1000) },
  {
    requiredKeys: [],
  },
);
const witnessFields = fc.record(
  { name: words(200), contact: words(300), description: words(2000) },
  {
    requiredKeys: [],
  },
);

/** The steps of the complaint form, by the names of their form fields. */
const STEP_FIELDS: Record<string, fc.Arbitrary<Body>> = {
  what: fc.record({ narrative: words(20_000) }),
  'when-where': fc.record(
    {
      incidentDate: fc.oneof(day, fc.constant('')),
      incidentTime: words(40),
      location: words(500),
      district: words(40),
    },
    { requiredKeys: [] },
  ),
  officers: fc.record(
    {
      officerName: words(200),
      officerBadge: digits(9999),
      officerDescription: words(1000),
      officersUnknown: fc.constantFrom('yes', 'no', ''),
      action: fc.constantFrom('continue', 'add', 'remove:0', 'remove:99', 'remove:-1'),
    },
    { requiredKeys: [] },
  ),
  kind: fc.record({
    categories: fc.array(fc.constantFrom(...CATEGORY_CODES, 'retired'), { maxLength: 4 }),
  }),
  witnesses: fc.record(
    {
      witnessName: words(200),
      witnessContact: words(300),
      witnessDescription: words(2000),
      action: fc.constantFrom('continue', 'add', 'remove:0'),
    },
    { requiredKeys: [] },
  ),
  'about-you': aboutFields,
  demographics: fc.record(
    {
      ageRange: fc.constantFrom(...AGE_RANGES, ''),
      gender: fc.constantFrom(...GENDERS, ''),
      races: fc.array(fc.constantFrom(...RACES), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
  check: fc.record({ consent: fc.constantFrom('yes', 'yes', 'no', ''), truthful: fc.constantFrom('yes', 'yes', 'no') }),
};

/** The whole complaint as the API takes it (complaintSubmission). */
const submissionFields: fc.Arbitrary<Body> = fc.record(
  {
    language: fc.constantFrom(...LANGUAGE_CODES),
    narrative: words(20_000),
    incidentDate: day,
    incidentTime: words(40),
    location: words(500),
    district: fc.constantFrom(...DISTRICT_CODES, 'nowhere'),
    officersUnknown: fc.boolean(),
    officers: fc.array(officerFields, { maxLength: 3 }),
    categories: fc.array(fc.constantFrom(...CATEGORY_CODES), { maxLength: 3 }),
    witnesses: fc.array(witnessFields, { maxLength: 2 }),
    about: aboutFields,
    demographics: fc.record(
      {
        ageRange: fc.constantFrom(...AGE_RANGES),
        gender: fc.constantFrom(...GENDERS),
        races: fc.array(fc.constantFrom(...RACES), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    consent: fc.constantFrom<unknown>(true, true, true, 'yes'),
    truthful: fc.constantFrom<unknown>(true, true, true, false),
  },
  { requiredKeys: ['narrative', 'about', 'consent', 'truthful'] },
);

const contactFields: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      email: fc.constant('ana@example.com'),
      phone: fc.constant('555 0101'),
      address: someWords,
      preferredLanguage: fc.constantFrom(...LANGUAGE_CODES),
      preferredContact: fc.constantFrom(...CONTACT_METHODS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        email: emailArb,
        phone: phoneArb,
        address: words(500),
        preferredLanguage: fc.constantFrom(...LANGUAGE_CODES),
        preferredContact: fc.constantFrom(...CONTACT_METHODS),
      },
      { requiredKeys: ['preferredLanguage', 'preferredContact'] },
    ),
  },
);

const score = fc.constantFrom('', '1', '2', '3', '4', '5');
const surveyFields = fc.record(
  { respect: score, understood: score, informed: score, explained: score, trust: score, comment: words(5000) },
  { requiredKeys: [] },
);

const trustFields = fc.record(
  {
    respect: score,
    equal: score,
    doRight: score,
    cooperate: score,
    complaintSerious: score,
    oversightTrust: score,
    district: fc.oneof(fc.constantFrom('', 'north', 'harbor'), words(40)),
    ageRange: fc.oneof(fc.constantFrom('', '16-24', '65+'), words(10)),
    gender: fc.oneof(fc.constantFrom('', 'woman', 'nonBinary'), words(10)),
    race: fc.oneof(fc.constantFrom('', 'multiple', 'white'), words(10)),
  },
  { requiredKeys: [] },
);

const lookupFields = fc.record({
  trackingNumber: fc.oneof(
    { weight: 3, arbitrary: fc.constant(live('tracking')) },
    { weight: 1, arbitrary: words(40) },
  ),
  accessCode: fc.oneof({ weight: 3, arbitrary: fc.constant(live('access')) }, { weight: 1, arbitrary: words(60) }),
});

// ---------------------------------------------------------------------------------------------
// The public side: the complaint form, status, surveys and the resident API
// ---------------------------------------------------------------------------------------------

/** Checks the app still answers, after each property. */
async function stillAnswers(app: Express): Promise<void> {
  await request(app).get('/healthz').expect(200);
  await request(app).get('/readyz').expect(200);
}

async function fileByApi(app: Express): Promise<{ trackingNumber: string; accessCode: string }> {
  const res = await request(app)
    .post('/api/v1/complaints')
    .send({
      narrative: 'The officer shouted at me.',
      about: { filing: 'self', name: 'Fuzz Resident', email: 'fuzz@example.com', preferredContact: 'email' },
      consent: true,
      truthful: true,
    })
    .expect(201);
  return res.body as { trackingNumber: string; accessCode: string };
}

describe('fuzzing the public endpoints: complaint form, status, surveys, resident API (#15 item 14)', function () {
  const database = useDatabase({ demo: true });
  const log = errorLog();
  let app: Express;
  let services: Services;
  const fuzz = fuzzer(log);

  before(() => {
    ({ app, services } = testApp(database.handle, { logger: log.logger }));
  });
  beforeEach(async () => {
    await database.db.deleteFrom('rate_limits').execute();
  });
  afterEach(() => stillAnswers(app));

  /** A browser with a complaint draft and its form token; started again when a post ends the draft. */
  function residentDraft(filled: boolean) {
    let current: { agent: Agent; csrf: string } | undefined;
    return {
      async session(): Promise<Session> {
        if (!current) {
          const agent = request.agent(app);
          const token = await startForm(agent);
          if (filled) {
            for (const [step, fields] of Object.entries(NAMED_ANSWERS)) {
              await agent
                .post(`/complaint/${step}`)
                .type('form')
                .send({ _csrf: token, ...fields })
                .expect(303);
            }
          }
          current = { agent, csrf: token };
        }
        return { ...current, params: { step: Object.keys(STEP_FIELDS) } };
      },
      after(res: request.Response) {
        const to = res.headers['location'];
        if (to === '/complaint' || to === '/complaint/receipt') current = undefined;
      },
    };
  }

  /** A resident who looked their case up: the case pass cookie and the form token of the case page. */
  function residentCase() {
    let current: { agent: Agent; csrf: string; codes: { trackingNumber: string; accessCode: string } } | undefined;
    return {
      async session(): Promise<Session> {
        if (!current) {
          const codes = await fileByApi(app);
          const agent = request.agent(app);
          const lookup = { trackingNumber: codes.trackingNumber, accessCode: codes.accessCode };
          await agent.post('/status').type('form').send(lookup).redirects(1).expect(200);
          // The case page links to its forms (#17): the token from sign-out's confirmation.
          const page = await agent.get('/status/sign-out').expect(200);
          current = { agent, csrf: csrfOf(page.text), codes };
        }
        const { codes } = current;
        return {
          ...current,
          params: { action: ['withdraw', 'reconsideration', 'sign-out', 'contact'] },
          value: (name) =>
            name === 'tracking' ? codes.trackingNumber : name === 'access' ? codes.accessCode : undefined,
        };
      },
      after(res: request.Response) {
        const to = res.headers['location'];
        if (to === '/' || to === '/status' || to === '/status/signed-out') current = undefined;
      },
    };
  }

  for (const step of Object.keys(STEP_FIELDS).filter((s) => s !== 'check')) {
    const draft = residentDraft(false);
    it(`POST /complaint/${step}`, () =>
      fuzz({
        name: step,
        method: 'POST',
        path: `/complaint/${step}`,
        carrier: 'form',
        shape: form(STEP_FIELDS[step]!),
        session: draft.session,
        after: draft.after,
        runs: 20,
      }));
  }

  it('POST /complaint/check (files the complaint when the declarations are right)', () => {
    const draft = residentDraft(true);
    return fuzz({
      name: 'check',
      method: 'POST',
      path: '/complaint/check',
      carrier: 'form',
      shape: form(STEP_FIELDS['check']!),
      session: draft.session,
      after: draft.after,
      runs: 20,
    });
  });

  it('POST /complaint/evidence (multipart, and everything that is not)', () => {
    const draft = residentDraft(false);
    return fuzz({
      name: 'evidence',
      method: 'POST',
      path: '/complaint/evidence',
      carrier: 'upload',
      uploadField: 'evidence',
      shape: form(
        fc.record({ action: fc.constantFrom('continue', 'upload', 'remove:0', 'remove:x') }, { requiredKeys: [] }),
      ),
      session: draft.session,
      after: draft.after,
      runs: 25,
    });
  });

  it('POST /complaint/:step with an unknown or odd step, /complaint/start and /complaint/new', () => {
    const draft = residentDraft(false);
    return fuzz({
      name: 'steps',
      method: 'POST',
      path: '/complaint/:step',
      carrier: 'form',
      shape: fc.oneof(
        form(fc.constant({})),
        form(fc.constant({}), { step: { text: 'start' } }),
        form(fc.constant({}), { step: { text: 'new' } }),
        form(fc.constant({}), { step: { text: 'receipt' } }),
      ),
      session: draft.session,
      after: draft.after,
      runs: 20,
    });
  });

  it('POST /status (the lookup form)', () => {
    const resident = residentCase();
    return fuzz({
      name: 'status lookup',
      method: 'POST',
      path: '/status',
      carrier: 'form',
      shape: plain(lookupFields),
      session: resident.session,
      runs: 25,
    });
  });

  it('POST /status/contact', () => {
    const resident = residentCase();
    return fuzz({
      name: 'status contact',
      method: 'POST',
      path: '/status/contact',
      carrier: 'form',
      shape: form(contactFields),
      session: resident.session,
      after: resident.after,
      runs: 20,
    });
  });

  it('POST /status/:action (withdraw, reconsideration, sign-out)', () => {
    const resident = residentCase();
    return fuzz({
      name: 'status actions',
      method: 'POST',
      path: '/status/:action',
      carrier: 'form',
      shape: form(fc.constant({})),
      session: resident.session,
      after: resident.after,
      runs: 20,
    });
  });

  it('POST /status/add-information (multipart, and everything that is not)', () => {
    const resident = residentCase();
    return fuzz({
      name: 'add information',
      method: 'POST',
      path: '/status/add-information',
      carrier: 'upload',
      uploadField: 'evidence',
      shape: form(fc.record({ information: words(20_000) }, { requiredKeys: [] })),
      session: resident.session,
      after: resident.after,
      runs: 25,
    });
  });

  describe('the closing survey', () => {
    let token: string;
    let surveyId: string;

    before(async () => {
      // A demo case without a survey, invited as a closing case would be.
      const complaint = await database.db
        .selectFrom('complaints')
        .select(['id', 'tracking_number'])
        .where('id', 'not in', database.db.selectFrom('surveys').select('complaint_id'))
        .where('anonymous', '=', false)
        .orderBy('received_at')
        .executeTakeFirstOrThrow();
      const invited = await services.surveys.invite(database.db, {
        complaintId: complaint.id,
        trackingNumber: complaint.tracking_number,
        to: 'survey-fuzz@example.com',
        language: 'en',
        at: new Date(),
      });
      expect(invited).to.equal(true);
      const invitation = await database.db
        .selectFrom('outbox')
        .select('data')
        .where('recipient', '=', 'survey-fuzz@example.com')
        .executeTakeFirstOrThrow();
      token = (invitation.data as { surveyUrl: string }).surveyUrl.split('/survey/')[1]!;
      surveyId = (
        await database.db
          .selectFrom('surveys')
          .select('id')
          .where('complaint_id', '=', complaint.id)
          .executeTakeFirstOrThrow()
      ).id;
    });

    it('POST /survey/:token', () => {
      const agent = request.agent(app);
      return fuzz({
        name: 'survey',
        method: 'POST',
        path: '/survey/:token',
        carrier: 'form',
        shape: form(surveyFields),
        session: async () => {
          // Answered by an earlier run (or refused for the dead links tried): open again.
          await database.db.deleteFrom('rate_limits').execute();
          await database.db.updateTable('surveys').set({ answered_at: null }).where('id', '=', surveyId).execute();
          const page = await agent.get(`/survey/${token}`).expect(200);
          return { agent, csrf: csrfOf(page.text), params: { token: [token] } };
        },
        runs: 20,
      });
    });
  });

  it('POST /community-survey/:wave (the demo’s open wave)', async () => {
    const wave = (await services.trustSurveys.current())!.id;
    return fuzz({
      name: 'community survey',
      method: 'POST',
      path: '/community-survey/:wave',
      carrier: 'form',
      shape: form(trustFields),
      session: async () => {
        // A new browser each time (one answer each), under the connection's hourly limit.
        await database.db.deleteFrom('rate_limits').execute();
        const agent = request.agent(app);
        const page = await agent.get(`/community-survey/${wave}`).expect(200);
        return { agent, csrf: csrfOf(page.text), params: { wave: [wave] } };
      },
      runs: 20,
    });
  });

  it('POST /api/v1/complaints (JSON, with an Idempotency-Key)', () =>
    fuzz({
      name: 'api complaints',
      method: 'POST',
      path: '/api/v1/complaints',
      carrier: 'json',
      shape: plain(submissionFields),
      session: async () => ({ agent: request.agent(app) }),
      runs: 30,
    }));

  it('POST /api/v1/complaints with odd Idempotency-Key headers', () =>
    fuzz({
      name: 'api idempotency',
      method: 'POST',
      path: '/api/v1/complaints',
      carrier: 'json',
      shape: fc
        .tuple(
          submissionFields,
          fc.oneof(
            fc.constantFrom(
              'a'.repeat(22),
              'a'.repeat(129),
              '',
              ' ',
              'key with spaces',
              'k\u00e9y-k\u00e9y-k\u00e9y-k\u00e9y-k\u00e9y',
            ),
            fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 20 }),
          ),
        )
        .map(([fields, key]) => ({ fields, headers: { 'Idempotency-Key': key } })),
      session: async () => ({ agent: request.agent(app) }),
      runs: 15,
    }));

  it('POST /api/v1/status (JSON)', () => {
    const resident = residentCase();
    return fuzz({
      name: 'api status',
      method: 'POST',
      path: '/api/v1/status',
      carrier: 'json',
      shape: plain(lookupFields),
      session: resident.session,
      runs: 25,
    });
  });

  it('GET public pages with odd path segments, queries, languages and cookies', () => {
    const pages = [
      '/complaint/:x',
      '/complaint/receipt',
      '/survey/:x',
      '/board',
      '/board/meetings/:x',
      '/reports',
      '/reports/:x',
      '/dashboard',
      '/staff/password/:x',
      '/staff/sign-in',
      '/dev/mail/:x',
      '/status',
      '/status/case',
      '/status/decision',
      '/status/:x',
      '/',
      '/how-it-works',
      '/data',
      '/data/complaints.:x',
      '/api/v1/:x',
      '/:x',
    ];
    return fuzz({
      name: 'public pages',
      method: 'GET',
      path: ':page',
      carrier: 'query',
      shape: fc.constantFrom(...pages).chain((page) =>
        fc.record({
          fields: fc.record(
            {
              lang: fc.constantFrom('en', 'es', 'fr', ''),
              from: month,
              to: month,
              next: fc.constantFrom('/staff/cases', '//evil.example', 'javascript:alert(1)'),
              done: fc.constantFrom('information', 'contact', 'x'),
              signedOut: fc.constant('1'),
            },
            { requiredKeys: [] },
          ),
          params: fc.record({ page: fc.constant<Param>({ text: page }), x: paramArb }),
          headers: fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: cookieArb }),
        }),
      ),
      session: async () => ({
        agent: request.agent(app),
        params: { x: ['what', 'check', 'receipt', '2025', 'case', 'v1', 'openapi.json', 'decision', 'csv', 'json'] },
      }),
      runs: 40,
    });
  });

  it('GET /dashboard with odd ranges, and /reports/:year', () =>
    fuzz({
      name: 'dashboard',
      method: 'GET',
      path: ':page',
      carrier: 'query',
      shape: fc.record({
        // Both ends, or one left blank for its default: months of the calendar's edges mostly.
        fields: fc
          .tuple(
            fc.oneof({ weight: 2, arbitrary: edgeMonth }, { weight: 1, arbitrary: month }),
            fc.oneof({ weight: 2, arbitrary: edgeMonth }, { weight: 1, arbitrary: month }),
            fc.constantFrom('both', 'from', 'to', 'blankFrom', 'blankTo'),
            fc.constantFrom('en', 'es'),
          )
          .map(([from, to, which, lang]): Body => {
            if (which === 'from') return { from, lang };
            if (which === 'to') return { to, lang };
            if (which === 'blankFrom') return { from: '', to, lang };
            if (which === 'blankTo') return { from, to: '', lang };
            return { from, to, lang };
          }),
        params: fc.record({
          page: fc.oneof(
            { weight: 3, arbitrary: fc.constant<Param>({ text: '/dashboard' }) },
            { weight: 1, arbitrary: month.map((m): Param => ({ text: `/reports/${m.slice(0, 4)}` })) },
          ),
        }),
      }),
      session: async () => ({ agent: request.agent(app) }),
      runs: 60,
    }));

  it('other methods (PUT, PATCH, DELETE, OPTIONS, HEAD) on the public paths', () =>
    fuzz({
      name: 'odd methods',
      method: 'POST',
      path: ':page',
      carrier: 'form',
      shape: fc.record({
        fields: fc.constant({}),
        method: fc.constantFrom(...ODD_METHODS),
        params: fc.record({
          page: fc
            .constantFrom(
              '/complaint/what',
              '/complaint/evidence',
              '/status',
              '/status/contact',
              '/api/v1/complaints',
              '/api/v1/status',
              '/api/v1/cases',
              '/survey/x',
              '/staff/sign-in',
              '/data/complaints.csv',
              '/dashboard',
            )
            .map((text): Param => ({ text })),
        }),
      }),
      session: async () => ({ agent: request.agent(app) }),
      runs: 25,
    }));
});

// ---------------------------------------------------------------------------------------------
// The staff side: sign-in, account, cases, officers, board, administration; and the staff API
// ---------------------------------------------------------------------------------------------

const DEMO_PASSWORD = 'fuzz-demo-password-4471';
const ROLES = ['intake', 'investigator', 'supervisor', 'board', 'admin'] as const;
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const version = fc.oneof(
  { weight: 6, arbitrary: fc.constant(live('version')) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1000000001', '1.5', '') },
);
const three = ['a0', 'a1', 'a2'] as const;

/** The details each workflow event takes (caseFile.schemas.ts eventForms), by event. */
function eventFields(type: string): fc.Arbitrary<Body> {
  switch (type) {
    case 'REFER':
      return fc.record({ version, agency: words(200) });
    case 'DISMISS':
      return fc.record({ version, reason: fc.constantFrom(...DISMISSAL_REASONS, 'bored') });
    case 'ASSIGN':
      return fc.record({ version, investigatorId: fc.constantFrom(live('investigator'), live('self'), '') });
    case 'TOLL':
      return fc.record({ version, reason: fc.constantFrom(...TOLLING_REASONS, 'holiday') });
    case 'REOPEN':
      return fc.record({ version, reason: words(2000) });
    case 'ADD_INFORMATION':
      return fc.record({ version, information: words(20_000) });
    default:
      return fc.record({ version });
  }
}

const eventShape = (asJson: boolean) =>
  fc.constantFrom(...STAFF_EVENTS).chain((type) =>
    fc.record({
      fields: eventFields(type).map((f) => (asJson ? { type, ...f } : { _csrf: csrf, ...f })),
      params: fc.record({
        event: fc.oneof(
          { weight: 9, arbitrary: fc.constant<Param>({ text: type }) },
          { weight: 1, arbitrary: paramArb },
        ),
      }),
    }),
  );

const findingsFields = fc
  .tuple(
    ...three.map((a) =>
      fc.record({
        [`finding-${live(a)}`]: fc.constantFrom(...FINDINGS, 'guilty'),
        [`rationale-${live(a)}`]: words(5000),
      }),
    ),
  )
  .map((parts) => Object.assign({ version: live('version') }, ...parts) as Body);

const ballotFields = fc
  .tuple(
    ...three.map((a) =>
      fc.record(
        {
          [`finding-${live(a)}`]: fc.constantFrom(...FINDINGS, ''),
          [`rationale-${live(a)}`]: words(10_000),
          [`recommendation-${live(a)}`]: words(5000),
        },
        { requiredKeys: [`finding-${live(a)}`] },
      ),
    ),
  )
  .map((parts) => Object.assign({}, ...parts) as Body);

const queueFields = fc.record(
  {
    stage: fc.constantFrom(...STAGES),
    assignee: fc.constant(live('investigator')),
    deadline: fc.oneof(fc.constantFrom('overdue', 'dueSoon', 'tolled'), fc.constant(['overdue', 'tolled'])),
    category: fc.constant(live('category')),
    district: fc.constant(live('district')),
    number: fc.constant(live('tracking')),
    open: fc.constant('1'),
    filtered: fc.constant('1'),
    page: fc.constantFrom('1', '2', '100000', '0'),
    view: fc.constantFrom('new', 'all', 'later'),
    lang: fc.constantFrom('en', 'es'),
  },
  { requiredKeys: [] },
);

const officerFormFields = fc.record(
  {
    badgeNumber: digits(99_999),
    firstName: words(100),
    lastName: words(100),
    rank: words(100),
    unit: words(100),
    district: fc.constantFrom(live('district'), ''),
    active: fc.constantFrom<unknown>(['yes'], [], 'yes'),
  },
  { requiredKeys: ['badgeNumber', 'firstName', 'lastName'] },
);

const auditFields = fc.record(
  {
    type: fc.constantFrom('', 'case.view', 'user.sign_in', 'api_token.issue'),
    actor: fc.constantFrom('', 'supervisor@example.org', 'nobody@example.org'),
    object: fc.constantFrom('', 'complaint', live('case')),
    outcome: fc.constantFrom('', 'success', 'failure'),
    from: fc.oneof(day, fc.constant('')),
    to: fc.oneof(day, fc.constant('')),
    before: fc.constantFrom('', '1', '999999999999999'),
  },
  { requiredKeys: [] },
);

const years = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 100 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '101', '1.5', ' 7 ', '007') },
);
/** A whole number in range mostly, sometimes just out of it. */
const whole = (min: number, max: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom(String(min - 1), String(max + 1), '1.0', '') },
  );

describe('fuzzing the staff pages, forms and staff API, signed in as each role (#15 item 14)', function () {
  const database = useDatabase({ demo: true });
  const log = errorLog();
  let app: Express;
  let services: Services;
  const fuzz = fuzzer(log);
  let admin: TestAdmin;
  const ids = {
    cases: [] as string[],
    officers: [] as string[],
    meetings: [] as string[],
    items: [] as string[],
    users: [] as string[],
    kinds: [] as string[],
    outbox: [] as string[],
    investigators: [] as string[],
    members: [] as string[],
  };
  const signedIn = new Map<string, Promise<{ agent: Agent; csrf: string }>>();
  /** Dedicated accounts whose password and second factor the fuzzing may change. */
  let account: { email: string; password: string };
  let passwordToken = '';
  /** The admin whose sign-in code is fuzzed (codes are made for them: freshCode). */
  let secondAdmin: TestAdmin | undefined;

  const db = (): Db => database.db;

  before(async () => {
    ({ app, services } = testApp(database.handle, { logger: log.logger }));
    await services.demo.ensureDemoData(DEMO_PASSWORD);
    admin = await createAdmin(services, db());
    const other = await createStaff(db(), ['intake']);
    const dedicated = await createStaff(db(), ['intake']);
    account = { email: dedicated.email, password: dedicated.password };
    // A case of each stage, oldest first: the forms and actions are tried on all of them.
    const cases = await db().selectFrom('complaints').select(['id', 'stage']).orderBy('received_at').execute();
    for (const stage of STAGES) {
      const found = cases.find((c) => c.stage === stage);
      if (found) ids.cases.push(found.id);
    }
    const column = async (rows: Promise<Array<Record<string, unknown>>>, key: string) =>
      (await rows).map((r) => String(r[key]));
    ids.officers.push(
      ...(await column(db().selectFrom('officers').select('id').orderBy('badge_number').limit(3).execute(), 'id')),
    );
    ids.meetings.push(
      ...(await column(db().selectFrom('board_meetings').select('id').orderBy('scheduled_for').execute(), 'id')),
    );
    ids.items.push(...(await column(db().selectFrom('agenda_items').select('id').orderBy('position').execute(), 'id')));
    ids.users.push(other.id, admin.id);
    const roleUsers = (role: 'investigator' | 'board') =>
      column(db().selectFrom('user_roles').select('user_id').where('role', '=', role).execute(), 'user_id');
    ids.investigators.push(...(await roleUsers('investigator')));
    ids.members.push(...(await roleUsers('board')));
    ids.kinds.push(...DEADLINE_KINDS);
    ids.outbox.push(...(await column(db().selectFrom('outbox').select('id').limit(3).execute(), 'id')));
    // A password link for the dedicated account, sent by the admin.
    await services.userAdmin.sendPasswordLink(admin.id, other.id);
    const link = await db()
      .selectFrom('outbox')
      .select('data')
      .where('template', '=', 'passwordLink')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    passwordToken = (link.data as { link: string }).link.split('/staff/password/')[1]!;
  });
  beforeEach(async () => {
    await db().deleteFrom('rate_limits').execute();
  });
  afterEach(() => stillAnswers(app));

  /** A signed-in agent and its form token, once per member of staff. */
  const agentOf = (who: string) => {
    let found = signedIn.get(who);
    if (!found) {
      found = (async () => {
        const agent =
          who === 'admin'
            ? await signInAdminAs(app, db(), admin)
            : await signIn(app, who === 'account' ? account : { email: `${who}@example.org`, password: DEMO_PASSWORD });
        return { agent, csrf: await tokenFrom(agent) };
      })();
      signedIn.set(who, found);
    }
    return found;
  };

  const allegationsOf = async (complaintId: string | undefined) =>
    complaintId && /^[0-9a-f-]{36}$/.test(complaintId)
      ? (
          await db()
            .selectFrom('allegations')
            .select('id')
            .where('complaint_id', '=', complaintId)
            .orderBy('created_at')
            .orderBy('id')
            .execute()
        ).map((a) => a.id)
      : [];
  const complaintOfItem = async (itemId: string | undefined) =>
    itemId && /^[0-9a-f-]{36}$/.test(itemId)
      ? (await db().selectFrom('agenda_items').select('complaint_id').where('id', '=', itemId).executeTakeFirst())
          ?.complaint_id
      : undefined;

  /** Live values for the placeholders of a body, given the path's parameters. */
  async function value(name: string, params: Record<string, string>): Promise<string | undefined> {
    const uuid = (v: string | undefined) => (v && /^[0-9a-f-]{36}$/.test(v) ? v : undefined);
    switch (name) {
      case 'version': {
        const id = uuid(params['case']) ?? ids.cases[0]!;
        return String(
          (await db().selectFrom('complaints').select('version').where('id', '=', id).executeTakeFirst())?.version ?? 0,
        );
      }
      case 'a0':
      case 'a1':
      case 'a2': {
        const complaint = params['item'] ? await complaintOfItem(params['item']) : params['case'];
        const list = await allegationsOf(complaint);
        return list[Number(name[1])] ?? list[0];
      }
      case 'case':
        return ids.cases[1];
      case 'tracking':
        return (
          await db()
            .selectFrom('complaints')
            .select('tracking_number')
            .where('id', '=', uuid(params['case']) ?? ids.cases[0]!)
            .executeTakeFirst()
        )?.tracking_number;
      case 'category':
        return 'force';
      case 'district':
        return 'north';
      case 'investigator':
        return ids.investigators[0];
      case 'officer':
        return ids.officers[0];
      case 'self':
        return admin.id;
      case 'holder':
        return admin.id;
      case 'member0':
      case 'member1':
        return ids.members[Number(name.slice(-1))];
      case 'waiting':
        return (
          await db()
            .selectFrom('complaints')
            .select('id')
            .where('state', '=', 'boardReview.scheduled')
            .executeTakeFirst()
        )?.id;
      case 'email':
        return account.email;
      case 'password':
        return account.password;
      case 'purgeAsOf':
      case 'purgePolicy': {
        // What the confirmation page would carry in its hidden fields.
        const preview = await services.retention.purgePreview();
        return name === 'purgeAsOf' ? preview.asOf.toISOString() : preview.fingerprint;
      }
      case 'code':
        return secondAdmin ? freshCode(db(), secondAdmin) : undefined;
      default:
        return undefined;
    }
  }

  /** The live choices for each path parameter. */
  const PARAMS: Session['params'] = {
    case: ids.cases,
    allegation: async (chosen) => allegationsOf(chosen['case']),
    file: async (chosen) =>
      chosen['case'] && /^[0-9a-f-]{36}$/.test(chosen['case'])
        ? (await db().selectFrom('attachments').select('id').where('complaint_id', '=', chosen['case']).execute()).map(
            (a) => a.id,
          )
        : [],
    officer: ids.officers,
    meeting: ids.meetings,
    item: ids.items,
    user: ids.users,
    kind: ids.kinds,
    outbox: ids.outbox,
    token: async () => (await db().selectFrom('api_tokens').select('id').execute()).map((t) => t.id),
    day: async () => [
      '2026-12-25',
      ...(await db().selectFrom('holidays').select('day').limit(3).execute()).map((h) => String(h.day).slice(0, 10)),
    ],
    act: ['disable', 'enable', 'password-link', 'two-step/remove', 'unlock'],
    step: ['open', 'close'],
    event: [...STAFF_EVENTS],
  };

  /** A session of this member of staff, with the live values of the describe. */
  const as = (who: string) => async (): Promise<Session> => ({ ...(await agentOf(who)), params: PARAMS, value });

  const staffForm = (
    name: string,
    who: string,
    path: string,
    fields: fc.Arbitrary<Body>,
    runs = 20,
    method: 'GET' | 'POST' = 'POST',
  ) =>
    it(`${method} ${path} as ${who}`, () =>
      fuzz({
        name,
        method,
        path,
        carrier: method === 'GET' ? 'query' : 'form',
        shape: method === 'GET' ? plain(fields) : form(fields),
        session: as(who),
        runs,
      }));

  describe('signing in and out, password links, the account', () => {
    it('POST /staff/sign-in', () =>
      fuzz({
        name: 'sign-in',
        method: 'POST',
        path: '/staff/sign-in',
        carrier: 'form',
        shape: form(
          fc.record(
            {
              email: fc.oneof({ weight: 3, arbitrary: fc.constant(live('email')) }, { weight: 1, arbitrary: emailArb }),
              password: fc.oneof(
                { weight: 3, arbitrary: fc.constant(live('password')) },
                { weight: 1, arbitrary: words(1024) },
              ),
              next: fc.constantFrom('/staff/cases', '//evil.example', '/staff/sign-in', 'https://x.example/'),
            },
            { requiredKeys: ['email', 'password'] },
          ),
        ),
        // A new browser each time: a right password signs it in.
        session: async () => {
          const agent = request.agent(app);
          return { agent, csrf: await signInPage(agent), value };
        },
        runs: 15,
      }));

    it('POST /staff/sign-in/code (an admin between password and code)', async () => {
      const second = await createAdmin(services, db());
      secondAdmin = second;
      let pending: { agent: Agent; csrf: string } | undefined;
      return fuzz({
        name: 'sign-in code',
        method: 'POST',
        path: '/staff/sign-in/code',
        carrier: 'form',
        shape: form(
          fc.record(
            {
              code: fc.oneof(
                { weight: 1, arbitrary: fc.constant(live('code')) },
                { weight: 2, arbitrary: digits(999_999) },
                { weight: 1, arbitrary: fc.constantFrom('123 456', '000000', '12345', '1234567') },
              ),
              next: fc.constantFrom('/staff/cases', '//evil.example'),
            },
            { requiredKeys: ['code'] },
          ),
        ),
        session: async () => {
          if (!pending) {
            const agent = request.agent(app);
            await db()
              .updateTable('users')
              .set({ failed_logins: 0, locked_until: null })
              .where('id', '=', second.id)
              .execute();
            const token = await signInPage(agent);
            await agent
              .post('/staff/sign-in')
              .type('form')
              .send({ _csrf: token, email: second.email, password: second.password })
              .expect(303);
            pending = { agent, csrf: csrfOf((await agent.get('/staff/sign-in/code').expect(200)).text) };
          }
          return { ...pending, value };
        },
        after: (res) => {
          if (res.status === 303) pending = undefined;
        },
        runs: 15,
      });
    });

    it('POST /staff/sign-out', () =>
      fuzz({
        name: 'sign-out',
        method: 'POST',
        path: '/staff/sign-out',
        carrier: 'form',
        shape: form(fc.constant({})),
        session: async () => {
          const agent = request.agent(app);
          return { agent, csrf: await signInPage(agent) };
        },
        runs: 10,
      }));

    it('POST /staff/password/:token (a password link)', () =>
      fuzz({
        name: 'password link',
        method: 'POST',
        path: '/staff/password/:token',
        carrier: 'form',
        shape: form(
          fc
            .tuple(fc.constantFrom('correct horse battery staple 2', 'short', ''), fc.boolean())
            .map(([password, same]) => ({ password, confirm: same ? password : `${password}x` })),
        ),
        session: async () => {
          const agent = request.agent(app);
          const page = await agent.get(`/staff/password/${passwordToken}`);
          const csrf = page.status === 200 ? csrfOf(page.text) : await signInPage(agent);
          return { agent, csrf, params: { token: [passwordToken] } };
        },
        runs: 15,
      }));

    it('POST /staff/account/two-factor (enrolment)', () =>
      fuzz({
        name: 'two-factor',
        method: 'POST',
        path: '/staff/account/two-factor',
        carrier: 'form',
        shape: form(fc.record({ code: digits(999_999), next: fc.constant('/staff') }, { requiredKeys: ['code'] })),
        session: async () => {
          const session = await as('account')();
          await session.agent.get('/staff/account/two-factor').expect(200);
          return session;
        },
        runs: 15,
      }));

    it('POST /staff/account/password', () =>
      fuzz({
        name: 'change password',
        method: 'POST',
        path: '/staff/account/password',
        carrier: 'form',
        shape: form(
          fc
            .tuple(
              fc.oneof(fc.constant(live('password')), words(1024)),
              fc.constantFrom('a new and long passphrase 9', 'short', ''),
              fc.boolean(),
            )
            .map(([current, password, same]) => ({ current, password, confirm: same ? password : '' })),
        ),
        session: as('account'),
        after: (res, sent) => {
          if (res.status === 303 && typeof sent['password'] === 'string') account.password = sent['password'];
        },
        runs: 15,
      }));
  });

  describe('cases', () => {
    staffForm('queue', 'supervisor', '/staff/cases', queueFields, 25, 'GET');
    staffForm('queue (board)', 'board2', '/staff/cases', queueFields, 10, 'GET');
    staffForm(
      'notes',
      'supervisor',
      '/staff/cases/:case/notes',
      fc.record({ kind: fc.constantFrom('note', 'interview', 'memo'), body: words(20_000) }),
    );
    const allegation = fc.record(
      {
        category: fc.constantFrom(live('category'), 'retired', ''),
        officerId: fc.constantFrom(live('officer'), '', '00000000-0000-0000-0000-000000000000'),
        officerDescription: words(500),
        summary: words(2000),
      },
      { requiredKeys: ['category'] },
    );
    staffForm('allegations', 'intake', '/staff/cases/:case/allegations', allegation);
    staffForm('allegation edit', 'supervisor', '/staff/cases/:case/allegations/:allegation', allegation);

    it('POST /staff/cases/:case/actions/:event as supervisor', () =>
      fuzz({
        name: 'actions',
        method: 'POST',
        path: '/staff/cases/:case/actions/:event',
        carrier: 'form',
        shape: eventShape(false),
        session: as('supervisor'),
        runs: 30,
      }));
    it('POST /staff/cases/:case/actions/:event as investigator1', () =>
      fuzz({
        name: 'actions (investigator)',
        method: 'POST',
        path: '/staff/cases/:case/actions/:event',
        carrier: 'form',
        shape: eventShape(false),
        session: as('investigator1'),
        runs: 15,
      }));
    staffForm('findings', 'supervisor', '/staff/cases/:case/findings', findingsFields);

    it('POST /staff/cases/:case/evidence (multipart, and everything that is not)', () =>
      fuzz({
        name: 'case evidence',
        method: 'POST',
        path: '/staff/cases/:case/evidence',
        carrier: 'upload',
        uploadField: 'evidence',
        shape: form(fc.constant({})),
        session: as('intake'),
        runs: 20,
      }));
  });

  describe('officers', () => {
    staffForm(
      'roster',
      'investigator1',
      '/staff/officers',
      fc.record(
        {
          q: words(100),
          status: fc.constantFrom('', 'active', 'inactive', 'retired'),
          page: fc.constantFrom('1', '0', '2'),
        },
        { requiredKeys: [] },
      ),
      15,
      'GET',
    );
    staffForm('new officer', 'intake', '/staff/officers/new', officerFormFields);
    staffForm('edit officer', 'supervisor', '/staff/officers/:officer/edit', officerFormFields);
    it('POST /staff/officers/import (multipart CSV, and everything that is not) and its confirmation', async () => {
      await fuzz({
        name: 'officer import',
        method: 'POST',
        path: '/staff/officers/import',
        carrier: 'upload',
        uploadField: 'file',
        fileData: fc.oneof({ weight: 3, arbitrary: csvData }, { weight: 1, arbitrary: fileData }),
        shape: form(fc.constant({})),
        session: as('supervisor'),
        runs: 20,
      });
      await fuzz({
        name: 'officer import confirm',
        method: 'POST',
        path: '/staff/officers/import/confirm',
        carrier: 'form',
        shape: form(fc.constant({})),
        session: as('supervisor'),
        runs: 10,
      });
    });
  });

  describe('the board', () => {
    staffForm(
      'schedule',
      'supervisor',
      '/staff/board/meetings',
      fc.record({
        date: fc.oneof(day, fc.constant('2026-02-30')),
        time: fc.oneof(hhmm, fc.constant('24:00')),
        location: words(500),
      }),
      15,
    );
    staffForm('ballot', 'board2', '/staff/board/items/:item/ballot', ballotFields, 20);
    staffForm(
      'agenda',
      'supervisor',
      '/staff/board/meetings/:meeting/items',
      fc.record({ complaintId: fc.constantFrom(live('waiting'), live('case'), '') }),
      15,
    );
    staffForm('agenda remove', 'supervisor', '/staff/board/meetings/:meeting/items/:item/remove', fc.constant({}), 10);
    staffForm(
      'open and close',
      'supervisor',
      '/staff/board/meetings/:meeting/:step',
      fc.record({ confirm: fc.constantFrom('yes', 'no') }, { requiredKeys: [] }),
      15,
    );
    staffForm(
      'recuse',
      'board3',
      '/staff/board/items/:item/recuse',
      fc.record({ reason: words(2000), confirm: fc.constantFrom('yes', '') }, { requiredKeys: [] }),
      10,
    );
  });

  describe('early intervention', () => {
    staffForm(
      'flags',
      'supervisor',
      '/staff/early-intervention',
      fc.record({ page: fc.constantFrom('1', '2', '0', '999999') }, { requiredKeys: [] }),
      10,
      'GET',
    );
    staffForm(
      'disparity',
      'supervisor',
      '/staff/early-intervention/disparity',
      fc.record({ from: fc.oneof(day, fc.constant('')), to: fc.oneof(day, fc.constant('')) }, { requiredKeys: [] }),
      15,
      'GET',
    );
  });

  describe('public-records releases', () => {
    const releaseFields = fc.record(
      {
        reference: words(80),
        trackingNumbers: fc.oneof(fc.constant(live('tracking')), words(300)),
        include: fc.constantFrom<unknown>(['allegations', 'timeline', 'decision'], [], 'decision', ['identity']),
        officers: fc.constantFrom('none', 'sustained', 'all', 'names'),
        narrative: fc.constantFrom<unknown>('include', ['include'], 'yes'),
      },
      { requiredKeys: ['reference', 'trackingNumbers'] },
    );
    staffForm('release', 'supervisor', '/staff/releases', releaseFields, 20);
    staffForm(
      'releases list',
      'admin',
      '/staff/releases',
      fc.record({ page: fc.constantFrom('1', '2', '0', 'x') }),
      10,
      'GET',
    );
  });

  describe('administration', () => {
    const roles = fc.array(fc.constantFrom(...ROLES, 'root'), { maxLength: 3 });
    staffForm(
      'new user',
      'admin',
      '/staff/admin/users',
      fc.record({ email: emailArb, displayName: words(200), language: fc.constantFrom('en', 'es', 'fr'), roles }),
    );
    staffForm(
      'edit user',
      'admin',
      '/staff/admin/users/:user',
      fc.record({ displayName: words(200), language: fc.constantFrom('en', 'es'), roles }),
    );
    staffForm('user actions', 'admin', '/staff/admin/users/:user/:act', fc.constant({}), 15);
    staffForm(
      'deadlines',
      'admin',
      '/staff/admin/deadlines/:kind',
      fc.record({
        amount: fc.oneof(whole(1, 1000), fc.constantFrom(...NUMBERISH)),
        unit: fc.constantFrom('business_days', 'calendar_days', 'months', 'fortnights'),
        warnBeforeDays: whole(0, 365),
      }),
    );
    staffForm('holidays', 'admin', '/staff/admin/holidays', fc.record({ day, name: words(200) }));
    staffForm('holiday remove', 'admin', '/staff/admin/holidays/:day/remove', fc.constant({}), 10);
    staffForm(
      'holiday years',
      'admin',
      '/staff/admin/holidays',
      fc.record({ year: fc.constantFrom('2026', '1899', '', '20266') }, { requiredKeys: [] }),
      10,
      'GET',
    );
    staffForm('outbox retry', 'admin', '/staff/admin/outbox/:outbox/retry', fc.constant({}), 10);
    staffForm(
      'tokens',
      'admin',
      '/staff/admin/tokens',
      fc.record({ userId: fc.constantFrom(live('holder'), live('investigator'), ''), name: words(100) }),
      15,
    );
    staffForm('token collect', 'admin', '/staff/account/tokens/:token/collect', fc.constant({}), 10);
    staffForm('token revoke', 'admin', '/staff/admin/tokens/:token/revoke', fc.constant({}), 10);
    staffForm('audit log', 'admin', '/staff/admin/audit', auditFields, 20, 'GET');
    staffForm('audit export', 'admin', '/staff/admin/audit.csv', auditFields, 10, 'GET');
    staffForm('audit verify', 'admin', '/staff/admin/audit/verify', fc.constant({}), 5);
    staffForm(
      'retention policy',
      'admin',
      '/staff/admin/retention/policy',
      fc.record({
        referred: years,
        dismissed: years,
        mediated: years,
        withdrawn: years,
        decided: years,
        sustained: years,
      }),
    );
    staffForm(
      'hold lookup',
      'admin',
      '/staff/admin/retention/hold',
      fc.record({ trackingNumber: fc.constantFrom(live('tracking'), 'OC-2222-2222', '') }, { requiredKeys: [] }),
      10,
      'GET',
    );
    staffForm(
      'hold',
      'admin',
      '/staff/admin/retention/hold',
      fc.record({
        complaintId: fc.constant(live('case')),
        hold: fc.constantFrom('set', 'clear', 'x'),
        reason: words(1000),
      }),
    );
    staffForm(
      'retention due',
      'admin',
      '/staff/admin/retention/due',
      fc.record({ page: fc.constantFrom('1', '2', '0') }, { requiredKeys: [] }),
      10,
      'GET',
    );
    staffForm(
      'board settings',
      'admin',
      '/staff/admin/board',
      fc.record({
        seated: fc.constantFrom<unknown>([live('member0'), live('member1')], [live('member0')], []),
        quorum: fc.constantFrom('majority', 'fixed', 'all'),
        quorumCount: fc.constantFrom('1', '2', '3', '51', ''),
        tieRule: fc.constantFrom('not_sustained', 'carry_over', 'coin'),
        seesIdentity: fc.constantFrom('yes', 'no'),
        publicMemberNames: fc.constantFrom('yes', 'no'),
      }),
    );
    staffForm(
      'early intervention thresholds',
      'admin',
      '/staff/admin/early-intervention',
      fc.record({
        complaintsCount: whole(1, 50),
        complaintsMonths: whole(1, 120),
        forceCount: whole(1, 50),
        forceMonths: whole(1, 120),
        forceCategories: fc.constantFrom<unknown>(['force'], ['force', 'discourtesy'], [], ['nope']),
        sustainedCount: whole(1, 50),
        sustainedMonths: whole(1, 120),
      }),
    );
    staffForm(
      'purge',
      'admin',
      '/staff/admin/retention/purge',
      fc.record({
        asOf: fc.constantFrom(live('purgeAsOf'), '2026-01-01T00:00:00Z', ''),
        policy: fc.constant(live('purgePolicy')),
      }),
      10,
    );
  });

  describe('staff GET pages with odd path segments and queries', () => {
    const pages = [
      '/staff/cases/:case',
      '/staff/cases/:case/allegations/:allegation',
      '/staff/cases/:case/evidence/:file',
      '/staff/cases/caseload',
      '/staff/officers/:officer',
      '/staff/officers/:officer/edit',
      '/staff/board/meetings/:meeting',
      '/staff/board/meetings/:meeting/close',
      '/staff/board/meetings/:meeting/minutes',
      '/staff/board/items/:item/ballot',
      '/staff/admin/users/:user',
      '/staff/admin/deadlines/:kind',
      '/staff/releases/:x',
      '/staff/account/two-factor',
      '/staff/sign-in/code',
      '/staff/:x',
    ];
    for (const who of ['supervisor', 'admin', 'board2', 'investigator1']) {
      it(`GET staff pages as ${who}`, () =>
        fuzz({
          name: `staff pages (${who})`,
          method: 'GET',
          path: ':page',
          carrier: 'query',
          shape: fc.constantFrom(...pages).chain((page) =>
            fc.record({
              fields: fc.record(
                {
                  lang: fc.constantFrom('en', 'es', 'xx'),
                  copy: fc.constantFrom('viewing', 'original'),
                  next: words(20),
                },
                { requiredKeys: [] },
              ),
              params: fc.record({
                page: fc.constant<Param>({ text: page }),
                case: paramArb,
                allegation: paramArb,
                file: paramArb,
                officer: paramArb,
                meeting: paramArb,
                item: paramArb,
                user: paramArb,
                kind: paramArb,
                x: paramArb,
              }),
            }),
          ),
          session: async () => ({
            ...(await as(who)()),
            params: { ...PARAMS, x: ['cases', 'board', 'admin', 'account', 'officers', 'early-intervention'] },
          }),
          runs: 25,
        }));
    }
  });

  describe('the staff API, with bearer tokens', () => {
    const tokens: Record<string, string> = {};
    before(async () => {
      for (const email of ['supervisor@example.org', 'intake@example.org', 'investigator1@example.org']) {
        const user = await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
        const issued = await services.apiTokens.issue(admin.id, { userId: user.id, name: `fuzz ${email}` });
        const collected = await services.apiTokens.collect(user.id, issued.id);
        if (collected.outcome !== 'collected') throw new Error(`no token for ${email}`);
        tokens[email.split('@')[0]!] = collected.token;
      }
    });
    const bearer = (who: string) => async (): Promise<Session> => ({
      agent: request.agent(app),
      headers: { Authorization: `Bearer ${tokens[who]}` },
      params: PARAMS,
      value,
    });

    it('GET /api/v1/cases (the queue as query parameters)', () =>
      fuzz({
        name: 'api queue',
        method: 'GET',
        path: '/api/v1/cases',
        carrier: 'query',
        shape: plain(
          fc.record(
            {
              stage: fc.constantFrom(...STAGES),
              assignee: fc.constant(live('investigator')),
              overdue: fc.constantFrom('true', 'false', '1'),
              dueSoon: fc.constantFrom('true', 'false'),
              tolled: fc.constantFrom('true', 'false'),
              category: fc.constant(live('category')),
              district: fc.constant(live('district')),
              trackingNumber: fc.constant(live('tracking')),
              open: fc.constantFrom('true', 'false'),
              page: fc.constantFrom('1', '2', '1e3', '100001', '-1', '0x10'),
              lang: fc.constantFrom('en', 'es'),
            },
            { requiredKeys: [] },
          ),
        ),
        session: bearer('supervisor'),
        runs: 25,
      }));

    it('GET /api/v1/cases/:case', () =>
      fuzz({
        name: 'api case',
        method: 'GET',
        path: '/api/v1/cases/:case',
        carrier: 'query',
        shape: plain(fc.record({ lang: fc.constantFrom('en', 'es') }, { requiredKeys: [] })),
        session: bearer('intake'),
        runs: 15,
      }));

    for (const who of ['supervisor', 'investigator1']) {
      it(`POST /api/v1/cases/:case/events (JSON) as ${who}`, () =>
        fuzz({
          name: `api events (${who})`,
          method: 'POST',
          path: '/api/v1/cases/:case/events',
          carrier: 'json',
          shape: eventShape(true).map((s) => ({ fields: s.fields })),
          session: bearer(who),
          runs: who === 'supervisor' ? 30 : 15,
        }));
    }

    it('odd Authorization headers on the staff API', () =>
      fuzz({
        name: 'api authorization',
        method: 'GET',
        path: '/api/v1/cases/:case',
        carrier: 'query',
        shape: fc
          .oneof(
            fc.constantFrom(
              'Bearer',
              'Bearer ',
              'bearer oct_x',
              `Bearer ${'a'.repeat(201)}`,
              'Basic YTpi',
              'Bearer oct_\u00e9',
            ),
            fc
              .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 })
              .map((s) => `Bearer ${s}`),
          )
          .map((authorization) => ({ fields: {}, headers: { Authorization: authorization } })),
        session: bearer('supervisor'),
        runs: 15,
      }));
  });
});
