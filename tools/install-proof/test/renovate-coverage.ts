import * as Handlebars from 'handlebars';
import { cataloguePins, SourcePin } from './catalogue-source';

/** One `customManagers` entry of a Renovate configuration (the fields this check reads). */
export interface RegexManager {
  readonly customType: string;
  readonly description?: string[];
  readonly managerFilePatterns: string[];
  readonly matchStrings: string[];
  readonly matchStringsStrategy?: 'any' | 'recursive' | 'combination';
  readonly [template: string]: unknown;
}

/** A dependency as a custom regex manager extracts it, with where its `currentValue` is in the file. */
export interface ExtractedDependency {
  readonly file: string;
  /** The manager's position in `customManagers` and the first line of its description. */
  readonly manager: string;
  readonly depName?: string;
  readonly packageName?: string;
  readonly datasource?: string;
  readonly versioning?: string;
  /** As Renovate keeps it: the URL parsed and written back (`registryUrls[0]`). */
  readonly registryUrl?: string;
  readonly currentValue: string;
  readonly start: number;
  readonly end: number;
}

/** A file given to the managers: its path from the repository root (as Renovate matches it) and its text. */
export interface RepositoryFile {
  readonly path: string;
  readonly text: string;
}

/** The fields a regex manager fills from a named group or a `<field>Template` (Renovate's `validMatchFields`). */
const FIELDS = ['depName', 'packageName', 'currentValue', 'currentDigest', 'datasource', 'versioning', 'extractVersion', 'registryUrl', 'depType'] as const;

/** What RE2, Renovate's regex engine, refuses: lookaround and backreferences. */
export function re2Problems(pattern: string): string[] {
  const out: string[] = [];
  if (/\(\?<?[=!]/.test(pattern)) out.push('lookaround');
  if (/\\k<|\\[1-9]/.test(pattern)) out.push('backreference');
  return out;
}

/** A `managerFilePatterns` entry as Renovate reads it: `/regex/` (globs are not used here). */
function filePattern(p: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p);
  if (!m) throw new Error(`managerFilePatterns entry ${p} is a glob; write it as /regex/ (this check reads regex patterns only)`);
  return new RegExp(m[1], m[2]);
}

interface Match { groups: Record<string, string>; start?: number; end?: number; text: string }

/** Every match of a pattern in a text, with the `currentValue` group's offsets shifted by `base`. */
function matchAll(pattern: string, text: string, base: number): Match[] {
  const re = new RegExp(pattern, 'gd');
  return [...text.matchAll(re)].map((m) => {
    const span = m.indices?.groups?.currentValue;
    return {
      groups: Object.fromEntries(Object.entries(m.groups ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>,
      start: span ? base + span[0] : undefined,
      end: span ? base + span[1] : undefined,
      text: m[0],
      index: base + (m.index ?? 0),
    } as Match & { index: number };
  });
}

/** Renovate's `createDependency`: a template wins over a group; Handlebars as Renovate compiles it. */
function toDependency(mgr: RegexManager, label: string, file: string, m: Match): ExtractedDependency | undefined {
  const dep: Record<string, string> = {};
  for (const f of FIELDS) {
    const tmpl = mgr[`${f}Template`];
    if (typeof tmpl === 'string') dep[f] = Handlebars.compile(tmpl)(m.groups);
    else if (m.groups[f]) dep[f] = m.groups[f];
  }
  if (dep.registryUrl) {
    try {
      dep.registryUrl = new URL(dep.registryUrl).toString();
    } catch {
      delete dep.registryUrl;
    }
  }
  if (!dep.currentValue || m.start === undefined || m.end === undefined) return undefined;
  return { ...dep, file, manager: label, currentValue: dep.currentValue, start: m.start, end: m.end };
}

/** What the custom regex managers of `config` extract from `files`, following `matchStringsStrategy` as Renovate does. */
export function extractDependencies(customManagers: RegexManager[], files: RepositoryFile[]): ExtractedDependency[] {
  const out: ExtractedDependency[] = [];
  customManagers.forEach((mgr, i) => {
    if (mgr.customType !== 'regex') return;
    const label = `customManagers[${i}] (${(mgr.description ?? [''])[0]})`;
    const patterns = mgr.managerFilePatterns.map(filePattern);
    for (const file of files.filter((f) => patterns.some((p) => p.test(f.path)))) {
      const strategy = mgr.matchStringsStrategy ?? 'any';
      let matches: Match[];
      if (strategy === 'any') {
        matches = mgr.matchStrings.flatMap((s) => matchAll(s, file.text, 0));
      } else if (strategy === 'recursive') {
        // Each level searches the previous level's full match; groups accumulate.
        let level: Array<Match & { index: number }> = [{ groups: {}, text: file.text, index: 0 }];
        for (const s of mgr.matchStrings) {
          level = level.flatMap((parent) => (matchAll(s, parent.text, parent.index) as Array<Match & { index: number }>)
            .map((m) => ({ ...m, groups: { ...parent.groups, ...m.groups }, start: m.start ?? parent.start, end: m.end ?? parent.end })));
        }
        matches = level;
      } else {
        // combination: one dependency per file, the groups of every match merged.
        const all = mgr.matchStrings.flatMap((s) => matchAll(s, file.text, 0));
        matches = all.length === 0 ? [] : [all.reduce((a, b) => ({
          groups: { ...a.groups, ...b.groups }, text: b.text, start: b.start ?? a.start, end: b.end ?? a.end,
        }))];
      }
      for (const m of matches) {
        const dep = toDependency(mgr, label, file.path, m);
        if (dep) out.push(dep);
      }
    }
  });
  return out;
}

/** Where Renovate must look a pin up: the datasource, the package name and (helm) the repository. */
export interface ExpectedLookup {
  readonly datasource: string;
  /** Names the lookup may use (entries sharing one version literal may be looked up by any of them). */
  readonly packageNames: string[];
  readonly registryUrl?: string;
}

/** The lookup each kind of entry needs. */
export function expectedLookup(pin: SourcePin, sharing: SourcePin[]): ExpectedLookup {
  const repo = pin.repository ?? '';
  switch (pin.kind) {
    case 'HELM_CHART':
      if (repo.startsWith('oci://')) return { datasource: 'docker', packageNames: [repo.slice('oci://'.length)] };
      return { datasource: 'helm', packageNames: sharing.map((p) => p.name), registryUrl: new URL(repo).toString() };
    case 'IMAGE': {
      const ghcr = /^ghcr\.io\/([^/]+\/[^/]+)$/.exec(repo);
      return ghcr ? { datasource: 'github-releases', packageNames: [ghcr[1]] } : { datasource: 'docker', packageNames: [repo] };
    }
    case 'EKS_ADDON':
      return {
        datasource: 'aws-eks-addon',
        packageNames: [JSON.stringify({ addonName: pin.name, kubernetesVersion: lowestKubernetes(pin.kubernetesVersions) })],
      };
    case 'KUBERNETES':
      return { datasource: 'endoflife-date', packageNames: ['amazon-eks'] };
    default:
      throw new Error(`${pin.member}: unknown kind ${pin.kind}`);
  }
}

/** The lowest of `1.<minor>` versions. */
export function lowestKubernetes(versions: string[]): string {
  return [...versions].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))[0];
}

