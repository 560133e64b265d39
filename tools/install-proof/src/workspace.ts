import * as fs from 'fs';
import * as path from 'path';

/** A package of the workspace that is published to npm. */
export interface PublishedPackage {
  /** npm name, for example `@keelson/eks-core`. */
  readonly name: string;
  /** Absolute path of the package folder. */
  readonly dir: string;
  /** The package's `package.json`. */
  readonly manifest: PackageManifest;
}

/** The fields of a `package.json` the install proof reads. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly peerDependencies?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly bundledDependencies?: string[];
  readonly engines?: Record<string, string>;
}

/** The workspace root: the nearest ancestor whose package.json declares `workspaces`. */
export function workspaceRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).workspaces) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no npm workspace root above ${from}`);
  }
}

/** Every non-private package under `packages/`, sorted by name. */
export function publishedPackages(root: string = workspaceRoot()): PublishedPackage[] {
  const packagesDir = path.join(root, 'packages');
  return fs.readdirSync(packagesDir)
    .map((name) => path.join(packagesDir, name))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageManifest }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The exported top-level types of a jsii assembly (a type nested in a class lives in its parent's file). */
export function topLevelTypes(assembly: { readonly types?: Record<string, { readonly name: string; readonly namespace?: string }> }): string[] {
  return Object.values(assembly.types ?? {}).filter((t) => !t.namespace).map((t) => t.name).sort();
}

/** The package's exported top-level types, from its built assembly (`.jsii`). */
export function exportedTypes(packageDir: string): string[] {
  const file = path.join(packageDir, '.jsii');
  if (!fs.existsSync(file)) throw new Error(`${packageDir} is not built (no .jsii): build it first (npx nx run-many -t build)`);
  return topLevelTypes(JSON.parse(fs.readFileSync(file, 'utf8')));
}
