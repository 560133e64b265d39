import * as fs from 'fs';
import * as path from 'path';

/** A taint in Kubernetes form (`NoSchedule`, not the EKS API's `NO_SCHEDULE`). */
export interface RenderedTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

/** Values substituted into a `userdata/*.toml` template. */
export interface NodeUserDataValues {
  readonly clusterName: string;
  readonly maxPods: number;
  readonly kubeReservedCpu: string;
  readonly kubeReservedMemory: string;
  readonly labels: Record<string, string>;
  readonly taints: RenderedTaint[];
}

/** The package root's `userdata/` folder (from `lib/private` or `src/private`). */
export const USERDATA_DIR = path.join(__dirname, '..', '..', 'userdata');

/** Read `userdata/<file>.toml` as shipped in the package. */
export function readUserDataTemplate(file: string): string {
  return fs.readFileSync(path.join(USERDATA_DIR, `${file}.toml`), 'utf8');
}

/** A TOML basic string, quoted and escaped. */
export function tomlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Render a Bottlerocket settings template. Labels become
 * `"key" = "value"` lines under `[settings.kubernetes.node-labels]`; taints
 * become `"key" = ["value:Effect"]` lines under
 * `[settings.kubernetes.node-taints]` (Bottlerocket takes a list per key).
 * Throws when a placeholder is left unfilled, so a template and its renderer
 * cannot drift apart silently.
 */
export function renderNodeUserData(template: string, values: NodeUserDataValues): string {
  const labelLines = Object.entries(values.labels).map(([k, v]) => `${tomlString(k)} = ${tomlString(v)}`);
  const taintsByKey = new Map<string, string[]>();
  for (const t of values.taints) {
    taintsByKey.set(t.key, [...(taintsByKey.get(t.key) ?? []), `${t.value}:${t.effect}`]);
  }
  const taintLines = [...taintsByKey.entries()].map(([k, vs]) => `${tomlString(k)} = [${vs.map(tomlString).join(', ')}]`);
  const replacements: Record<string, string> = {
    clusterName: values.clusterName,
    maxPods: String(values.maxPods),
    kubeReservedCpu: values.kubeReservedCpu,
    kubeReservedMemory: values.kubeReservedMemory,
    nodeLabels: labelLines.length > 0 ? labelLines.join('\n') : '# none',
    nodeTaints: taintLines.length > 0 ? taintLines.join('\n') : '# none',
  };
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    if (!(name in replacements)) throw new Error(`user data template has an unknown placeholder ${match}`);
    return replacements[name];
  });
  return rendered;
}