/**
 * Why the managers do not cover the catalogues: an entry no manager matches, one matched more than
 * once, one looked up in the wrong place, or a match that is no entry's version. Empty when every
 * pin of every file is matched exactly once, as it should be looked up.
 */
export function coverageProblems(customManagers: RegexManager[], catalogues: RepositoryFile[]): string[] {
  const problems: string[] = [];
  for (const [i, mgr] of customManagers.entries()) {
    for (const s of mgr.matchStrings) {
      for (const p of re2Problems(s)) problems.push(`customManagers[${i}]: ${p} in ${s}: RE2 (Renovate's engine) refuses it`);
    }
  }
  const deps = extractDependencies(customManagers, catalogues);
  for (const file of catalogues) {
    const pins = cataloguePins(file.text, file.path);
    const fileDeps = deps.filter((d) => d.file === file.path);
    for (const pin of pins) {
      const at = `${file.path}: ${pin.member} (${pin.name} ${pin.version})`;
      const covering = fileDeps.filter((d) => d.start === pin.versionStart && d.end === pin.versionEnd);
      if (covering.length === 0) {
        problems.push(`${at}: no Renovate manager matches this entry`);
        continue;
      }
      if (covering.length > 1) {
        problems.push(`${at}: matched ${covering.length} times (${covering.map((d) => d.manager).join('; ')})`);
        continue;
      }
      const dep = covering[0];
      const sharing = pins.filter((p) => p.versionStart === pin.versionStart);
      const want = expectedLookup(pin, sharing);
      const lookedUp = dep.packageName ?? dep.depName ?? '';
      if (dep.datasource !== want.datasource) problems.push(`${at}: datasource ${dep.datasource}, should be ${want.datasource} (${dep.manager})`);
      if (!want.packageNames.includes(lookedUp)) problems.push(`${at}: looked up as ${lookedUp}, should be ${want.packageNames.join(' or ')} (${dep.manager})`);
      if (want.registryUrl && dep.registryUrl !== want.registryUrl) problems.push(`${at}: registry ${dep.registryUrl}, should be ${want.registryUrl} (${dep.manager})`);
      if (dep.currentValue !== pin.version) problems.push(`${at}: current value ${dep.currentValue} (${dep.manager})`);
    }
    for (const d of fileDeps) {
      if (!pins.some((p) => p.versionStart === d.start && p.versionEnd === d.end)) {
        problems.push(`${file.path}: ${d.manager} matched ${d.currentValue} at offset ${d.start}, which is no entry's version`);
      }
    }
  }
  return problems;
}
