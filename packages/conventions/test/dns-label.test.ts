import { DnsLabel } from '../src';

describe('DnsLabel', () => {
  test.each(['a', 'team-a', '0', 'a'.repeat(63)])('accepts %p', (v) => expect(DnsLabel.problem(v)).toBeUndefined());
  test.each(['', 'Team', 'a_b', '-a', 'a-', 'a.b', 'a'.repeat(64)])('refuses %p, naming the fix', (v) => {
    expect(DnsLabel.problem(v)).toEqual({ problem: `"${v}" is not a Kubernetes name`, fix: 'use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit' });
  });
  test('host names: labels joined by dots with a letter TLD, a wildcard only when asked for', () => {
    expect(DnsLabel.isHostName('platform.example.com')).toBe(true);
    expect(DnsLabel.isHostName('*.example.com')).toBe(false);
    expect(DnsLabel.isHostName('*.example.com', true)).toBe(true);
    for (const bad of ['example', 'Example.com', 'a..b.com', 'a.b.c1', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`]) expect(DnsLabel.isHostName(bad)).toBe(false);
  });
});
