import { EksCoreVersions } from '@keelson/eks-core';
import { DEPLOY_TIME_PLACEHOLDER, helmReleasesIn, NagPack, proofApp, synthesize, SynthResult, testProofGates } from '@keelson/proof';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildDrApp, DR_CIDR, DR_REGION, DrApp, PRIMARY_CIDR, PRIMARY_REGION, RegionStack, testSpec } from './fixture';
import { DisasterRecoveryPlatform, DrVersions, PrimaryPlatform } from '../src';

// One synth: a two-region app with both clusters, shared by every test below.
const built: DrApp = buildDrApp(proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] }));
const result: SynthResult = synthesize(built.app);
const dr = result.template('DrPlatform');
const primary = result.template('PrimaryPlatform');
const drRoutes = result.template('DrPeeringRoutes');
const json = (t: Template): Record<string, any> => t.toJSON().Resources;
const ofType = (t: Template, type: string) => Object.entries(json(t)).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, ...r }));

/** The stack's one Helm release (Velero): its values, deploy-time values as `DEPLOY_TIME_PLACEHOLDER`, and as written. */
function velero(t: Template) {
  const releases = Object.values(helmReleasesIn(t.toJSON()));
  expect(releases).toHaveLength(1);
  return releases[0];
}
const chartValues = (t: Template): any => velero(t).values;

