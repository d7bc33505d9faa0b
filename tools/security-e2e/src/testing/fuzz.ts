import fc from 'fast-check';

export interface RawRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

export interface Probe {
  req: RawRequest;
  status: number;
  headers: Headers;
  text: string;
  ms: number;
}

export async function send(baseUrl: string, req: RawRequest, timeoutMs = 5000): Promise<Probe> {
  const t0 = Date.now();
  const res = await fetch(`${baseUrl}${req.path}`, {
    method: req.method,
    headers: req.headers,
    body: req.method === 'GET' || req.method === 'HEAD' || req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { req, status: res.status, headers: res.headers, text, ms: Date.now() - t0 };
}

const deepNest = (depth: number): string => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

/** Malformed bodies every JSON endpoint must reject with a 4xx JSON error (or accept), never a 5xx or a hang. */
export const malformedBodies = (): Array<{ label: string; contentType: string; body: Uint8Array | string }> => [
  { label: 'empty body', contentType: 'application/json', body: '' },
  { label: 'truncated JSON', contentType: 'application/json', body: '{"schemaVersion":"1","checkoutId":"c' },
  { label: 'NaN/Infinity text', contentType: 'application/json', body: '{"amount":{"value":NaN,"currency":"EUR"},"x":Infinity,"y":-Infinity}' },
  { label: 'numbers as strings', contentType: 'application/json', body: '{"schemaVersion":1,"amount":{"value":"129.90","currency":"EUR"},"items":{"count":"2"}}' },
  { label: '__proto__ pollution', contentType: 'application/json', body: '{"__proto__":{"isAdmin":true,"polluted":"yes"},"a":1}' },
  { label: 'constructor.prototype pollution', contentType: 'application/json', body: '{"constructor":{"prototype":{"polluted":"yes"}}}' },
  { label: 'deep nesting (5000)', contentType: 'application/json', body: deepNest(5000) },
  { label: 'invalid UTF-8 bytes', contentType: 'application/json', body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x22, 0x7d]) },
  { label: 'lone surrogates', contentType: 'application/json', body: '{"a":"\\ud800\\udc00\\udfff\\ud800"}' },
  { label: 'NUL bytes', contentType: 'application/json', body: '{"a":"\\u0000\u0000"}' },
  { label: 'JSON array root', contentType: 'application/json', body: '[1,2,3]' },
  { label: 'JSON null root', contentType: 'application/json', body: 'null' },
  { label: 'JSON string root', contentType: 'application/json', body: '"hello"' },
  { label: 'wrong content type (text/plain)', contentType: 'text/plain', body: '{"a":1}' },
  { label: 'wrong content type (form)', contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
  { label: 'wrong content type (xml)', contentType: 'application/xml', body: '<a>1</a>' },
  { label: 'bogus content type', contentType: 'application/json; charset=utf-1024', body: '{"a":1}' },
  { label: 'huge string under the limit', contentType: 'application/json', body: JSON.stringify({ a: 'x'.repeat(20_000) }) },
  { label: 'many keys', contentType: 'application/json', body: JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))) },
  { label: 'huge number', contentType: 'application/json', body: `{"a":1${'0'.repeat(400)}}` },
  { label: 'duplicate keys', contentType: 'application/json', body: '{"a":1,"a":{"b":2}}' },
];

/** Random JSON values (including prototype keys and odd unicode), serialised as the body. */
export const arbitraryJsonBody = fc.oneof(
  fc.json({ depthSize: 'medium' }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'schemaVersion', 'region'), fc.jsonValue()).map((o) => JSON.stringify(o)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json().map((s) => s.slice(0, Math.max(0, s.length - 1 - (s.length % 7)))),
);

/** No stack frames, module paths or internal error names in a response. */
export function leaksInternals(text: string): string | null {
  const patterns: Array<[string, RegExp]> = [
    ['stack frame', /\bat [\w.<>]+ \(?[/\w.-]+:\d+:\d+\)?/],
    ['node_modules path', /node_modules/],
    ['source path', /\/(apps|libs)\/[\w-]+\/src\//],
    ['prisma internals', /PrismaClient|prisma\.\w+\.\w+\(/],
    ['sql text', /\b(SELECT|INSERT INTO|UPDATE \w+ SET)\b.*\bFROM\b/i],
  ];
  for (const [name, re] of patterns) if (re.test(text)) return name;
  return null;
}
