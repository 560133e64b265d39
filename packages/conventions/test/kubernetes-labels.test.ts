import { KeelsonLabels, MANAGED_BY } from '../src';

describe('KeelsonLabels', () => {
  test('the platform mark and the component labels', () => {
    expect(KeelsonLabels.managed()).toEqual({ 'app.kubernetes.io/managed-by': 'keelson' });
    expect(KeelsonLabels.MANAGED_BY_VALUE).toBe(MANAGED_BY);
    expect(KeelsonLabels.component('gatekeeper')).toEqual({ 'app.kubernetes.io/managed-by': 'keelson', 'app.kubernetes.io/component': 'gatekeeper' });
    expect(KeelsonLabels.key('preview')).toBe('keelson.dev/preview');
  });
});
