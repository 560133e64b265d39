import { NodePoolDefaults } from '../src';

describe('NodePoolDefaults: the system/app/gpu pools defined once', () => {
  test('resolve() fills every unset field and keeps what is given (an explicit undefined does not hide a default)', () => {
    const r = NodePoolDefaults.resolve({ system: { maxSize: 6, minSize: undefined }, app: { enabled: false }, gpu: { instanceTypes: ['g6.xlarge'] } });
    expect(r.system).toEqual({ ...NodePoolDefaults.SYSTEM, maxSize: 6 });
    expect(r.app).toEqual({ ...NodePoolDefaults.APP, enabled: false });
    expect(r.gpu).toEqual({ ...NodePoolDefaults.GPU, instanceTypes: ['g6.xlarge'] });
    expect(NodePoolDefaults.resolve()).toEqual({ system: NodePoolDefaults.SYSTEM, app: NodePoolDefaults.APP, gpu: NodePoolDefaults.GPU });
  });

  test('the defaults are the documented ones', () => {
    expect(NodePoolDefaults.SYSTEM).toMatchObject({ instanceTypes: ['m7i.large'], minSize: 2, desiredSize: 2, maxSize: 4, dataVolumeSizeGiB: 50 });
    expect(NodePoolDefaults.APP).toMatchObject({ minSize: 2, desiredSize: 4, maxSize: 10, spotPercentage: 50, dataVolumeSizeGiB: 100 });
    expect(NodePoolDefaults.GPU).toMatchObject({ instanceTypes: ['g5.xlarge'], minSize: 0, maxSize: 2, dataVolumeSizeGiB: 100 });
  });

  test('families and vCPUs are read from instance type names', () => {
    expect(NodePoolDefaults.families(['m7i.xlarge', 'm6i.xlarge', 'm7i.2xlarge', 'c7i.large'])).toEqual(['m7i', 'm6i', 'c7i']);
    expect(NodePoolDefaults.maxVcpus(['m7i.large'])).toBe(2);
    expect(NodePoolDefaults.maxVcpus(['m7i.large', 'm7i.xlarge', 'm7i.4xlarge'])).toBe(16);
    expect(NodePoolDefaults.maxVcpus(['t3.micro'])).toBe(1);
  });
});
