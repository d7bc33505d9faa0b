import { randomInt } from 'node:crypto';
import { exampleScoringRequest, luhnValid, type ScoringRequest } from '@risk/contract-events';

export interface Needle {
  kind: string;
  value: string;
}

/** A Luhn-valid 16-digit Visa-like PAN unique to this run (so a hit can only come from this test). */
export function uniquePan(): string {
  for (;;) {
    const body = `4${Array.from({ length: 14 }, () => randomInt(10)).join('')}`;
    for (let d = 0; d < 10; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  }
}

export interface PiiRequest {
  request: ScoringRequest;
  needles: Needle[];
}

/** A valid scoring request whose every personal identifier is unique to run `runId` and request `i`. */
export function piiRequest(runId: string, i: number, region: ScoringRequest['region'] = 'eu'): PiiRequest {
  const r = exampleScoringRequest();
  const phoneDigits = `4930${String(randomInt(1_000_000, 9_999_999))}`;
  const ipv6 = i % 2 === 1;
  const ip = ipv6 ? `2001:db8:${runId.slice(0, 4)}:${runId.slice(4, 8)}::${(i + 1).toString(16)}` : `198.${randomInt(18, 20)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  const email = `Leak.Probe.${runId}.${i}@Pii-Probe.example`;
  const device = `dev-probe-${runId}-${i}`;
  const line1 = `${runId}${i} Leakprobe Strasse ${i + 1}`;
  const city = `Probeville${runId}x${i}`;
  const accountId = `acc_probe_${runId}_${i}`;
  const request: ScoringRequest = {
    ...r,
    checkoutId: `chk_${runId}_${i}`,
    region,
    occurredAt: new Date().toISOString(),
    shopper: { ...r.shopper, accountId, email, phone: `+${phoneDigits.slice(0, 2)} ${phoneDigits.slice(2, 4)} ${phoneDigits.slice(4)}` },
    device: { ...r.device, id: device, ip },
    shipping: { ...r.shipping, address: { ...r.shipping.address, line1, city } },
  };
  const needles: Needle[] = [
    { kind: 'email', value: email },
    { kind: 'email', value: email.toLowerCase() },
    { kind: 'email-local-part', value: `leak.probe.${runId}.${i}` },
    { kind: 'phone', value: request.shopper.phone ?? '' },
    { kind: 'phone-normalised', value: `+${phoneDigits}` },
    { kind: 'phone-digits', value: phoneDigits },
    { kind: 'ip', value: ip },
    { kind: 'device', value: device },
    { kind: 'address-line1', value: line1 },
    { kind: 'address-line1', value: line1.toLowerCase() },
    { kind: 'address-city', value: city.toLowerCase() },
    { kind: 'account-id', value: accountId },
  ];
  return { request, needles };
}

export interface Sink {
  sink: string;
  text: string;
}

export interface Finding {
  sink: string;
  kind: string;
  /** Up to 40 characters around the hit, with the needle masked, so the report itself does not leak. */
  context: string;
}

/** Case-insensitive search of every needle (and its JSON/URL-escaped forms) in every sink. */
export function scanForNeedles(sinks: readonly Sink[], needles: readonly Needle[]): Finding[] {
  const findings: Finding[] = [];
  const forms = needles.flatMap((n) =>
    [...new Set([n.value, JSON.stringify(n.value).slice(1, -1), encodeURIComponent(n.value)])].filter((v) => v.length >= 6).map((v) => ({ kind: n.kind, v: v.toLowerCase() })),
  );
  for (const s of sinks) {
    const hay = s.text.toLowerCase();
    for (const f of forms) {
      const at = hay.indexOf(f.v);
      if (at >= 0) findings.push({ sink: s.sink, kind: f.kind, context: `${s.text.slice(Math.max(0, at - 20), at)}<${f.kind}>${s.text.slice(at + f.v.length, at + f.v.length + 20)}` });
    }
  }
  return findings;
}
