// ESLint (issue 20): the recommended rules over the UI (web/, ES modules in the browser, the
// service worker) and the test and bench scripts (Node ES modules). tests/lint/eslint.sh runs
// it under `make test`; `npx eslint --fix` repairs what it can.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/**', 'build/**', 'build-asan/**', 'test-output/**', 'web/vendor/**'] },
  js.configs.recommended,
  {
    files: ['web/js/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['web/sw.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    // Browser tests and the slow-link and screens benches hand functions to page.evaluate: they run in the page.
    files: ['tests/e2e/**/*.mjs', 'tests/lib/browser.mjs', 'bench/slow-link.mjs', 'bench/screens.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      // An unused argument documents a callback's shape; an unused variable is a mistake.
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true, varsIgnorePattern: '^_' }],
    },
  },
];
