import { KeelsonLabels, KeelsonTags, PropsCheck } from '@keelson/conventions';
import { NagNames, PlatformChart, WorkloadIdentity, WorkloadRole } from '@keelson/eks-core';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ArgoCd } from './argo-cd';
import { GitOpsVersions } from './gitops-versions';

/** Properties of {@link ArgoCdImageUpdater}. */
export interface ArgoCdImageUpdaterProps {
  /** The Argo CD whose Applications it updates (it runs in the same namespace). */
  readonly argoCd: ArgoCd;

  /**
   * How the updater gets its IAM role (read-only ECR access).
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * ECR repositories (in this account and region) it may read, as a name prefix.
   *
   * @default - every repository of the account in the region
   */
  readonly repositoryPrefix?: string;

  /**
   * Helm chart version.
   *
   * @default GitOpsVersions.ARGOCD_IMAGE_UPDATER
   */
  readonly chartVersion?: string;

  /**
   * Helm values merged over Keelson's (see `PlatformChart.valueOverrides`).
   *
   * @default {}
   */
  readonly valueOverrides?: { [key: string]: any };
}

/** One image an `ImageUpdater` follows. */
export interface UpdatedImage {
  /** Alias of the image in the Application (letters, digits, `-`, `.`, `_`). */
  readonly alias: string;
  /** Image name with its current tag, for example `<account>.dkr.ecr.<region>.amazonaws.com/web:1.4.0`. */
  readonly imageName: string;
}

/** Options of {@link ArgoCdImageUpdater.addImageUpdater}. */
export interface ImageUpdaterOptions {
  /** Name of the `ImageUpdater` object. */
  readonly name: string;
  /** Applications it updates, by name pattern (`*` and `?` globs). */
  readonly applicationNamePattern: string;
  /** The images it follows. */
  readonly images: UpdatedImage[];
  /**
   * How a newer tag is chosen: `semver`, `newest-build`, `alphabetical` or `digest`.
   *
   * @default 'semver'
   */
  readonly updateStrategy?: string;
  /**
   * Only tags matching this (`regexp:<expression>`) are considered.
   *
   * @default - every tag
   */
  readonly allowTags?: string;
}

const SERVICE_ACCOUNT = 'argocd-image-updater';
const STRATEGIES = ['semver', 'newest-build', 'alphabetical', 'digest'];

/**
 * Argo CD Image Updater 1.x (Helm, pinned) in Argo CD's namespace on the
 * system pool, driven by `ImageUpdater` custom resources
 * (`addImageUpdater`), not the legacy Application annotations. It reads the
 * account's ECR registry in this region through a read-only workload role:
 * an auth script in the chart turns the role's ECR authorization token into
 * registry credentials. Updates are written back through the Argo CD API
 * (Application parameter overrides), so it needs no Git credentials.
 */
export class ArgoCdImageUpdater extends Construct {
  /** The updater's workload role (ECR read-only). */
  public readonly role: WorkloadRole;
  /** The chart with its service account and placement. */
  public readonly platformChart: PlatformChart;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The ECR registry host it reads. */
  public readonly registry: string;
  private readonly argoCd: ArgoCd;

