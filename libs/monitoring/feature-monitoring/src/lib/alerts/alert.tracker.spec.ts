import type { MonitoringAlert } from '../monitoring.types';
import { AlertTracker } from './alert.tracker';

const breach = (feature: string, region: string): MonitoringAlert => ({
  name: 'monitoring.feature_drift',
  status: 'firing',
  severity: 'warning',
  labels: { feature, region },
  value: 1,
  threshold: 0.25,
  summary: `${feature} ${region}`,
  details: {},
  at: 't',
});

describe('AlertTracker', () => {
  it('publishes edges only: firing once, resolved once, other alert names untouched', () => {
    const t = new AlertTracker();
    const names = ['monitoring.feature_drift'];
    expect(t.transitions(names, [breach('a', 'eu')], 't1').map((a) => a.status)).toEqual(['firing']);
    expect(t.transitions(names, [breach('a', 'eu')], 't2')).toEqual([]);
    const skew: MonitoringAlert = { ...breach('x', 'eu'), name: 'monitoring.training_serving_skew', labels: { feature: 'x' } };
    t.transitions(['monitoring.training_serving_skew'], [skew], 't2');
    const out = t.transitions(names, [breach('b', 'us')], 't3');
    expect(out.map((a) => [a.status, a.labels['feature']])).toEqual([
      ['firing', 'b'],
      ['resolved', 'a'],
    ]);
    expect(t.active().map((a) => a.name).sort()).toEqual(['monitoring.feature_drift', 'monitoring.training_serving_skew']);
  });
});
