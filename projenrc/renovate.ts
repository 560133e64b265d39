import * as fs from 'fs';
import * as path from 'path';
import { JsonFile, Project } from 'projen';

/**
 * The lowest Kubernetes version the catalogues support. An EKS add-on pinned for every supported
 * version (eks-core's `addon(name, version, ...)` without a version list) is looked up for this one,
 * so Renovate proposes only builds the oldest supported cluster can run.
 * tools/install-proof/test/renovate.test.ts fails when it is not the lowest `KUBERNETES` entry.
 */
export const LOWEST_KUBERNETES = '1.35';

/** Where the version catalogues live (a package's `src/**\/<name>-versions.ts`), as Renovate reads `managerFilePatterns`. */
export const CATALOGUE_FILES = '/^packages/[^/]+/src/(?:[^/]+/)*[^/]+-versions\\.ts$/';

/**
 * The parts of a catalogue entry, as the catalogues write them (eks-core's `VersionPin`):
 * `name: '...', kind: PinKind.<KIND>, version: '...', repository: ...` in that order. RE2 syntax
 * (no lookaround, no backreference): Renovate runs its regexes with RE2.
 */
const NAME = "name: '(?<depName>[^']+)',\\s*";
const kind = (k: string) => `kind: PinKind\\.${k},\\s*`;
const VERSION = "version: '(?<currentValue>[^']+)',\\s*";
/** A quoted argument that may hold escaped quotes. */
const QUOTED = "'(?:[^'\\\\]|\\\\.)*'";
/** A string argument: one quoted literal, or several joined with `+` across lines. */
const STRING = `${QUOTED}(?:\\s*\\+\\s*${QUOTED})*`;
/** The first module constant holding a chart repository URL, then the rest of the file (a `recursive` first level). */
const URL_CONSTANT = "const [A-Z_]+ = '(?<registryUrl>https://[^']+)';[\\s\\S]*";
/** Registries the `docker` datasource reads: Docker Hub (`org/name`), registry.k8s.io, ECR Public, quay.io. */
const DOCKER_IMAGE = "(?<packageName>(?:[a-z0-9-]+|docker\\.io|registry\\.k8s\\.io|public\\.ecr\\.aws|quay\\.io)/[^']+)";

const EKS_ADDON_PACKAGE = `{"addonName":"{{{depName}}}","kubernetesVersion":"{{#if kubernetesVersion}}{{{kubernetesVersion}}}{{else}}${LOWEST_KUBERNETES}{{/if}}"}`;

/** The custom managers: each reads one shape of catalogue entry. */
function customManagers() {
  const base = { customType: 'regex', managerFilePatterns: [CATALOGUE_FILES] };
  return [
    {
      ...base,
      description: ['Helm chart from an HTTP chart repository written in the entry (helm datasource reads its index.yaml)'],
      matchStrings: [`${NAME}${kind('HELM_CHART')}${VERSION}repository: '(?<registryUrl>https://[^']+)'`],
      datasourceTemplate: 'helm',
    },
    {
      ...base,
      description: ['Helm chart whose repository is a module constant (gitops: ARGO_HELM): the first URL constant of the file, then each entry naming a constant'],
      matchStringsStrategy: 'recursive',
      matchStrings: [URL_CONSTANT, `${NAME}${kind('HELM_CHART')}${VERSION}repository: [A-Z_]+,`],
      datasourceTemplate: 'helm',
    },
    {
      ...base,
      description: ['Helm charts released together from one factory (mesh: istio(name) for base, istiod, cni, ztunnel): one version literal, looked up as the first chart the factory makes'],
      matchStringsStrategy: 'recursive',
      matchStrings: [
        URL_CONSTANT,
        `const \\w+ = \\(name: string\\): VersionPin => \\(\\{\\s*name,\\s*${kind('HELM_CHART')}${VERSION}repository: [A-Z_]+,[\\s\\S]*?: VersionPin = \\w+\\('(?<depName>[^']+)'\\)`,
      ],
      datasourceTemplate: 'helm',
    },
    {
      ...base,
      description: ['Helm chart in an OCI registry (oci://...): the chart is an OCI artifact, read with the docker datasource'],
      matchStrings: [`${NAME}${kind('HELM_CHART')}${VERSION}repository: 'oci://(?<packageName>[^']+)'`],
      datasourceTemplate: 'docker',
      versioningTemplate: 'helm',
    },
    {
      ...base,
      description: ['Container image on Docker Hub, registry.k8s.io, ECR Public or quay.io'],
      matchStrings: [`${NAME}${kind('IMAGE')}${VERSION}repository: '${DOCKER_IMAGE}'`],
      datasourceTemplate: 'docker',
    },
    {
      ...base,
      description: ['Image of a project released on GitHub (ghcr.io/<owner>/<repo>): the release carries the manifests Keelson renders, so the GitHub release is the source'],
      matchStrings: [`${NAME}${kind('IMAGE')}${VERSION}repository: 'ghcr\\.io/(?<packageName>[^/']+/[^/']+)'`],
      datasourceTemplate: 'github-releases',
    },
    {
      ...base,
      description: [`EKS managed add-on written as an entry. The aws-eks-addon datasource calls eks:DescribeAddonVersions: it needs AWS credentials in Renovate's environment. Without them the lookup fails and the manual step applies: aws eks describe-addon-versions --addon-name <name> --kubernetes-version <version> (README: Keeping pins current). Entries for every supported version are looked up for the lowest (${LOWEST_KUBERNETES}).`],
      matchStrings: [`${NAME}${kind('EKS_ADDON')}version: '(?<currentValue>v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+)',[\\s\\S]*?kubernetesVersions: (?:\\['(?<kubernetesVersion>1\\.\\d+)'\\]|[A-Z_]+|\\[[^\\]]*\\])`],
      datasourceTemplate: 'aws-eks-addon',
      packageNameTemplate: EKS_ADDON_PACKAGE,
    },
    {
      ...base,
      description: [`EKS managed add-on written as a helper call (eks-core: addon(name, version, upstreamRelease, releaseDate, kubernetesVersions?)); same datasource and manual step as the entry form`],
      matchStrings: [`\\w+\\('(?<depName>[a-z0-9-]+)',\\s*'(?<currentValue>v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+)',\\s*${STRING},\\s*${STRING}(?:,\\s*\\['(?<kubernetesVersion>1\\.\\d+)'\\])?\\)`],
      datasourceTemplate: 'aws-eks-addon',
      packageNameTemplate: EKS_ADDON_PACKAGE,
    },
    {
      ...base,
      description: ['A supported Kubernetes version (eks-core): endoflife.date lists the versions EKS offers. A new one is a new catalogue entry with its kubectl layer and add-on pins, never an edit of this one: shown on the dependency dashboard for approval'],
      matchStrings: [`name: 'kubernetes',\\s*${kind('KUBERNETES')}${VERSION}`],
      depNameTemplate: 'kubernetes',
      packageNameTemplate: 'amazon-eks',
      datasourceTemplate: 'endoflife-date',
      versioningTemplate: 'loose',
    },
  ];
}

