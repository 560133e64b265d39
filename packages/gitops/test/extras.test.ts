import { helmReleasesIn, kubernetesObjectsIn, kubernetesSchemaErrors, NagPack, proofApp, synthesize, testProofGates } from '@keelson/proof';
import { ZONE, platformFixture } from '@keelson/test-support';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { ArgoCd, ArgoCdImageUpdater, ArgoCdMode, ArgoRollouts, GitOpsApplications, GitOpsVersions } from '../src';

// One synth, two clusters. "GitOps": self-managed Argo CD with Argo Rollouts,
// the documented canary template applied, and Image Updater with one
// ImageUpdater. "Managed": the same GitOps objects on the managed EKS Argo CD
// capability, switched by the one `mode` prop.
const app = proofApp({ nagPacks: [NagPack.AWS_SOLUTIONS, NagPack.NIST_800_53_R5] });
const self = platformFixture(app, { id: 'GitOps' });
const argo = new ArgoCd(self.stack, 'ArgoCd', {
  cluster: self.platform.cluster,
  clusterName: 'platform-dev',
  externalSecrets: self.services.externalSecrets!,
  namespaces: self.services.namespaces,
  sso: { organization: 'keelson-platform', adminTeams: ['argocd-admins'] },
  ingress: ZONE,
});
const rollouts = new ArgoRollouts(self.stack, 'Rollouts', { cluster: self.platform.cluster, namespaces: self.services.namespaces });
const canary = ArgoRollouts.canaryRollout({ name: 'web', namespace: 'dev', image: '111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/web:1.4.0', ingress: 'web' });
new eks.KubernetesManifest(self.stack, 'Canary', { cluster: self.platform.cluster, manifest: canary }).node.addDependency(rollouts.chart);
const updater = new ArgoCdImageUpdater(self.stack, 'ImageUpdater', { argoCd: argo, repositoryPrefix: 'apps/' });
updater.addImageUpdater('Web', {
  name: 'web',
  applicationNamePattern: 'dev',
  images: [{ alias: 'web', imageName: '111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/apps/web:1.4.0' }],
  allowTags: 'regexp:^[0-9]+\\.[0-9]+\\.[0-9]+$',
});

const managed = platformFixture(app, { id: 'Managed' });
const capability = new ArgoCd(managed.stack, 'ArgoCd', {
  mode: ArgoCdMode.EKS_CAPABILITY,
  cluster: managed.platform.cluster,
  clusterName: 'platform-dr',
  externalSecrets: managed.services.externalSecrets!,
  capability: {
    identityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
    identityCenterRegion: 'us-east-1',
    adminGroupIds: ['a1b2c3d4-0000-1111-2222-333344445555'],
    viewerGroupIds: ['a1b2c3d4-6666-7777-8888-999900001111'],
  },
});
new GitOpsApplications(managed.stack, 'Apps', { argoCd: capability, repoUrl: 'https://github.com/keelson-platform/gitops', previews: { enabled: false } });

const result = synthesize(app);
const selfJson = result.template('GitOps').toJSON();
const managedJson = result.template('Managed').toJSON();
const objects = kubernetesObjectsIn(selfJson);
const helm = helmReleasesIn(selfJson);
const ofType = (json: any, type: string) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type);
const policyOf = (json: any, roleFragment: string) => ofType(json, 'AWS::IAM::Policy')
  .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleFragment))
  .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

describe('proof gates', () => {
  testProofGates(result);

  test('the Rollout, AnalysisTemplate, Services and ImageUpdater pass their schemas (ImageUpdater: Keelson\'s schema from the upstream CRD)', () => {
    const checked = objects.filter((o) => ['Rollout', 'AnalysisTemplate', 'Service', 'ImageUpdater'].includes(o.kind));
    expect(checked.map((o) => o.kind).sort()).toEqual(['AnalysisTemplate', 'ImageUpdater', 'Rollout', 'Service', 'Service']);
    expect(kubernetesSchemaErrors(checked)).toEqual([]);
    const broken = JSON.parse(JSON.stringify(checked.find((o) => o.kind === 'ImageUpdater')));
    broken.spec.applicationRefs[0].images[0].tag = 'latest'; // not a field of the CRD
    delete broken.spec.applicationRefs[0].namePattern;
    expect(kubernetesSchemaErrors([broken]).join()).toMatch(/ImageUpdater argocd\/web: .*(additional|namePattern)/);
  });
});

