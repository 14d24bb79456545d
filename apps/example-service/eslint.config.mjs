// The workspace rules, plus Node's globals for the plain-JavaScript launcher in `bin/`.
import workspace from '../../eslint.config.mjs';

export default [
  ...workspace,
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
];