  constructor(scope: Construct, id: string, props: ArgoCdImageUpdaterProps) {
    super(scope, id);
    KeelsonTags.component(this, 'argocd-image-updater');
    this.argoCd = props.argoCd;
    const stack = Stack.of(this);
    const prefix = props.repositoryPrefix ?? '';
    if (!/^([a-z0-9]+(?:[._-][a-z0-9]+)*\/?)*$/.test(prefix)) {
      PropsCheck.fail(this, 'repositoryPrefix', `"${prefix}" is not an ECR repository name prefix`, 'use lowercase letters, digits, . _ - and /, for example team-a/');
    }
    this.registry = `${stack.account}.dkr.ecr.${stack.region}.${stack.urlSuffix}`;
    const token = new iam.PolicyStatement({ sid: 'EcrAuthorizationToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
    const read = new iam.PolicyStatement({
      sid: 'ReadRepositories',
      actions: ['ecr:DescribeImages', 'ecr:ListImages', 'ecr:DescribeRepositories', 'ecr:BatchGetImage', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer'],
      resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: `${prefix}*` })],
    });
    this.role = new WorkloadRole(this, 'Role', {
      cluster: props.argoCd.cluster,
      namespace: props.argoCd.namespace,
      serviceAccount: SERVICE_ACCOUNT,
      identity: props.identity ?? WorkloadIdentity.POD_IDENTITY,
      description: `Argo CD Image Updater (${props.argoCd.namespace}/${SERVICE_ACCOUNT}): reads ECR repositories ${prefix}*`,
      statements: [token, read],
    });
    NagNames.acknowledgeWildcardResources(this.role.role, [
      { statement: token, reason: 'ecr:GetAuthorizationToken supports no resource-level permissions; the token only lets the updater read what ReadRepositories allows' },
      { statement: read, reason: `the updater lists tags of the repositories Applications name, which are chosen by teams after deployment; reads only, limited to this account and region${prefix ? ` and the ${prefix} prefix` : ''}` },
    ]);

    const region = stack.region;
    this.platformChart = new PlatformChart(this, 'Default', {
      cluster: props.argoCd.cluster,
      pin: GitOpsVersions.ARGOCD_IMAGE_UPDATER,
      version: props.chartVersion,
      versionField: 'chartVersion',
      component: 'argocd-image-updater',
      namespace: props.argoCd.namespace,
      // Argo CD's namespace, created by the ArgoCd construct.
      createNamespace: false,
      serviceAccount: { role: this.role },
      values: {
        crds: { install: true, keep: true },
        serviceAccount: { create: false, name: SERVICE_ACCOUNT },
        config: {
          registries: [{
            name: 'ECR',
            prefix: this.registry,
            api_url: `https://${this.registry}`,
            ping: true,
            default: true,
            // The auth script prints AWS:<token>; ECR tokens last 12 hours.
            credentials: 'ext:/scripts/ecr-login.sh',
            credsexpire: '10h',
          }],
        },
        authScripts: {
          enabled: true,
          scripts: {
            // The image ships the AWS CLI; the workload role's credentials reach it through IRSA or Pod Identity.
            'ecr-login.sh': `#!/bin/sh\naws ecr --region ${region} get-authorization-token --output text --query 'authorizationData[].authorizationToken' | base64 -d\n`,
          },
        },
      },
      valueOverrides: props.valueOverrides,
      dependsOn: [props.argoCd.ready],
    });
    this.chart = this.platformChart.chart;
  }

  /**
   * Follow images for the Applications matching a name pattern: an
   * `ImageUpdater` object (argocd-image-updater.argoproj.io/v1alpha1) in Argo CD's namespace.
   */
  public addImageUpdater(id: string, options: ImageUpdaterOptions): eks.KubernetesManifest {
    const field = `addImageUpdater(${id})`;
    const strategy = options.updateStrategy ?? 'semver';
    if (!STRATEGIES.includes(strategy)) {
      PropsCheck.fail(this, `${field}.updateStrategy`, `"${strategy}" is not an update strategy`, `use one of ${STRATEGIES.join(', ')}`);
    }
    if (options.images.length === 0) PropsCheck.fail(this, `${field}.images`, 'no image is listed', 'list at least one { alias, imageName }');
    options.images.forEach((image, i) => {
      if (!/^[a-zA-Z0-9][a-zA-Z0-9-._]*$/.test(image.alias)) {
        PropsCheck.fail(this, `${field}.images[${i}].alias`, `"${image.alias}" is not an image alias`, 'use letters, digits, -, . and _, starting with a letter or digit');
      }
    });
    const manifest = new eks.KubernetesManifest(this, `ImageUpdater-${id}`, {
      cluster: this.argoCd.cluster,
      overwrite: true,
      manifest: [{
        apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1',
        kind: 'ImageUpdater',
        metadata: { name: options.name, namespace: this.argoCd.namespace, labels: KeelsonLabels.managed() },
        spec: {
          commonUpdateSettings: { updateStrategy: strategy, ...(options.allowTags ? { allowTags: options.allowTags } : {}) },
          writeBackConfig: { method: 'argocd' },
          applicationRefs: [{
            namePattern: options.applicationNamePattern,
            images: options.images.map((i) => ({ alias: i.alias, imageName: i.imageName })),
          }],
        },
      }],
    });
    // The CRD comes with the chart.
    manifest.node.addDependency(this.chart);
    return manifest;
  }
}
