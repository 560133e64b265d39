import { PropsCheck } from '@keelson/conventions';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What a version pin pins. */
export enum PinKind {
  /** A Helm chart (`repository` is the chart repository or OCI reference). */
  HELM_CHART = 'HELM_CHART',
  /** A container image (`repository` is the image repository). */
  IMAGE = 'IMAGE',
  /** An EKS managed add-on (`v<semver>-eksbuild.<n>`). */
  EKS_ADDON = 'EKS_ADDON',
  /** A Kubernetes version with its kubectl Lambda layer package (`repository` is the npm package). */
  KUBERNETES = 'KUBERNETES',
}

/**
 * One entry of a package's version catalogue: a chart, image, add-on or
 * Kubernetes version Keelson pins, with the upstream release it was read from.
 */
export interface VersionPin {
  /** What is pinned: the chart, image, add-on or layer name. */
  readonly name: string;
  /** What kind of thing it is. */
  readonly kind: PinKind;
  /** The exact version. */
  readonly version: string;
  /**
   * Where it is fetched from: chart repository, image repository, npm package.
   *
   * @default - none (EKS managed add-ons)
   */
  readonly repository?: string;
  /** The upstream release the version corresponds to, with where it was read (repository tag, release page, docs page). */
  readonly upstreamRelease: string;
  /** Release date of that upstream release, `YYYY-MM-DD`. */
  readonly releaseDate: string;
  /** The Kubernetes minor versions (`1.<minor>`) the pin was checked for. */
  readonly kubernetesVersions: string[];
  /**
   * Anything a reader of the table should know (a compatibility rule, a value Keelson sets because of it).
   *
   * @default - none
   */
  readonly note?: string;
}

/**
 * Checks and documentation shared by every package's version catalogue
 * (`EksCoreVersions`, dr's `DrVersions`, and the ones to come).
 */
export class VersionCatalogue {
  /**
   * Fail synth, naming `field`, unless `version` is an exact Helm chart
   * version (semver, optional leading `v`; no ranges, no `latest`).
   */
  public static checkChartVersion(scope: IConstruct, field: string, version: string): void {
    if (Token.isUnresolved(version)) return;
    if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
      PropsCheck.fail(scope, field, `"${version}" is not a Helm chart version`, 'pin an exact chart version such as 1.2.3 (no ranges, no "latest")');
    }
  }

  /**
   * Fail synth, naming `field`, unless `version` is written as EKS lists
   * add-on versions (`v<major>.<minor>.<patch>-eksbuild.<n>`): a mistyped
   * version would otherwise fail the CloudFormation deploy.
   */
  public static checkAddonVersion(scope: IConstruct, field: string, version: string): void {
    if (Token.isUnresolved(version)) return;
    if (!/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
      PropsCheck.fail(scope, field, `"${version}" is not an EKS add-on version`,
        'write it as v<major>.<minor>.<patch>-eksbuild.<n>, as listed by aws eks describe-addon-versions');
    }
  }

  /**
   * What is wrong with the entries of a catalogue: a missing upstream
   * release, a release date that is not `YYYY-MM-DD`, no Kubernetes version,
   * a malformed chart or add-on version, or the same name and Kubernetes
   * version pinned twice. Empty when the catalogue is complete.
   */
  public static problems(pins: VersionPin[]): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const p of pins) {
      const at = `${p.name} ${p.version}`;
      if (!p.upstreamRelease || p.upstreamRelease.trim().length < 8) out.push(`${at}: no upstream release`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(p.releaseDate ?? '') || Number.isNaN(Date.parse(p.releaseDate))) out.push(`${at}: release date "${p.releaseDate}" is not YYYY-MM-DD`);
      if (!p.kubernetesVersions || p.kubernetesVersions.length === 0) out.push(`${at}: no Kubernetes version it was checked for`);
      for (const k of p.kubernetesVersions ?? []) {
        if (!/^1\.\d+$/.test(k)) out.push(`${at}: "${k}" is not a Kubernetes minor version`);
        const key = `${p.kind}/${p.name}/${k}`;
        if (seen.has(key)) out.push(`${at}: ${p.name} is pinned twice for Kubernetes ${k}`);
        seen.add(key);
      }
      if (p.kind === PinKind.HELM_CHART && !/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(p.version)) out.push(`${at}: not a chart version`);
      if (p.kind === PinKind.EKS_ADDON && !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(p.version)) out.push(`${at}: not an EKS add-on version`);
      if (p.kind !== PinKind.EKS_ADDON && !p.repository) out.push(`${at}: no repository`);
    }
    return out;
  }

  /**
   * The catalogue as a Markdown table (the generated versions table in each
   * package's docs), sorted by kind and name.
   *
   * @param title the heading above the table
   * @param pins the catalogue's entries
   */
  public static markdown(title: string, pins: VersionPin[]): string {
    const kinds: Record<string, string> = {
      [PinKind.KUBERNETES]: 'Kubernetes', [PinKind.EKS_ADDON]: 'EKS add-on', [PinKind.HELM_CHART]: 'Helm chart', [PinKind.IMAGE]: 'image',
    };
    const order = [PinKind.KUBERNETES, PinKind.EKS_ADDON, PinKind.HELM_CHART, PinKind.IMAGE];
    // Oldest first, whatever order the catalogue lists them in.
    const k8s = (p: VersionPin) => [...p.kubernetesVersions].sort((a, b) => minorOf(a) - minorOf(b)).join(', ');
    const sorted = [...pins].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind)
      || a.name.localeCompare(b.name) || k8s(a).localeCompare(k8s(b)));
    const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const lines = [
      `# ${title}`,
      '',
      'Generated by the package tests from the package\'s version catalogue (`src/**/*-versions.ts`): edit the catalogue, not this file. '
        + '`npm run versions` at the workspace root lists every package\'s pins with their age; Renovate reads the catalogues (`renovate.json5`).',
      '',
      '| kind | name | version | Kubernetes | upstream release | released | repository | note |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...sorted.map((p) => `| ${kinds[p.kind]} | ${cell(p.name)} | ${cell(p.version)} | ${k8s(p)} | ${cell(p.upstreamRelease)} | ${p.releaseDate} | ${cell(p.repository ?? '')} | ${cell(p.note ?? '')} |`),
      '',
    ];
    return lines.join('\n');
  }

  private constructor() {}
}

function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}
