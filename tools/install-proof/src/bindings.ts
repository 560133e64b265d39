import * as fs from 'fs';
import * as path from 'path';
import { topLevelTypes } from './workspace';

/**
 * What a package's `package` task leaves in `dist/` (jsii-pacmak's layout), checked without the
 * toolchains this machine lacks: the JavaScript tarball, the Python wheel and source
 * distribution, and the Java, .NET and Go sources a release machine compiles.
 */

/** The parts of a jsii assembly (`.jsii`) the checks read. */
export interface AssemblyTargets {
  readonly name: string;
  readonly version: string;
  readonly targets?: {
    readonly python?: { readonly distName: string; readonly module: string };
    readonly java?: { readonly package: string; readonly maven: { readonly groupId: string; readonly artifactId: string } };
    readonly dotnet?: { readonly namespace: string; readonly packageId: string };
    readonly go?: { readonly moduleName: string; readonly packageName?: string };
  };
  readonly types?: Record<string, { readonly name: string; readonly namespace?: string; readonly kind: string }>;
}

/** The languages every Keelson package targets besides JavaScript. */
export const BINDING_LANGUAGES = ['python', 'java', 'dotnet', 'go'] as const;

/** jsii-rosetta's names for the languages a README example is translated to. */
export const TRANSLATION_LANGUAGES = ['python', 'java', 'csharp', 'go'] as const;

function files(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

/** `@keelson/eks-core` -> `eks-core`: the unscoped name jsii-pacmak uses in file names. */
function bareName(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}

/** The Go package folder jsii-pacmak writes: `packageName`, or the npm name without scope and punctuation. */
function goPackage(assembly: AssemblyTargets): string {
  return assembly.targets?.go?.packageName ?? bareName(assembly.name).replace(/[^a-z0-9]/gi, '').toLowerCase();
}

/**
 * Everything missing or wrong in `dist` after `jsii-pacmak --code-only` and the Python build, one
 * line each. `wheelFiles` lists the wheel's contents (the caller reads the zip).
 */
export function bindingProblems(assembly: AssemblyTargets, dist: string, wheelFiles: string[]): string[] {
  const problems: string[] = [];
  const types = topLevelTypes(assembly);
  const t = assembly.targets ?? {};
  const missingTargets = BINDING_LANGUAGES.filter((lang) => !t[lang]);
  for (const lang of missingTargets) problems.push(`.jsii has no ${lang} target: set it in the library's projenrc options`);

  // JavaScript: the tarball jsii-pacmak's js target (npm pack) writes.
  const tarball = `${bareName(assembly.name)}@${assembly.version}.jsii.tgz`;
  if (!fs.existsSync(path.join(dist, 'js', tarball))) problems.push(`dist/js/${tarball} is missing: jsii-pacmak --target js did not run`);

  if (t.python) {
    // Wheel file names normalize the distribution name's punctuation differently by setuptools version.
    const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '_');
    const stem = `${t.python.distName}-${assembly.version}`;
    const py = files(path.join(dist, 'python'));
    if (!py.some((f) => norm(f).startsWith(norm(stem)) && f.endsWith('.whl'))) {
      problems.push(`dist/python has no ${stem} wheel: python3 -m build did not run`);
    }
    if (!py.some((f) => f.endsWith('.tar.gz'))) problems.push('dist/python has no source distribution (.tar.gz)');
    const modulePath = t.python.module.replace(/\./g, '/');
    // A package that exports nothing yet (mesh before its issue lands; never released) has no module file.
    if (types.length > 0 && !wheelFiles.includes(`${modulePath}/__init__.py`)) problems.push(`the wheel lacks ${modulePath}/__init__.py`);
    if (!wheelFiles.some((f) => f.startsWith(`${modulePath}/_jsii/`) && f.endsWith('.tgz'))) {
      problems.push(`the wheel lacks the embedded assembly (${modulePath}/_jsii/*.tgz): jsii's Python runtime loads it`);
    }
  }

  if (t.java) {
    const pomFile = path.join(dist, 'java', 'pom.xml');
    if (!fs.existsSync(pomFile)) {
      problems.push('dist/java/pom.xml is missing: jsii-pacmak --code-only --target java did not run');
    } else {
      const pom = fs.readFileSync(pomFile, 'utf8');
      for (const [tag, value] of [['groupId', t.java.maven.groupId], ['artifactId', t.java.maven.artifactId], ['version', assembly.version]]) {
        if (!pom.includes(`<${tag}>${value}</${tag}>`)) problems.push(`dist/java/pom.xml does not declare <${tag}>${value}</${tag}>`);
      }
    }
    const javaDir = path.join(dist, 'java', 'src', 'main', 'java', ...t.java.package.split('.'));
    const java = new Set(files(javaDir));
    for (const type of types) if (!java.has(`${type}.java`)) problems.push(`Java source for ${type} is missing (${path.relative(dist, javaDir)}/${type}.java)`);
  }

  if (t.dotnet) {
    const projectDir = path.join(dist, 'dotnet', t.dotnet.packageId);
    const csprojFile = path.join(projectDir, `${t.dotnet.packageId}.csproj`);
    if (!fs.existsSync(csprojFile)) {
      problems.push(`dist/dotnet/${t.dotnet.packageId}/${t.dotnet.packageId}.csproj is missing: jsii-pacmak --code-only --target dotnet did not run`);
    } else if (!fs.readFileSync(csprojFile, 'utf8').includes(`<PackageId>${t.dotnet.packageId}</PackageId>`)) {
      problems.push(`${t.dotnet.packageId}.csproj does not declare <PackageId>${t.dotnet.packageId}</PackageId>`);
    }
    const csDir = path.join(projectDir, ...t.dotnet.namespace.split('.'));
    const cs = new Set(files(csDir));
    // jsii's .NET generator appends `_` to a type whose name a member of it also takes (eks-core's PlatformNamespaces_).
    for (const type of types) if (!cs.has(`${type}.cs`) && !cs.has(`${type}_.cs`)) problems.push(`C# source for ${type} is missing (${path.relative(dist, csDir)}/${type}.cs)`);
  }

  if (t.go) {
    const goDir = path.join(dist, 'go', goPackage(assembly));
    const goModFile = path.join(goDir, 'go.mod');
    const module = `${t.go.moduleName}/${goPackage(assembly)}`;
    if (!fs.existsSync(goModFile)) {
      problems.push(`${path.relative(dist, goModFile)} is missing: jsii-pacmak --code-only --target go did not run`);
    } else if (!fs.readFileSync(goModFile, 'utf8').split('\n').includes(`module ${module}`)) {
      problems.push(`${path.relative(dist, goModFile)} does not declare module ${module}`);
    }
    const go = new Set(files(goDir));
    for (const type of types) if (!go.has(`${type}.go`)) problems.push(`Go source for ${type} is missing (${path.relative(dist, goDir)}/${type}.go)`);
  }
  return problems;
}

