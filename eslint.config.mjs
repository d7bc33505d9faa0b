import nx from '@nx/eslint-plugin';

const typeRules = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contract', 'type:util', 'type:ui'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contract', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:contract', 'type:util', 'type:ui'] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:contract', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:contract', 'type:util'] },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contract'] },
];

// Scopes depend downwards only: shared <- features <- ml <- scoring/training/registry <- rollout <- tools.
const scopeRules = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:features', onlyDependOnLibsWithTags: ['scope:shared', 'scope:features'] },
  { sourceTag: 'scope:ml', onlyDependOnLibsWithTags: ['scope:shared', 'scope:features', 'scope:ml'] },
  { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ml', 'scope:registry'] },
  { sourceTag: 'scope:scoring', onlyDependOnLibsWithTags: ['scope:shared', 'scope:features', 'scope:ml', 'scope:registry', 'scope:scoring'] },
  { sourceTag: 'scope:training', onlyDependOnLibsWithTags: ['scope:shared', 'scope:features', 'scope:ml', 'scope:registry', 'scope:training'] },
  { sourceTag: 'scope:rollout', onlyDependOnLibsWithTags: ['scope:shared', 'scope:features', 'scope:ml', 'scope:registry', 'scope:scoring', 'scope:rollout'] },
  { sourceTag: 'scope:monitoring', onlyDependOnLibsWithTags: ['scope:shared', 'scope:features', 'scope:ml', 'scope:registry', 'scope:monitoring'] },
  {
    sourceTag: 'scope:tools',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:features', 'scope:ml', 'scope:registry', 'scope:scoring', 'scope:training', 'scope:rollout', 'scope:monitoring', 'scope:tools'],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/generated', '.nx', 'coverage', 'artifacts'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [...typeRules, ...scopeRules],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Only config modules may read process.env; everything else receives typed config.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['**/*.config.ts', '**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through the app config schema.' }],
    },
  },
];
