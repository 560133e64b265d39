import { Project } from 'projen';
import { TOOL_VERSIONS } from './versions';

/** Give every unversioned dependency of `project` and its subprojects its pinned version. */
export function pinToolDeps(project: Project) {
  for (const p of [project, ...project.subprojects]) {
    for (const dep of p.deps.all) {
      if (dep.version && dep.version !== '*') continue;
      const version = TOOL_VERSIONS[dep.name];
      if (!version) {
        throw new Error(`${p.name}: "${dep.name}" has no version; add it to TOOL_VERSIONS in projenrc/versions.ts`);
      }
      p.deps.removeDependency(dep.name, dep.type);
      p.deps.addDependency(`${dep.name}@${version}`, dep.type);
    }
  }
}
