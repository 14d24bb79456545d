import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../src/metrics.js';

describe('MetricsRegistry', () => {
  it('renders counters with labels in the Prometheus text format', () => {
    const r = new MetricsRegistry();
    const c = r.counter('latchkey_requests_total', 'Requests served.', ['action', 'status']);
    c.inc({ action: 'GetUser', status: '200' });
    c.inc({ action: 'GetUser', status: '200' });
    c.inc({ action: 'CreateUser', status: '403' });
    const text = r.render();
    expect(text).toContain('# TYPE latchkey_requests_total counter');
    expect(text).toContain('latchkey_requests_total{action="GetUser",status="200"} 2');
    expect(text).toContain('latchkey_requests_total{action="CreateUser",status="403"} 1');
    expect(c.get({ action: 'GetUser', status: '200' })).toBe(2);
  });

  it('escapes label values', () => {
    const r = new MetricsRegistry();
    r.counter('x_total', 'x', ['v']).inc({ v: 'a"b\\c\nd' });
    expect(r.render()).toContain('x_total{v="a\\"b\\\\c\\nd"} 1');
  });

  it('renders cumulative histogram buckets, sum and count', () => {
    const r = new MetricsRegistry();
    const h = r.histogram('lat_seconds', 'Latency.', ['op'], [0.1, 1]);
    h.observe({ op: 'a' }, 0.05);
    h.observe({ op: 'a' }, 0.5);
    h.observe({ op: 'a' }, 5);
    const text = r.render();
    expect(text).toContain('lat_seconds_bucket{op="a",le="0.1"} 1');
    expect(text).toContain('lat_seconds_bucket{op="a",le="1"} 2');
    expect(text).toContain('lat_seconds_bucket{op="a",le="+Inf"} 3');
    expect(text).toContain('lat_seconds_sum{op="a"} 5.55');
    expect(text).toContain('lat_seconds_count{op="a"} 3');
  });
});
