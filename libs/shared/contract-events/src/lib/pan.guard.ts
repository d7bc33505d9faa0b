/**
 * A 13–19 digit run (spaces/dashes allowed between digits) that passes Luhn is treated as a raw card number.
 * The run must stand alone (no letter or digit either side), so hex ids like UUIDs do not trip it.
 */
const PAN_CANDIDATE = /(?<![A-Za-z0-9])(?:\d[ -]?){12,18}\d(?![A-Za-z0-9])/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function containsPan(value: string): boolean {
  if (value.length < 13 || UUID.test(value)) return false;
  for (const m of value.matchAll(PAN_CANDIDATE)) {
    const digits = m[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}

/** Paths (dot-joined) of every string or integer leaf that looks like a PAN. Values are never returned. */
export function findPanPaths(input: unknown, path: (string | number)[] = [], out: string[] = [], depth = 0): string[] {
  if (depth > 12) return out;
  if (typeof input === 'string') {
    if (containsPan(input)) out.push(path.join('.'));
  } else if (typeof input === 'number') {
    if (Number.isInteger(input) && Math.abs(input) >= 1e12 && containsPan(String(Math.abs(input)))) out.push(path.join('.'));
  } else if (Array.isArray(input)) {
    input.forEach((v, i) => findPanPaths(v, [...path, i], out, depth + 1));
  } else if (input && typeof input === 'object') {
    for (const [k, v] of Object.entries(input)) findPanPaths(v, [...path, k], out, depth + 1);
  }
  return out;
}
