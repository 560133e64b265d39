import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DR_CIDR, DR_REGION, PRIMARY_CIDR, RegionStack, testSpec } from './fixture';
import {
  DisasterRecoveryPlatform, DisasterRecoveryPlatformProps, PeeringAccepterRole, PlatformPeering, PlatformSpec,
  PrimaryPlatform, ReplicaBackupBucket, VeleroBackups, VeleroBackupsProps,
} from '../src';
import { scaleNodePools } from '../src/private/scale';

// No synth in this file: constructs are built and inspected, and bad input must throw while building.

function drPlatform(props: Partial<DisasterRecoveryPlatformProps> = {}, spec: PlatformSpec = testSpec()): DisasterRecoveryPlatform {
  const stack = new RegionStack(new App(), 'Dr', DR_REGION);
  return new DisasterRecoveryPlatform(stack, 'Dr', {
    spec, primaryVpcCidr: PRIMARY_CIDR, drVpcCidr: DR_CIDR, availabilityZones: stack.availabilityZones, ...props,
  });
}

function nodegroup(platform: DisasterRecoveryPlatform, name: string): eks.CfnNodegroup {
  return platform.platformCluster.nodePools[name].nodegroup.node.defaultChild as eks.CfnNodegroup;
}

describe('the DR cluster follows the shared spec', () => {
  test('changing instance types in the spec changes them in the DR cluster', () => {
    const before = drPlatform();
    const spec = testSpec();
    const after = drPlatform({}, { ...spec, nodePools: { ...spec.nodePools, app: { ...spec.nodePools!.app, onDemandInstanceTypes: ['m8i.4xlarge'] } } });
    expect(nodegroup(before, 'app-on-demand').instanceTypes).toEqual(['m7i.2xlarge']);
    expect(nodegroup(after, 'app-on-demand').instanceTypes).toEqual(['m8i.4xlarge']);
  });

  test('the Kubernetes version comes from the spec', () => {
    const platform = drPlatform();
    expect(platform.platformCluster.version.version).toBe('1.36');
    const cfn = platform.platformCluster.cluster.node.defaultChild as eks.CfnCluster;
    expect(cfn.version).toBe('1.36');
  });

  test('explicit DR node pools replace the scaled ones', () => {
    const platform = drPlatform({ nodePools: { system: { minSize: 3, desiredSize: 3, maxSize: 3 }, gpu: { enabled: false } } });
    expect(nodegroup(platform, 'system').scalingConfig).toEqual({ minSize: 3, desiredSize: 3, maxSize: 3 });
  });

  test('drNodeScale scales min and desired, keeps max; system keeps 2 nodes', () => {
    expect(scaleNodePools({ app: { minSize: 4, desiredSize: 6, maxSize: 20 } }, 0.25).app).toMatchObject({ minSize: 1, desiredSize: 2, maxSize: 20 });
    expect(scaleNodePools(undefined, 0.5).system).toMatchObject({ minSize: 2, desiredSize: 2, maxSize: 4 });
    expect(scaleNodePools(undefined, 1).app).toMatchObject({ minSize: 2, desiredSize: 4, maxSize: 10 });
    expect(scaleNodePools({ gpu: { minSize: 0, desiredSize: 0, maxSize: 2 } }, 0.5).gpu).toMatchObject({ minSize: 0, desiredSize: 0, maxSize: 2 });
  });

  test('in an environment-agnostic stack the Region tag is the region token', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const platform = new DisasterRecoveryPlatform(stack, 'Dr', { spec: testSpec(), primaryVpcCidr: PRIMARY_CIDR, drVpcCidr: DR_CIDR });
    expect(stack.resolve(platform.region)).toEqual({ Ref: 'AWS::Region' });
  });
});