/** One example in a jsii-rosetta tablet (`.jsii.tabl.json`). */
interface TabletSnippet {
  readonly didCompile?: boolean;
  readonly location?: { readonly api?: { readonly api?: string }; readonly field?: { readonly line?: number } };
  readonly translations: Record<string, { readonly source: string } | undefined>;
}

/**
 * Every README example the tablet does not show compiled and translated to Python, Java, C# and
 * Go. `readmeExamples` is the number of TypeScript examples in the README: a README example that
 * rosetta never saw (a fence it does not read) is a problem too.
 */
export function translationProblems(tablet: { readonly snippets: Record<string, TabletSnippet> }, readmeExamples: number): string[] {
  const problems: string[] = [];
  const readme = Object.values(tablet.snippets).filter((s) => s.location?.api?.api === 'moduleReadme');
  if (readme.length !== readmeExamples) {
    problems.push(`the README has ${readmeExamples} TypeScript example(s) but jsii-rosetta translated ${readme.length}`);
  }
  for (const snippet of Object.values(tablet.snippets)) {
    const where = snippet.location?.api?.api === 'moduleReadme' ? `README line ${snippet.location.field?.line}` : 'an API doc example';
    if (snippet.didCompile !== true) problems.push(`${where}: the example does not compile`);
    for (const lang of TRANSLATION_LANGUAGES) {
      if (!snippet.translations[lang]?.source?.trim()) problems.push(`${where}: no ${lang} translation`);
    }
  }
  return problems;
}
