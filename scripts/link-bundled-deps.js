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

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
for (const dep of pkg.bundledDependencies ?? []) {
  const link = path.join('node_modules', dep);
  if (fs.existsSync(path.join(link, 'package.json'))) continue;
  const target = path.dirname(require.resolve(`${dep}/package.json`, { paths: [process.cwd()] }));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true, recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), target), link, 'dir');
}
