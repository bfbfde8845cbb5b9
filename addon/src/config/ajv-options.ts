import type { Options } from 'ajv';

/**
 * Options of the config validator, compiled ahead of time by `npm run gen`
 * (scripts/gen-config.ts → validator.generated.ts).
 */
export const AJV_OPTIONS: Options = {
  // Every problem at once.
  allErrors: true,
  // The validated object is the complete config.
  useDefaults: true,
  strict: false,
  allowUnionTypes: true,
  // parentSchema in errors: the known keys, for a "did you mean" on an unknown one.
  verbose: true,
};