describe('Argo Rollouts', () => {
  test('pinned chart in argo-rollouts, two controllers with a PDB on the system pool, ALB verification on, only the ALB provider\'s RBAC', () => {
    const r = helm['argo-rollouts'];
    expect(r.props).toMatchObject({ Chart: 'argo-rollouts', Version: GitOpsVersions.ARGO_ROLLOUTS.version, Namespace: 'argo-rollouts' });
    expect(r.values.controller).toMatchObject({
      replicas: 2,
      pdb: { enabled: true, maxUnavailable: 1 },
      awsVerifyTargetGroup: true,
      nodeSelector: { 'node-pool': 'system' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
    });
    const providers = r.values.providerRBAC.providers;
    expect(Object.entries(providers).filter(([, on]) => on).map(([p]) => p)).toEqual(['awsLoadBalancerController']);
    expect(r.values.serviceAccount).toEqual({ create: false, name: 'argo-rollouts' });
  });

  test('its workload role may only describe Elastic Load Balancing resources', () => {
    const statements = policyOf(selfJson, 'RolloutsRole');
    expect(statements).toHaveLength(1);
    expect(statements[0].Action.every((a: string) => /^elasticloadbalancing:Describe/.test(a))).toBe(true);
  });

  test('canary template: ALB traffic routing on the Ingress, each weight step followed by a Prometheus success-rate analysis', () => {
    const rollout = objects.find((o) => o.kind === 'Rollout')!;
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({ alb: { ingress: 'web', servicePort: 8080, rootService: 'web-stable' } });
    expect(rollout.spec.strategy.canary.steps).toEqual([10, 25, 50].flatMap((setWeight) => [{ setWeight }, { analysis: { templates: [{ templateName: 'web-success-rate' }] } }]));
    const analysis = objects.find((o) => o.kind === 'AnalysisTemplate')!;
    expect(analysis.spec.metrics[0].provider.prometheus.query).toContain('service="web-canary"');
    expect(analysis.spec.metrics[0].successCondition).toContain('>= 0.99');
    expect(() => ArgoRollouts.canaryRollout({ name: 'x', namespace: 'dev', image: 'x', ingress: 'x', steps: [50, 20] })).toThrow(/invalid steps: \[50,20\] must rise strictly/);
  });

  test('Rollouts and analyses join the workload Roles of the namespace registry', () => {
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'read-only' && o.metadata.namespace === 'dev')!;
    expect(role.rules).toContainEqual({ apiGroups: ['argoproj.io'], resources: ['rollouts', 'analysistemplates', 'analysisruns', 'experiments'], verbs: ['get', 'list', 'watch'] });
  });
});

