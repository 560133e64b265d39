// Validates Kubernetes objects against kubernetes-models schemas.
// Reads a JSON array of objects on stdin; writes a JSON array of results on stdout.
// It runs as its own Node process because the models are ES modules only,
// which jest's CommonJS runtime cannot load.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
// Schemas Keelson keeps for custom resources kubernetes-models has no model of.
const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const ajv = new Ajv({ allErrors: true, strict: false });

/** API group -> packages that model it, most specific first. */
const GROUP_PACKAGES = {
  'argoproj.io': ['@kubernetes-models/argo-cd', '@kubernetes-models/argo-rollouts'],
  'keda.sh': ['@kubernetes-models/keda'],
  'eventing.keda.sh': ['@kubernetes-models/keda'],
  'networking.istio.io': ['@kubernetes-models/istio'],
  'security.istio.io': ['@kubernetes-models/istio'],
  'telemetry.istio.io': ['@kubernetes-models/istio'],
  'install.istio.io': ['@kubernetes-models/istio'],
  'cert-manager.io': ['@kubernetes-models/cert-manager'],
  'acme.cert-manager.io': ['@kubernetes-models/cert-manager'],
  'external-secrets.io': ['@kubernetes-models/external-secrets'],
  'generators.external-secrets.io': ['@kubernetes-models/external-secrets'],
  'karpenter.sh': ['@kubernetes-models/karpenter'],
  'karpenter.k8s.aws': ['@kubernetes-models/karpenter'],
  'monitoring.coreos.com': ['@kubernetes-models/prometheus-operator'],
  'gateway.networking.k8s.io': ['@kubernetes-models/gateway-api'],
};

function candidates(apiVersion) {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const packages = GROUP_PACKAGES[group] ?? ['kubernetes-models'];
  return packages.map((pkg) => `${pkg}/${apiVersion}`);
}

async function modelFor(apiVersion, kind) {
  for (const specifier of candidates(apiVersion)) {
    let mod;
    try {
      mod = await import(specifier);
    } catch {
      continue;
    }
    if (typeof mod[kind] === 'function') return { Model: mod[kind], schema: specifier };
  }
  return undefined;
}

async function validate(obj) {
  const id = `${obj?.apiVersion}/${obj?.kind} ${obj?.metadata?.namespace ? obj.metadata.namespace + '/' : ''}${obj?.metadata?.name}`;
  if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return { id, valid: false, schema: null, errors: ['object has no apiVersion/kind'] };
  }
  const found = await modelFor(obj.apiVersion, obj.kind);
  if (!found) return validateWithKeelsonSchema(id, obj);
  try {
    new found.Model(obj).validate();
    return { id, valid: true, schema: found.schema, errors: [] };
  } catch (e) {
    const details = Array.isArray(e?.errors)
      ? e.errors.map((x) => `${x.instancePath || '/'} ${x.message}${x.params ? ' ' + JSON.stringify(x.params) : ''}`)
      : [String(e?.message ?? e)];
    return { id, valid: false, schema: found.schema, errors: details };
  }
}

function validateWithKeelsonSchema(id, obj) {
  // A group whose kinds are generated (Gatekeeper constraints) keeps one schema for all of them.
  const own = join(SCHEMA_DIR, obj.apiVersion, `${obj.kind}.json`);
  const file = existsSync(own) ? own : join(SCHEMA_DIR, obj.apiVersion, '_any-kind.json');
  if (!existsSync(file)) return { id, valid: false, schema: null, errors: [`no schema known for ${obj.apiVersion} ${obj.kind}`] };
  const check = ajv.getSchema(file) ?? (ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')), file), ajv.getSchema(file));
  const valid = check(obj);
  const errors = valid ? [] : check.errors.map((x) => `${x.instancePath || '/'} ${x.message}${x.params ? ' ' + JSON.stringify(x.params) : ''}`);
  return { id, valid, schema: `keelson:schemas/${obj.apiVersion}/${file === own ? obj.kind : '_any-kind'}.json`, errors };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const objects = JSON.parse(input);
  const results = [];
  for (const obj of objects) results.push(await validate(obj));
  process.stdout.write(JSON.stringify(results));
});
