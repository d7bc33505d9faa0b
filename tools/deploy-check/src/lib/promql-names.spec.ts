import { isContractMetric, metricNamesInPromql, parseMetricContract } from './promql-names';

describe('metricNamesInPromql', () => {
  it('finds metrics behind functions, matchers, grouping and ranges', () => {
    const expr = `histogram_quantile(0.99, sum by (le, stage) (rate(scorer_stage_duration_seconds_bucket{stage!="total", x=~"a|b"}[5m])))
      / on (region) group_left (action) sum without (pod) (increase(scorer_decisions_total[$__rate_interval] offset 1h)) > 1e3`;
    expect(metricNamesInPromql(expr)).toEqual(['scorer_decisions_total', 'scorer_stage_duration_seconds_bucket']);
  });

  it('keeps recorded names with colons and plain selectors', () => {
    expect(metricNamesInPromql('region:scorer_decisions:rate5m > 0 and up{app="registry"} == 0 or vector(0)')).toEqual([
      'region:scorer_decisions:rate5m',
      'up',
    ]);
  });
});

describe('metric contract', () => {
  const contract = parseMetricContract(
    ['| metric | type |', '|---|---|', '| `a_seconds` | histogram | x |', '| `b_total` | counter | y |', 'text `c` here'].join('\n'),
  );

  it('reads table rows only', () => {
    expect([...contract.types.keys()]).toEqual(['a_seconds', 'b_total']);
  });

  it('accepts histogram series suffixes, nothing else', () => {
    expect(isContractMetric(contract, 'a_seconds_bucket')).toBe(true);
    expect(isContractMetric(contract, 'a_seconds_count')).toBe(true);
    expect(isContractMetric(contract, 'b_total_count')).toBe(false);
    expect(isContractMetric(contract, 'c')).toBe(false);
  });
});
