export interface SecretHit {
  file: string;
  line: number;
  rule: string;
}

/** Well-known credential shapes: any match is a committed secret, wherever it is. */
const ALWAYS: Array<[string, RegExp]> = [
  ['private key block', /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----/],
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['AWS secret access key', /aws_?secret_?access_?key\s*[:=]\s*['"]?[A-Za-z0-9/+=]{40}\b/i],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['Stripe live key', /\b[sr]k_live_[0-9A-Za-z]{16,}\b/],
  ['JWT', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['connection string with password', /\b(?:postgres(?:ql)?|redis|rediss|amqp|mongodb(?:\+srv)?):\/\/[^:/\s'"@]+:[^@\s'"$<{]{6,}@/],
];

/**
 * Env-style NAME_SECRET / NAME_KEY(S) / NAME_TOKEN(S) / PASSWORD, or camelCase secret/password/apiKey/privateKey/
 * hmacKey, assigned a long hex or base64-ish literal. (camelCase `*Token` fields are contract tokens — keyed
 * pseudonyms `tok_<keyId>_<digest>` — not credentials.)
 */
const ASSIGNMENT = /\b([A-Z0-9_]*(?:SECRET|_KEY|KEYS?_|_KEYS|TOKENS?|PASSWORD|PASSWD)[A-Z0-9_]*|[A-Za-z0-9]*(?:[sS]ecret|[pP]assword|apiKey|privateKey|hmacKey|signingKey)[A-Za-z0-9]*)["']?\s*[:=]\s*["'`]?([A-Za-z0-9+/=_-]{20,})/;
const HEXISH = /^[0-9a-f]{32,}$/i;
const B64ISH = /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)[A-Za-z0-9+/=_-]{24,}$/;
/** Values that are clearly not secrets: demo seeds marked as such, placeholders, references. */
const DEMO_OR_PLACEHOLDER = /demo|test|example|placeholder|changeme|dummy|fake|sample|e2e|local|dev|x{6,}|\$\{|<[^>]+>/i;

/** Files that may hold fixture secrets by design: tests and test helpers. Everything else must be clean. */
export function isTestFixture(path: string): boolean {
  return /\.(spec|int-spec|e2e-spec)\.ts$/.test(path) || /(^|\/)(testing|test|__fixtures__|fixtures)\//.test(path) || /\.bench\.ts$/.test(path);
}

export function scanText(file: string, text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && i < 50_000; i++) {
    const line = lines[i] ?? '';
    if (line.length > 5000) continue;
    for (const [rule, re] of ALWAYS) {
      const m = re.exec(line);
      // AWS's documented sample credentials end in EXAMPLE (AKIAIOSFODNN7EXAMPLE); they sign nothing.
      if (m && !/EXAMPLE/.test(m[0])) hits.push({ file, line: i + 1, rule });
    }
    if (isTestFixture(file)) continue;
    const m = ASSIGNMENT.exec(line);
    const value = m?.[2] ?? '';
    if (m && !value.startsWith('tok_') && (HEXISH.test(value) || B64ISH.test(value)) && !DEMO_OR_PLACEHOLDER.test(value) && !DEMO_OR_PLACEHOLDER.test(line)) {
      hits.push({ file, line: i + 1, rule: `secret-looking literal assigned to ${m[1]}` });
    }
  }
  return hits;
}
