// Runs TypeScript entry points directly: swc transpiles (with decorator metadata for Nest), tsconfig-paths resolves @risk/* aliases.
const path = require('node:path');
const root = path.resolve(__dirname, '../..');
require('ts-node').register({
  project: path.join(root, 'tsconfig.base.json'),
  transpileOnly: true,
  swc: true,
});
require('tsconfig-paths').register({
  baseUrl: root,
  paths: require(path.join(root, 'tsconfig.base.json')).compilerOptions.paths,
});