describe('validation fails at synth with a clear message', () => {
  test('overlapping primary and DR CIDRs name drVpcCidr', () => {
    expect(() => drPlatform({ drVpcCidr: '10.0.128.0/17' })).toThrow(
      'Dr/Dr: invalid drVpcCidr: 10.0.128.0/17 overlaps primaryVpcCidr 10.0.0.0/16; peered VPCs need disjoint address ranges. Fix: choose a drVpcCidr outside 10.0.0.0/16, for example the next /16');
  });

  test('a malformed DR CIDR', () => {
    expect(() => drPlatform({ drVpcCidr: '10.1.0.0/33' })).toThrow(
      'Dr/Dr: invalid drVpcCidr: "10.1.0.0/33" has a prefix length above 32. Fix: use an IPv4 CIDR block such as 10.0.0.0/16');
  });

  test('a drNodeScale outside (0, 1]', () => {
    expect(() => drPlatform({ drNodeScale: 0 })).toThrow(
      'Dr/Dr: invalid drNodeScale: 0 is outside (0, 1]. Fix: use a factor greater than 0 and at most 1, for example 0.5');
    expect(() => drPlatform({ drNodeScale: 1.5 })).toThrow('invalid drNodeScale: 1.5 is outside (0, 1]');
  });

  test('an unusable cluster name base', () => {
    expect(() => drPlatform({}, testSpec({ clusterNameBase: 'Platform_X' }))).toThrow(
      'Dr/Dr/Platform: invalid spec.clusterNameBase: "Platform_X" is not a usable name base. Fix: use 1–41 lowercase letters, digits or hyphens, starting with a letter');
  });

  test('a primary platform whose CIDR overlaps a peer', () => {
    const stack = new RegionStack(new App(), 'P', 'ap-southeast-1');
    expect(() => new PrimaryPlatform(stack, 'Primary', { spec: testSpec(), vpcCidr: PRIMARY_CIDR, peerCidrs: ['10.0.0.0/8'], availabilityZones: stack.availabilityZones }))
      .toThrow('P/Primary: invalid vpcCidr: 10.0.0.0/16 overlaps peerCidrs[0] 10.0.0.0/8');
  });

  describe('peering', () => {
    function peering(peerCidr: string, peerStack?: Stack): void {
      const app = new App();
      const primary = new RegionStack(app, 'Primary', 'ap-southeast-1');
      const drStack = peerStack ?? new RegionStack(app, 'DrNet', DR_REGION);
      const vpc = new ec2.Vpc(primary, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr(PRIMARY_CIDR), availabilityZones: primary.availabilityZones });
      const peerVpc = new ec2.Vpc(drStack, 'PeerVpc', { ipAddresses: ec2.IpAddresses.cidr(DR_CIDR), maxAzs: 2 });
      new PlatformPeering(primary, 'Peering', { vpc, vpcCidr: PRIMARY_CIDR, peerVpc, peerCidr });
    }
    test('overlapping CIDRs name peerCidr', () => {
      expect(() => peering('10.0.0.0/20')).toThrow(
        'Primary/Peering: invalid peerCidr: 10.0.0.0/20 overlaps vpcCidr 10.0.0.0/16; peered VPCs need disjoint address ranges. Fix: choose a peerCidr outside 10.0.0.0/16, for example the next /16');
    });
    test('a peer VPC in a stack without a region', () => {
      const app = new App();
      expect(() => {
        const primary = new RegionStack(app, 'Primary', 'ap-southeast-1');
        const agnostic = new Stack(app, 'Agnostic');
        const vpc = new ec2.Vpc(primary, 'Vpc', { availabilityZones: primary.availabilityZones });
        const peerVpc = new ec2.Vpc(agnostic, 'PeerVpc', { ipAddresses: ec2.IpAddresses.cidr(DR_CIDR) });
        new PlatformPeering(primary, 'Peering', { vpc, vpcCidr: PRIMARY_CIDR, peerVpc, peerCidr: DR_CIDR });
      }).toThrow('Primary/Peering: invalid peerVpc: lives in a stack without an explicit region (Agnostic). Fix: give that stack env: { account, region } so the region can be used across regions');
    });
    test('a peer VPC in the same region is refused by the requester', () => {
      const app = new App();
      expect(() => peering(DR_CIDR, new RegionStack(app, 'SameRegion', 'ap-southeast-1'))).toThrow(/invalid peerRegion: "ap-southeast-1" is this stack's own region/);
    });
    test('an accepter role for a malformed account', () => {
      const stack = new RegionStack(new App(), 'Acc', DR_REGION);
      const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: stack.availabilityZones });
      expect(() => new PeeringAccepterRole(stack, 'Role', { requesterAccountId: '1234', vpc })).toThrow(
        'Acc/Role: invalid requesterAccountId: "1234" is not a 12-digit account ID. Fix: pass the primary account ID');
    });
  });

  describe('Velero', () => {
    function velero(props: Partial<VeleroBackupsProps>): void {
      const stack = new RegionStack(new App(), 'V', DR_REGION);
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c' });
      new VeleroBackups(stack, 'Velero', { cluster, namespaces: ['team-a'], ...props });
    }
    test('an empty namespace list', () => {
      expect(() => velero({ namespaces: [] })).toThrow(
        'V/Velero: invalid namespaces: is empty, so the schedule would back up nothing. Fix: list the platform and workload namespaces to back up');
    });
    test('a schedule that is not 5-field cron', () => {
      expect(() => velero({ schedule: '@daily at 3' })).toThrow(
        'V/Velero: invalid schedule: "@daily at 3" is not a 5-field cron expression. Fix: use minute hour day-of-month month day-of-week, for example "0 3 * * *"');
    });
    test('a snapshot-controller version EKS would not recognise', () => {
      expect(() => velero({ snapshotControllerVersion: 'v8.4.0' })).toThrow(
        'V/Velero: invalid snapshotControllerVersion: "v8.4.0" is not an EKS add-on version. Fix: write it as v<major>.<minor>.<patch>-eksbuild.<n>, as listed by aws eks describe-addon-versions');
    });
    test('a TTL under an hour', () => {
      expect(() => velero({ ttl: Duration.minutes(30) })).toThrow(
        'V/Velero: invalid ttl: 30 minutes is shorter than an hour. Fix: keep backups for at least one hour; 30 days is the default');
    });
    test('a read-only location named default or repeated', () => {
      const bucket = s3.Bucket.fromBucketName(new Stack(), 'B', 'other-backups');
      expect(() => velero({ readOnlyLocations: [{ name: 'default', bucket }] })).toThrow(
        'V/Velero: invalid readOnlyLocations: location name "default" is repeated. Fix: use distinct names other than "default", for example primary-replica');
      expect(() => velero({ readOnlyLocations: [{ name: 'Primary_Replica', bucket }] })).toThrow(
        'V/Velero: invalid readOnlyLocations: "Primary_Replica" is not a Kubernetes name. Fix: use at most 63 lowercase letters');
    });
    test('replication to a bucket without a key', () => {
      const stack = new RegionStack(new App(), 'V', DR_REGION);
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c' });
      const destination = s3.Bucket.fromBucketName(stack, 'Dest', 'replica');
      expect(() => new VeleroBackups(stack, 'Velero', { cluster, namespaces: ['a'], replication: { destination } })).toThrow(
        'V/Velero: invalid replication.destinationKey: is required: the destination bucket exposes no encryption key. Fix: pass the key of the replica bucket (ReplicaBackupBucket.key)');
    });
    test('a replica retention out of range', () => {
      const stack = new RegionStack(new App(), 'R', DR_REGION);
      expect(() => new ReplicaBackupBucket(stack, 'Replica', { retentionDays: 0 })).toThrow(
        'R/Replica: invalid retentionDays: 0 is outside 1–3650. Fix: use an integer from 1 to 3650');
    });
    test('an Object Lock on a replica that DESTROY would have to empty, or of no days', () => {
      const stack = new RegionStack(new App(), 'R', DR_REGION);
      expect(() => new ReplicaBackupBucket(stack, 'Locked', { removalPolicy: RemovalPolicy.DESTROY, objectLockDays: 30 })).toThrow(
        /^R\/Locked: invalid objectLockDays: is set with removalPolicy DESTROY: .* Fix: use RETAIN \(the default\) for a protected replica/);
      expect(() => new ReplicaBackupBucket(stack, 'Zero', { objectLockDays: 0 })).toThrow('R/Zero: invalid objectLockDays: 0 is outside 1–3650');
      // A disposable (DESTROY) replica is simply not locked.
      expect(new ReplicaBackupBucket(stack, 'Disposable', { removalPolicy: RemovalPolicy.DESTROY }).objectLockDays).toBeUndefined();
    });
  });
});