/** One group per package with a catalogue: its chart, image and add-on updates arrive in one pull request. */
function cataloguePackages(root: string): string[] {
  const packagesDir = path.join(root, 'packages');
  const hasCatalogue = (dir: string): boolean => fs.readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? hasCatalogue(path.join(dir, e.name)) : /-versions\.ts$/.test(e.name));
  return fs.readdirSync(packagesDir)
    .filter((p) => fs.existsSync(path.join(packagesDir, p, 'src')) && hasCatalogue(path.join(packagesDir, p, 'src')))
    .sort();
}

/** The whole Renovate configuration (exported for the coverage test's sake through renovate.json5). */
export function renovateConfig(root: string) {
  return {
    $schema: 'https://docs.renovatebot.com/renovate-schema.json',
    description: [
      'Generated from projenrc/renovate.ts.',
      'Custom regex managers read every entry of the packages\' version catalogues (packages/*/src/**/*-versions.ts);',
      'tools/install-proof/test/renovate.test.ts proves each entry is matched exactly once with the right datasource.',
      'EKS add-ons need AWS credentials (eks:DescribeAddonVersions) for the aws-eks-addon datasource; without them the manual step in the README applies.',
      'npm: package.json is generated by projen from projenrc/versions.ts, so Renovate only refreshes the lock file within those ranges and fixes advisories;',
      'moving a pinned tool is an edit of projenrc/versions.ts (npm run versions shows what is newer).',
    ],
    extends: ['config:recommended'],
    // github-actions is left out: the workflows are generated by projen (projenrc/workflows.ts).
    enabledManagers: ['custom.regex', 'npm'],
    labels: ['dependencies'],
    schedule: ['before 6am on monday'],
    // Advisories skip the schedule and the limits; their pull requests are labelled.
    vulnerabilityAlerts: { enabled: true, labels: ['dependencies', 'security'] },
    osvVulnerabilityAlerts: true,
    lockFileMaintenance: { enabled: true },
    prBodyNotes: [
      'A catalogue bump is a lead, not a finished change: read the release notes and the chart\'s upgrade notes, update the entry\'s `upstreamRelease`, `releaseDate` and evidence, and regenerate the package\'s VERSIONS.md (`KEELSON_UPDATE_DOCS=1` with the package tests).',
    ],
    customManagers: customManagers(),
    packageRules: [
      {
        description: ['npm: package.json ranges are projen\'s (projenrc/versions.ts); Renovate changes only the lock file'],
        matchManagers: ['npm'],
        rangeStrategy: 'in-range-only',
      },
      ...cataloguePackages(root).map((pkg) => ({
        description: [`One pull request for the ${pkg} catalogue`],
        matchManagers: ['custom.regex'],
        matchFileNames: [`packages/${pkg}/**`],
        groupName: `${pkg} pins`,
        addLabels: [`pkg:${pkg}`],
      })),
      {
        description: ['The Cluster Autoscaler image and kube-proxy are pinned once per Kubernetes minor version, whose minor they must keep: patch updates only (the autoscaler chart is not bound)'],
        matchManagers: ['custom.regex'],
        matchDatasources: ['docker', 'aws-eks-addon'],
        matchDepNames: ['cluster-autoscaler', 'kube-proxy'],
        matchUpdateTypes: ['major', 'minor'],
        enabled: false,
      },
      {
        description: ['A new Kubernetes version is a new catalogue entry (kubectl layer, add-on builds, autoscaler image), never an edit of a supported one'],
        matchDatasources: ['endoflife-date'],
        matchPackageNames: ['amazon-eks'],
        dependencyDashboardApproval: true,
      },
    ],
  };
}

/** Writes renovate.json5 (JSON5 so the generated-file marker is a comment Renovate accepts). */
export function renovate(project: Project): void {
  new JsonFile(project, 'renovate.json5', { obj: renovateConfig(project.outdir), allowComments: true });
}