describe('Argo CD Image Updater', () => {
  test('pinned 1.x chart in the argocd namespace after Argo CD, ECR registry with the auth script of the workload role', () => {
    const r = helm['argocd-image-updater'];
    expect(r.props).toMatchObject({ Chart: 'argocd-image-updater', Version: '1.3.1', Namespace: 'argocd' });
    expect(r.values.config.registries).toEqual([expect.objectContaining({ name: 'ECR', credentials: 'ext:/scripts/ecr-login.sh', credsexpire: '10h' })]);
    expect(r.values.authScripts.scripts['ecr-login.sh']).toMatch(/^#!\/bin\/sh\naws ecr --region ap-southeast-1 get-authorization-token .* \| base64 -d\n$/);
    expect(r.values.serviceAccount).toEqual({ create: false, name: 'argocd-image-updater' });
  });

  test('the ECR role is read-only, limited to the account\'s apps/ repositories in this region', () => {
    const statements = policyOf(selfJson, 'ImageUpdaterRole');
    const actions = statements.flatMap((s: any) => [].concat(s.Action));
    expect(actions.sort()).toEqual([
      'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:DescribeRepositories',
      'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer', 'ecr:ListImages',
    ]);
    const read = statements.find((s: any) => s.Sid === 'ReadRepositories');
    expect(JSON.stringify(read.Resource)).toMatch(/:ecr:ap-southeast-1:111111111111:repository\/apps\/\*/);
  });

  test('an ImageUpdater custom resource (not the legacy annotations), writing back through the Argo CD API', () => {
    const iu = objects.find((o) => o.kind === 'ImageUpdater')!;
    expect(iu.apiVersion).toBe('argocd-image-updater.argoproj.io/v1alpha1');
    expect(iu.spec).toEqual({
      commonUpdateSettings: { updateStrategy: 'semver', allowTags: 'regexp:^[0-9]+\\.[0-9]+\\.[0-9]+$' },
      writeBackConfig: { method: 'argocd' },
      applicationRefs: [{ namePattern: 'dev', images: [{ alias: 'web', imageName: '111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/apps/web:1.4.0' }] }],
    });
    expect(() => updater.addImageUpdater('Bad', { name: 'bad', applicationNamePattern: '*', images: [{ alias: 'x', imageName: 'x' }], updateStrategy: 'newest' }))
      .toThrow(/invalid addImageUpdater\(Bad\).updateStrategy: "newest" is not an update strategy/);
  });
});

describe('mode switches between self-managed and the managed EKS capability', () => {
  test('self-managed: the argo-cd Helm release, no capability', () => {
    expect(argo.mode).toBe(ArgoCdMode.SELF_MANAGED);
    expect(helm.argocd).toBeDefined();
    expect(ofType(selfJson, 'AWS::EKS::Capability')).toHaveLength(0);
  });

  test('EKS_CAPABILITY: an AWS::EKS::Capability of type ARGOCD with Identity Center sign-in and ADMIN/VIEWER groups; no chart, no Dex, no certificate', () => {
    const caps = ofType(managedJson, 'AWS::EKS::Capability');
    expect(caps).toHaveLength(1);
    const p = caps[0][1].Properties;
    expect(p).toMatchObject({ CapabilityName: 'argocd', ClusterName: 'platform-dr', Type: 'ARGOCD', DeletePropagationPolicy: 'RETAIN' });
    expect(p.Configuration.ArgoCd).toEqual({
      Namespace: 'argocd',
      AwsIdc: { IdcInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', IdcRegion: 'us-east-1' },
      RbacRoleMappings: [
        { Role: 'ADMIN', Identities: [{ Id: 'a1b2c3d4-0000-1111-2222-333344445555', Type: 'SSO_GROUP' }] },
        { Role: 'VIEWER', Identities: [{ Id: 'a1b2c3d4-6666-7777-8888-999900001111', Type: 'SSO_GROUP' }] },
      ],
    });
    const [, role] = ofType(managedJson, 'AWS::IAM::Role').find(([id]) => p.RoleArn['Fn::GetAtt'][0] === id)!;
    // Issue 29 finding 11: aws:SourceAccount keeps another account's capability from assuming the role.
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Principal: { Service: 'capabilities.eks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': expect.anything() } },
    }]);
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition)).toMatch(/AWS::AccountId|\d{12}/);
    expect(helmReleasesIn(managedJson).argocd).toBeUndefined();
    expect(ofType(managedJson, 'AWS::CertificateManager::Certificate')).toHaveLength(0);
    expect(kubernetesObjectsIn(managedJson).filter((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === 'argocd')).toEqual([]);
    expect(capability.chart).toBeUndefined();
  });

  test('the GitOps objects are applied after the capability', () => {
    const capId = ofType(managedJson, 'AWS::EKS::Capability')[0][0];
    const projects = ofType(managedJson, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, r]) => JSON.stringify(r.Properties.Manifest).includes('AppProject'))!;
    expect(projects[1].DependsOn).toContain(capId);
  });
});
