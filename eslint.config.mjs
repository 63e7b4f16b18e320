// One flat config for the workspace: typescript-eslint for TypeScript, Nx's module-boundary
// rule to keep the dependency graph honest (optim and models see only tensor; apps use libs,
// never the reverse), and eslint-config-prettier so formatting is Prettier's job alone.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/out/**',
      '**/node_modules/**',
      '**/.nx/**',
      '**/test-results/**',
      '**/*.svelte',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:tensor', onlyDependOnLibsWithTags: ['scope:tensor'] },
            { sourceTag: 'scope:optim', onlyDependOnLibsWithTags: ['scope:tensor'] },
            { sourceTag: 'scope:models', onlyDependOnLibsWithTags: ['scope:tensor'] },
            { sourceTag: 'scope:tensor-gpu', onlyDependOnLibsWithTags: ['scope:tensor'] },
            {
              sourceTag: 'scope:experiment',
              onlyDependOnLibsWithTags: [
                'scope:tensor',
                'scope:optim',
                'scope:models',
                'scope:tensor-gpu',
              ],
            },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    // Tool configs live outside the project graph (they import the shared root config).
    files: ['**/*.config.ts', '**/*.config.mjs', '**/*.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  prettier,
);
