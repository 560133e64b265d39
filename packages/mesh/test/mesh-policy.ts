/**
 * Small, documented evaluators of Istio semantics over rendered objects, for
 * the proofs. No library evaluates Istio policies outside a cluster, so they
 * are hand-written to the documented rules, and each has negative tests.
 */

/** The `mtls.mode` that applies to workloads of `namespace` with `labels`, per Istio's PeerAuthentication precedence. */
export function effectiveMtlsMode(objects: any[], namespace: string, labels: Record<string, string> = {}, rootNamespace = 'istio-system'): string {
  const peer = objects.filter((o) => o.kind === 'PeerAuthentication' && String(o.apiVersion).startsWith('security.istio.io/'));
  const selects = (o: any) => Object.entries(o.spec?.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  // Workload-level (selector, same namespace) beats namespace-level (no selector, same namespace) beats mesh-wide (no selector, root namespace).
  const workload = peer.find((o) => o.metadata.namespace === namespace && o.spec?.selector && selects(o));
  const ns = peer.find((o) => o.metadata.namespace === namespace && !o.spec?.selector);
  const mesh = peer.find((o) => o.metadata.namespace === rootNamespace && !o.spec?.selector);
  for (const p of [workload, ns, mesh]) {
    const mode = p?.spec?.mtls?.mode;
    if (mode && mode !== 'UNSET') return mode;
  }
  // Istio's default with no policy.
  return 'PERMISSIVE';
}

/** A caller: its namespace and service account (its SPIFFE principal is `<trustDomain>/ns/<ns>/sa/<sa>`). */
export interface Caller { namespace: string; serviceAccount: string }
/** A callee: its namespace and pod labels. */
export interface Callee { namespace: string; labels: Record<string, string>; port?: number }

function matches(pattern: string, value: string): boolean {
  // Istio string match: exact, "*" (any non-empty), prefix "abc*", suffix "*abc".
  if (pattern === '*') return value.length > 0;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function ruleMatches(rule: any, principal: string, from: Caller, to: Callee): boolean {
  const sourceOk = !rule.from || rule.from.some((f: any) => {
    const s = f.source ?? {};
    if (s.principals && !s.principals.some((p: string) => matches(p, principal))) return false;
    if (s.notPrincipals && s.notPrincipals.some((p: string) => matches(p, principal))) return false;
    if (s.namespaces && !s.namespaces.some((n: string) => matches(n, from.namespace))) return false;
    if (s.notNamespaces && s.notNamespaces.some((n: string) => matches(n, from.namespace))) return false;
    return true;
  });
  const toOk = !rule.to || rule.to.some((t: any) => {
    const op = t.operation ?? {};
    if (op.ports && to.port !== undefined && !op.ports.includes(String(to.port))) return false;
    return true;
  });
  // Conditions (`when`) are not used by Keelson's policies; a rule with one is treated as not matching (fail closed).
  return sourceOk && toOk && !rule.when;
}

/**
 * Istio's authorization decision for a request from `from` to `to`, where
 * the callee's own proxy (ztunnel or sidecar) enforces
 * (https://istio.io/latest/docs/concepts/security/#implicit-enablement):
 * policies apply when they are in the root namespace (mesh-wide) or the
 * callee's namespace, and their selector (if any) matches the callee's
 * labels; a policy with `targetRefs` binds to a Gateway or Service and is
 * enforced there (see `authorizeAtWaypoint`), not here; a matching DENY
 * denies; then, if any ALLOW policy applies, the request is allowed only when
 * it matches a rule of one of them (an ALLOW policy without rules matches
 * nothing: "allow nothing"); with no ALLOW policy it is allowed. CUSTOM and
 * AUDIT actions are not modelled (reported).
 */
export function authorize(objects: any[], from: Caller, to: Callee, trustDomain = 'cluster.local', rootNamespace = 'istio-system'): boolean {
  const policies = policiesIn(objects, to.namespace, rootNamespace)
    .filter((o) => !o.spec?.targetRefs)
    .filter((o) => Object.entries(o.spec?.selector?.matchLabels ?? {}).every(([k, v]) => to.labels[k] === v));
  return decide(policies, from, to, trustDomain);
}

/**
 * The decision of the waypoint a Service is bound to (ambient mode): the
 * policies whose `targetRefs` name that Service apply
 * (https://istio.io/latest/docs/ambient/usage/l7-features/), with the same
 * DENY-then-ALLOW rule; policies with a selector are the workloads' own.
 */
export function authorizeAtWaypoint(objects: any[], from: Caller, service: { namespace: string; name: string }, trustDomain = 'cluster.local', rootNamespace = 'istio-system'): boolean {
  const policies = policiesIn(objects, service.namespace, rootNamespace)
    .filter((o) => (o.spec?.targetRefs ?? []).some((r: any) => r.kind === 'Service' && (r.group ?? '') === '' && r.name === service.name));
  return decide(policies, from, { namespace: service.namespace, labels: {} }, trustDomain);
}

function policiesIn(objects: any[], namespace: string, rootNamespace: string): any[] {
  return objects.filter((o) => o.kind === 'AuthorizationPolicy' && String(o.apiVersion).startsWith('security.istio.io/'))
    .filter((o) => o.metadata.namespace === rootNamespace || o.metadata.namespace === namespace);
}

function decide(policies: any[], from: Caller, to: Callee, trustDomain: string): boolean {
  const principal = `${trustDomain}/ns/${from.namespace}/sa/${from.serviceAccount}`;
  for (const p of policies) {
    const action = p.spec?.action ?? 'ALLOW';
    if (action !== 'ALLOW' && action !== 'DENY') throw new Error(`${p.metadata.namespace}/${p.metadata.name}: action ${action} is not modelled`);
  }
  const rulesOf = (p: any) => (p.spec?.rules ?? []) as any[];
  if (policies.some((p) => p.spec?.action === 'DENY' && rulesOf(p).some((r) => ruleMatches(r, principal, from, to)))) return false;
  const allows = policies.filter((p) => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
  if (allows.length === 0) return true;
  return allows.some((p) => rulesOf(p).some((r) => ruleMatches(r, principal, from, to)));
}