describe('gates', () => {
  testProofGates(result);
  test('this package acknowledges only the wildcard resources (and inline policies) it needs, once each', () => {
    const acks = (path: string) => result.acknowledgements.filter((a) => a.constructPath === path).map((a) => a.id).sort();
    expect(acks('PrimaryPlatform/Velero/Role')).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<VeleroBucket94A8831A.Arn>/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:ap-southeast-1:111111111111:volume/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:ap-southeast-1::snapshot/*]',
    ].sort());
    expect(acks('PrimaryPlatform/Velero/ReplicationRole')).toHaveLength(3);
    expect(acks('PrimaryPlatform/Velero/ReplicationRole')).toContain('NIST.800.53.R5-IAMNoInlinePolicy');
    expect(acks('PrimaryPlatform/Velero/ReplicationRole').join()).toMatch(/ExportsReader.*\/\*/);
    expect(acks('DrPlatform/Velero/Role')).toHaveLength(5);
    expect(acks('DrPlatform/PeeringAccepter/Role')).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:us-west-2:111111111111:vpc-peering-connection/*]',
      'NIST.800.53.R5-IAMNoInlinePolicy',
    ]);
  });

  test('templates stay within CloudFormation limits with headroom', () => {
    for (const t of [dr, primary, drRoutes]) {
      expect(Object.keys(json(t)).length).toBeLessThan(400);
      expect(JSON.stringify(t.toJSON()).length).toBeLessThan(800_000);
    }
  });
});

describe('the DR platform', () => {
  test('lives in the DR region with its own CIDR', () => {
    expect(built.drStack.region).toBe(DR_REGION);
    expect(built.dr.region).toBe(DR_REGION);
    dr.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: DR_CIDR });
    const azs = ofType(dr, 'AWS::EC2::Subnet').map((s) => s.Properties.AvailabilityZone);
    expect(new Set(azs)).toEqual(new Set(['us-west-2a', 'us-west-2b', 'us-west-2c']));
    primary.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: PRIMARY_CIDR });
  });

  test('DR resources are tagged DisasterRecovery=true and Region=<DR region>; primary ones are not', () => {
    dr.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'DisasterRecovery', Value: 'true' }, { Key: 'Region', Value: DR_REGION }]) });
    dr.hasResourceProperties('AWS::EKS::Nodegroup', { Tags: Match.objectLike({ DisasterRecovery: 'true', Region: DR_REGION }) });
    dr.hasResourceProperties('AWS::KMS::Key', { Tags: Match.arrayWith([{ Key: 'DisasterRecovery', Value: 'true' }]) });
    const primaryVpc = ofType(primary, 'AWS::EC2::VPC')[0];
    expect(primaryVpc.Properties.Tags.map((t: any) => t.Key)).not.toContain('DisasterRecovery');
  });

  test('a fully managed, hardened cluster: public+private endpoint with allow-list, KMS secrets, every log type', () => {
    const [cluster] = ofType(dr, 'AWS::EKS::Cluster');
    expect(cluster.Properties.Name).toBe('platform-dr-prod');
    expect(cluster.Properties.ResourcesVpcConfig.EndpointPrivateAccess).toBe(true);
    expect(cluster.Properties.ResourcesVpcConfig.EndpointPublicAccess).toBe(true);
    expect(cluster.Properties.ResourcesVpcConfig.PublicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(cluster.Properties.EncryptionConfig[0].Resources).toEqual(['secrets']);
    const types = cluster.Properties.Logging.ClusterLogging.EnabledTypes.map((t: any) => t.Type).sort();
    expect(types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    dr.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/platform-dr-prod/cluster' });
    expect(ofType(dr, 'AWS::EKS::Cluster')).toHaveLength(1);
  });

  test('follows the shared spec: same version, instance types, add-ons; scaled-down counts, same maximums', () => {
    const [drCluster] = ofType(dr, 'AWS::EKS::Cluster');
    const [pCluster] = ofType(primary, 'AWS::EKS::Cluster');
    expect(drCluster.Properties.Version).toBe(pCluster.Properties.Version);
    expect(pCluster.Properties.Name).toBe('platform-prod');
    const groups = (t: Template) => Object.fromEntries(ofType(t, 'AWS::EKS::Nodegroup').map((g) => [g.Properties.NodegroupName, g.Properties]));
    const d = groups(dr);
    const p = groups(primary);
    expect(Object.keys(d).sort()).toEqual(Object.keys(p).sort());
    expect(Object.keys(d).sort()).toEqual(['app-on-demand', 'app-spot', 'system']);
    for (const name of Object.keys(d)) {
      expect(d[name].InstanceTypes).toEqual(p[name].InstanceTypes);
      expect(d[name].ScalingConfig.MaxSize).toBe(p[name].ScalingConfig.MaxSize);
      expect(d[name].ScalingConfig.DesiredSize).toBeLessThanOrEqual(p[name].ScalingConfig.DesiredSize);
    }
    expect(d['app-on-demand'].InstanceTypes).toEqual(['m7i.2xlarge']);
    expect(p.system.ScalingConfig).toEqual({ MinSize: 2, DesiredSize: 3, MaxSize: 6 });
    expect(d.system.ScalingConfig).toEqual({ MinSize: 2, DesiredSize: 2, MaxSize: 6 });
    const addons = (t: Template) => ofType(t, 'AWS::EKS::Addon').map((a) => `${a.Properties.AddonName}@${a.Properties.AddonVersion}`).sort();
    expect(addons(dr)).toEqual(addons(primary));
  });

  test('security groups admit the other region only from its CIDR', () => {
    const peerRules = (t: Template, cidr: string) => ofType(t, 'AWS::EC2::SecurityGroup')
      .flatMap((g) => g.Properties.SecurityGroupIngress ?? []).filter((r: any) => r.CidrIp === cidr);
    expect(peerRules(dr, PRIMARY_CIDR).length).toBeGreaterThan(0);
    expect(peerRules(primary, DR_CIDR).length).toBeGreaterThan(0);
    expect(peerRules(dr, '10.2.0.0/16')).toHaveLength(0);
    expect(peerRules(dr, '0.0.0.0/0').every((r: any) => [80, 443].includes(r.FromPort))).toBe(true);
  });

  test('the nodes carry the peering group (and the nodes group, with the EKS cluster group); the cluster the control-plane group', () => {
    for (const [t, peer] of [[dr, PRIMARY_CIDR], [primary, DR_CIDR]] as const) {
      const resources = Object.entries<any>(t.toJSON().Resources);
      const peering = resources.filter(([id, r]) => r.Type === 'AWS::EC2::SecurityGroup' && /Peering/.test(id)).map(([id]) => id);
      expect(peering).toHaveLength(1);
      const peerIngress = resources.find(([id]) => id === peering[0])![1].Properties.SecurityGroupIngress;
      expect(peerIngress.every((r: any) => r.CidrIp === peer && r.FromPort !== 10250)).toBe(true);
      const templates = resources.filter(([, r]) => r.Type === 'AWS::EC2::LaunchTemplate');
      expect(templates.length).toBeGreaterThan(0);
      for (const [, lt] of templates) {
        const ids = lt.Properties.LaunchTemplateData.SecurityGroupIds.map((g: any) => g['Fn::GetAtt'].join('.'));
        expect(ids).toHaveLength(3);
        expect(ids[0]).toMatch(/\.ClusterSecurityGroupId$/);
        expect(ids[1]).toMatch(/SecurityGroupsNodes.*\.GroupId$/);
        expect(ids[2]).toBe(`${peering[0]}.GroupId`);
      }
      const [, cluster] = resources.find(([, r]) => r.Type === 'AWS::EKS::Cluster')!;
      expect(cluster.Properties.ResourcesVpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0]).toMatch(/SecurityGroupsControlPlane/);
    }
  });
});

describe('network settings both regions share', () => {
  test('internalLoadBalancer and peeringPorts in the spec reach both regions\' networks: an NLB group, and the peer admitted on those ports only', () => {
    const spec = testSpec({ internalLoadBalancer: true, peeringPorts: [443, 15008, 9898] });
    const app = new App();
    const drStack = new RegionStack(app, 'Dr', DR_REGION);
    const d = new DisasterRecoveryPlatform(drStack, 'Dr', { spec, primaryVpcCidr: PRIMARY_CIDR, drVpcCidr: DR_CIDR, availabilityZones: drStack.availabilityZones });
    const primaryStack = new RegionStack(app, 'Primary', PRIMARY_REGION);
    const p = new PrimaryPlatform(primaryStack, 'Primary', { spec, vpcCidr: PRIMARY_CIDR, availabilityZones: primaryStack.availabilityZones, peerCidrs: [DR_CIDR] });
    for (const [platform, stack, peer] of [[p, primaryStack, DR_CIDR], [d, drStack, PRIMARY_CIDR]] as const) {
      expect(platform.network.securityGroups.nlb).toBeDefined();
      const t = Template.fromStack(stack).toJSON().Resources;
      const nlbId = stack.getLogicalId(platform.network.securityGroups.nlb!.node.defaultChild as any);
      expect(t[nlbId].Properties.GroupDescription).toMatch(/^Internal NLB/);
      const peeringId = stack.getLogicalId(platform.network.securityGroups.peering!.node.defaultChild as any);
      expect(t[peeringId].Properties.SecurityGroupIngress.map((r: any) => `${r.CidrIp}:${r.FromPort}`)).toEqual([`${peer}:443`, `${peer}:15008`, `${peer}:9898`]);
    }
    expect(built.primary.network.securityGroups.nlb).toBeUndefined();
  });
});

describe('cross-region peering', () => {
  test('the primary requests peering to the DR VPC in the DR region, id read across regions', () => {
    const [conn] = ofType(primary, 'AWS::EC2::VPCPeeringConnection');
    expect(conn.Properties.PeerRegion).toBe(DR_REGION);
    expect(conn.Properties.PeerRoleArn).toBeUndefined();
    expect(conn.Properties.PeerOwnerId).toBeUndefined();
    // The DR VPC id is not typed in: a cross-region reader resolves it.
    expect(JSON.stringify(conn.Properties.PeerVpcId)).toMatch(/ExportsReader/);
    expect(ofType(primary, 'Custom::CrossRegionExportReader')).toHaveLength(1);
    expect(ofType(dr, 'Custom::CrossRegionExportWriter')).toHaveLength(1);
  });

  test('routes to the DR CIDR from every primary private route table', () => {
    const routes = ofType(primary, 'AWS::EC2::Route').filter((r) => r.Properties.DestinationCidrBlock === DR_CIDR);
    expect(routes).toHaveLength(3);
    for (const r of routes) expect(r.Properties.VpcPeeringConnectionId).toEqual({ Ref: expect.stringMatching(/DrPeeringRequesterConnection/) });
  });

  test('return routes in the DR region: every DR private route table → primary CIDR via the peering id from the primary region', () => {
    const routes = ofType(drRoutes, 'AWS::EC2::Route');
    expect(routes).toHaveLength(3);
    for (const r of routes) {
      expect(r.Properties.DestinationCidrBlock).toBe(PRIMARY_CIDR);
      expect(JSON.stringify(r.Properties.VpcPeeringConnectionId)).toMatch(/ExportsReader/);
      expect(JSON.stringify(r.Properties.RouteTableId)).toMatch(/Fn::ImportValue/);
    }
    expect(ofType(drRoutes, 'Custom::CrossRegionExportReader')).toHaveLength(1);
    expect(ofType(primary, 'Custom::CrossRegionExportWriter')).toHaveLength(1);
    const writer = ofType(primary, 'Custom::CrossRegionExportWriter')[0];
    expect(writer.Properties.WriterProps.region).toBe(DR_REGION);
  });

  test('stack order: DR platform → primary → DR routes', () => {
    expect(built.primaryStack.dependencies.map((s) => s.stackName)).toContain('DrPlatform');
    expect(built.drRoutesStack.dependencies.map((s) => s.stackName)).toEqual(expect.arrayContaining(['PrimaryPlatform', 'DrPlatform']));
    expect(built.drStack.dependencies).toHaveLength(0);
  });
});

describe('Velero backups', () => {
  test('each cluster has a KMS-encrypted, versioned, TLS-only, private, access-logged backup bucket with lifecycle', () => {
    for (const t of [dr, primary]) {
      const buckets = ofType(t, 'AWS::S3::Bucket').filter((b) => /^(Velero|BackupReplica)Bucket/.test(b.id) && !b.id.includes('AccessLogs'));
      expect(buckets.length).toBe(t === dr ? 2 : 1);
      for (const b of buckets) {
        expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
          BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
        });
        expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
        });
        expect(b.Properties.LoggingConfiguration.DestinationBucketName).toBeDefined();
        expect(b.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
          NoncurrentVersionExpiration: { NoncurrentDays: b.id.startsWith('BackupReplica') ? 30 : 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        });
      }
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  test('the workload role reaches only the backup buckets, and EBS snapshots scoped by type and tag', () => {
    const policies = ofType(primary, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('VeleroRole'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.BackupObjects.Action.sort()).toEqual(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
    expect(JSON.stringify(bySid.BackupObjects.Resource)).toMatch(/VeleroBucket.*\/\*/);
    expect(bySid.BackupBucket.Action).toBe('s3:ListBucket');
    expect(bySid.DescribeVolumesAndSnapshots.Resource).toBe('*');
    expect(bySid.DescribeVolumesAndSnapshots.Action.sort()).toEqual(['ec2:DescribeSnapshots', 'ec2:DescribeVolumes']);
    expect(bySid.DeleteVeleroSnapshots.Condition).toEqual({ StringLike: { 'aws:ResourceTag/velero.io/backup': '*' } });
    expect(bySid.TagOnCreate.Condition.StringEquals['ec2:CreateAction']).toEqual(['CreateSnapshot', 'CreateVolume']);
    // Only statements on '*' are the Describe calls.
    const stars = statements.filter((s: any) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
    expect(stars.map((s: any) => s.Sid)).toEqual(['DescribeVolumesAndSnapshots']);
    primary.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'velero', ServiceAccount: 'velero-server' });
  });

  test('the DR role may only read the replica (GetObject/ListBucket/Decrypt)', () => {
    const statements = ofType(dr, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('VeleroRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.ReadOnlyObjects0.Action).toBe('s3:GetObject');
    expect(JSON.stringify(bySid.ReadOnlyObjects0.Resource)).toMatch(/BackupReplicaBucket/);
    expect(bySid.ReadOnlyBucket0.Action).toBe('s3:ListBucket');
    expect(bySid.ReadOnlyKey0.Action).toBe('kms:Decrypt');
  });

  test('pinned vmware-tanzu chart with the AWS plugin, Pod Identity, CSI snapshots, in its own privileged namespace (eks-core PlatformChart)', () => {
    for (const t of [dr, primary]) {
      t.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
        Chart: 'velero', Repository: 'https://vmware-tanzu.github.io/helm-charts', Version: '12.2.1', Namespace: 'velero', CreateNamespace: Match.absent(),
      });
      const namespace = Object.values(t.toJSON().Resources as Record<string, any>)
        .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
        .map((r) => JSON.stringify(r.Properties.Manifest))
        .find((m) => m.includes('\\"kind\\":\\"Namespace\\"') && m.includes('\\"name\\":\\"velero\\"'));
      expect(namespace).toContain('\\"pod-security.kubernetes.io/enforce\\":\\"privileged\\"');
      const values = chartValues(t);
      expect(values.kubectl.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
      expect(values.initContainers[0].image).toBe('velero/velero-plugin-for-aws:v1.14.4');
      expect(values.initContainers[0].volumeMounts).toEqual([{ mountPath: '/target', name: 'plugins' }]);
      expect(values.credentials).toEqual({ useSecret: false });
      expect(values.serviceAccount.server).toEqual({ create: true, name: 'velero-server' });
      expect(values.configuration.features).toBe('EnableCSI');
      expect(values.snapshotsEnabled).toBe(true);
      // EBS snapshots are regional: their data moves into the (replicated) bucket through the node agent.
      expect(values.configuration.defaultSnapshotMoveData).toBe(true);
      expect(values.deployNodeAgent).toBe(true);
      expect(values.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
      t.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'snapshot-controller', AddonVersion: 'v8.5.0-eksbuild.3' });
    }
    expect(DrVersions.VELERO.version).toBe('12.2.1');
    expect(EksCoreVersions.SNAPSHOT_CONTROLLER.version).toBe('v8.5.0-eksbuild.3');
  });

  test('the VolumeSnapshotClass for ebs.csi.aws.com (no schema in kubernetes-models: checked by hand)', () => {
    const [vsc] = chartValues(dr).extraObjects;
    expect(Object.keys(vsc).sort()).toEqual(['apiVersion', 'deletionPolicy', 'driver', 'kind', 'metadata']);
    expect(vsc.apiVersion).toBe('snapshot.storage.k8s.io/v1');
    expect(vsc.kind).toBe('VolumeSnapshotClass');
    expect(vsc.driver).toBe('ebs.csi.aws.com');
    expect(['Delete', 'Retain']).toContain(vsc.deletionPolicy);
    expect(vsc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(vsc.metadata.labels).toEqual({ 'velero.io/csi-volumesnapshot-class': 'true' });
  });

  test('a daily schedule of every platform and workload namespace with a 30-day TTL', () => {
    const daily = chartValues(primary).schedules.daily;
    expect(daily.schedule).toBe('0 3 * * *');
    expect(daily.disabled).toBe(false);
    expect(daily.template).toMatchObject({
      ttl: '720h0m0s', storageLocation: 'default', includedNamespaces: ['kube-system', 'platform', 'team-a'], snapshotVolumes: true, snapshotMoveData: true,
    });
    expect(chartValues(dr).schedules.daily.template.includedNamespaces).toEqual(['kube-system', 'platform', 'team-a']);
  });

  test('the DR cluster: own bucket read-write default, the primary replica read-only', () => {
    const locations = chartValues(dr).configuration.backupStorageLocation;
    expect(locations).toHaveLength(2);
    expect(locations[0]).toMatchObject({ name: 'default', provider: 'aws', default: true, accessMode: 'ReadWrite', prefix: 'velero', config: { region: DR_REGION } });
    expect(locations[1]).toMatchObject({ name: 'primary-replica', provider: 'aws', default: false, accessMode: 'ReadOnly', prefix: 'velero', config: { region: DR_REGION } });
    expect(locations[1].bucket).toBe(DEPLOY_TIME_PLACEHOLDER);
    expect(JSON.stringify(velero(dr).raw)).toMatch(/"primary-replica[^{]*"bucket[^{]*{"Ref":"BackupReplicaBucket[0-9A-F]{8}"}/);
    const primaryLocations = chartValues(primary).configuration.backupStorageLocation;
    expect(primaryLocations).toHaveLength(1);
    expect(primaryLocations[0].config.region).toBe('ap-southeast-1');
  });
});

