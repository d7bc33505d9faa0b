/** PromQL words that look like identifiers but are not metric names. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

/**
 * Metric names referenced by a PromQL expression (or a Grafana target expression).
 * Good enough for the expressions in deploy/: strips strings, label matchers, grouping clauses, ranges and
 * Grafana variables, then keeps identifiers that are not function calls or keywords.
 */
export function metricNamesInPromql(expr: string): string[] {
  const cleaned = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ');
  const names = new Set<string>();
  for (const m of cleaned.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = cleaned.slice((m.index ?? 0) + word.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(word.toLowerCase())) continue;
    // Exponents and durations such as 1e3 or 5m are not identifiers: their match starts after a digit.
    const before = cleaned[(m.index ?? 0) - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    names.add(word);
  }
  return [...names].sort();
}

export interface MetricContract {
  /** name -> type ("histogram", "counter", ...), from deploy/metrics.md's tables. */
  types: Map<string, string>;
}

/** Reads the metric tables of deploy/metrics.md: rows whose first cell is a `code` name. */
export function parseMetricContract(markdown: string): MetricContract {
  const types = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([A-Za-z_:][A-Za-z0-9_:]*)`$/.exec(cells[1] ?? '');
    if (name) types.set(name[1], (cells[2] ?? '').toLowerCase());
  }
  return { types };
}

/** True when `name` is in the contract, counting a histogram's _bucket/_sum/_count series. */
export function isContractMetric(contract: MetricContract, name: string): boolean {
  if (contract.types.has(name)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && (contract.types.get(base) ?? '').startsWith('histogram');
}
