/**
 * Links each bundled dependency of the package in the current folder into its
 * own node_modules. npm's linked install layout (which jsii-docgen needs) puts
 * a workspace package's bundled dependencies at the workspace root, where
 * `npm pack` (and so jsii-pacmak) does not look: the tarball would ship
 * without them, and jsii's runtime for Python, Java, .NET and Go installs
 * nothing else. Runs before each compile of a package that bundles.
 */
const fs = require('fs');
const path = require('path');

// Each argument is a package folder (default: the current one). The root's postinstall runs it over
// every package, since nx may restore a build from cache without running its pre-compile step.
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['.'];
for (const dir of dirs) {
  const manifest = path.join(dir, 'package.json');
  if (!fs.existsSync(manifest)) continue;
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  for (const dep of pkg.bundledDependencies ?? []) {
    const link = path.join(dir, 'node_modules', dep);
    if (fs.existsSync(path.join(link, 'package.json'))) continue;
    const target = path.dirname(require.resolve(`${dep}/package.json`, { paths: [path.resolve(dir)] }));
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync(path.relative(path.dirname(link), target), link, 'dir');
  }
}
