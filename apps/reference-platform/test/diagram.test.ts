import * as fs from 'fs';
import { DIAGRAM_END, DIAGRAM_START, embedDiagram } from '../src/diagram';
import { README, referenceDiagram } from '../src/write-diagram';

// One synth of the platform without the gates (the diagram reads structure, not findings).
const diagram = referenceDiagram();
const readme = fs.readFileSync(README, 'utf8');

describe('architecture diagram', () => {
  test('the root README shows the current diagram (regenerate: npx projen diagram in apps/reference-platform)', () => {
    expect(embedDiagram(readme, diagram)).toEqual(readme);
  });

  test('shows both regions, every stack (each in-cluster layer\'s own), the peering, the replication and the in-cluster releases', () => {
    expect(diagram).toMatch(/^ {2}subgraph ap_southeast_1\["ap-southeast-1 \(primary\)"\]$/m);
    expect(diagram).toMatch(/^ {2}subgraph us_west_2\["us-west-2 \(DR\)"\]$/m);
    const layers = ['cluster-security', 'mesh', 'observability', 'gitops'];
    for (const stack of [
      'primary-platform', 'primary-backup', 'primary-peering', 'primary-security', 'primary-finops', 'dr-platform', 'dr-backup', 'dr-peering-routes', 'dr-security',
      ...layers.flatMap((l) => [`primary-${l}`, `dr-${l}`]),
    ]) {
      expect(diagram).toContain(`subgraph keelson_dev_${stack.replace(/-/g, '_')}["keelson-dev-${stack}"]`);
    }
    expect(diagram).toContain('keelson_dev_dr_platform <==>|"VPC peering (keelson-dev-primary-peering)"| keelson_dev_primary_platform');
    expect(diagram).toContain('keelson_dev_primary_backup ==>|"S3 replication of backups"| keelson_dev_dr_backup');
    // In-cluster layers of each cluster: the add-on kit's charts by namespace.
    const clusterBoxes = diagram.split('\n').filter((l) => l.includes('_cluster["in-cluster'));
    expect(clusterBoxes.length).toBeGreaterThanOrEqual(2);
    expect(diagram).toMatch(/keelson_dev_primary_gitops_cluster\["in-cluster[^\n]*argocd: /);
    expect(diagram).toMatch(/keelson_dev_primary_platform_cluster\["in-cluster[^\n]*external-secrets: /);
    expect(diagram).not.toMatch(/keelson_dev_primary_platform_cluster\["in-cluster[^\n]*(argocd|istio-system|observability|gatekeeper-system): /);
    // The layers' order: each after its cluster stack, gitops after the three first layers.
    expect(diagram).toContain('keelson_dev_dr_mesh -.->|after| keelson_dev_dr_platform');
    expect(diagram).toContain('keelson_dev_primary_gitops -.->|after| keelson_dev_primary_cluster_security');
    expect(diagram).toMatch(/keelson_dev_dr_backup_cluster\["in-cluster[^\n]*velero: /);
  });

  test('embedDiagram fails without the marks, and replaces only what is between them', () => {
    expect(() => embedDiagram('# no marks\n', 'flowchart LR\n')).toThrow(/architecture-diagram:start/);
    const md = `before\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\nafter\n`;
    expect(embedDiagram(md, 'flowchart LR\n')).toBe(`before\n${DIAGRAM_START}\n\n\`\`\`mermaid\nflowchart LR\n\`\`\`\n\n${DIAGRAM_END}\nafter\n`);
  });
});
