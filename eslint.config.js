import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', 'samples/**/*.js', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        { paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node'], patterns: [] },
      ],
    },
  },
  {
    // Only the core is forbidden to know about LSP or VS Code.
    files: ['server/src/lsp/**', 'server/src/cli/**', 'client/**', 'test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