describe('cross-region replication', () => {
  test('the primary bucket replicates velero/ to the DR replica with KMS re-encryption and RTC (15 min)', () => {
    const [source] = ofType(primary, 'AWS::S3::Bucket').filter((b) => b.Properties.ReplicationConfiguration);
    const config = source.Properties.ReplicationConfiguration;
    expect(source.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(config.Rules).toHaveLength(1);
    const rule = config.Rules[0];
    expect(rule).toMatchObject({
      Status: 'Enabled',
      Filter: { Prefix: 'velero/' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: { ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } },
    });
    // Destination bucket ARN and replica key ARN come from the DR region by cross-region reference.
    expect(JSON.stringify(rule.Destination.Bucket)).toMatch(/ExportsReader/);
    expect(JSON.stringify(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)).toMatch(/ExportsReader/);
    expect(JSON.stringify(config.Role)).toMatch(/VeleroReplicationRole/);
  });

  test('the replica bucket in the DR region is versioned, KMS-encrypted and expires copies itself', () => {
    const replicas = ofType(dr, 'AWS::S3::Bucket').filter((b) => b.id.startsWith('BackupReplicaBucket') && !b.id.includes('AccessLogs'));
    expect(replicas).toHaveLength(1);
    expect(replicas[0].Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(replicas[0].Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(37);
  });

  test('the replica resists a compromised primary: every version locked 30 days (governance), overwritten versions kept 30 days, retained', () => {
    const [replica] = ofType(dr, 'AWS::S3::Bucket').filter((b) => b.id.startsWith('BackupReplicaBucket') && !b.id.includes('AccessLogs'));
    expect(replica.Properties.ObjectLockEnabled).toBe(true);
    expect(replica.Properties.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } });
    expect(replica.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 30 });
    expect([replica.DeletionPolicy, replica.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(ofType(dr, 'Custom::S3AutoDeleteObjects')).toEqual([]);
    // The primary's own backups are not locked: Velero must expire them.
    for (const b of ofType(primary, 'AWS::S3::Bucket')) expect(b.Properties.ObjectLockEnabled).toBeUndefined();
  });

  test('the replication role: read source versions, write replicas, KMS bound to S3 in each region', () => {
    const [policy] = ofType(primary, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('VeleroReplicationRole'));
    const bySid = Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((s: any) => [s.Sid, s]));
    expect(bySid.WriteReplicas.Action.sort()).toEqual(['s3:ReplicateDelete', 's3:ReplicateObject', 's3:ReplicateTags']);
    expect(bySid.EncryptReplicas.Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['s3.us-west-2.', { Ref: 'AWS::URLSuffix' }]] });
    expect(bySid.DecryptSource.Condition.StringEquals['kms:ViaService']).toEqual({ 'Fn::Join': ['', ['s3.ap-southeast-1.', { Ref: 'AWS::URLSuffix' }]] });
    primary.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] } });
  });
});

describe('security baseline', () => {
  test('neither region\'s platform creates one: the account-regional baseline (one GuardDuty detector per account and region) is @keelson/security\'s, in its own stack', () => {
    for (const t of [dr, primary]) {
      for (const type of ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::CloudTrail::Trail']) t.resourceCountIs(type, 0);
    }
  });
});

describe('cross-account peering support', () => {
  test('the accepter role trusts only the requester account and accepts only into the DR VPC', () => {
    dr.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'vpc-peering-accepter-prod',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } } })] },
    });
    const [policy] = ofType(dr, 'AWS::IAM::Policy').filter((p) => JSON.stringify(p.Properties.Roles).includes('PeeringAccepter'));
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('ec2:AcceptVpcPeeringConnection');
    expect(JSON.stringify(statement.Condition.StringEquals['ec2:AccepterVpc'])).toMatch(/DrPlatformNetworkVpc/);
    // Issue 29 finding 11: without ec2:RequesterVpc the role accepted a request from any VPC.
    expect(statement.Condition.ArnLike).toEqual({
      'ec2:RequesterVpc': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:*:222222222222:vpc/*']] },
    });
  });
});
