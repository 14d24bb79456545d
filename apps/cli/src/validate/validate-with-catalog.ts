import { validatePolicy } from '@latchkey/policy';
import type { ValidateOptions, ValidationResult } from '@latchkey/policy';
import type { IamDataCatalog } from './iam-data-catalog.js';

/**
 * Validates against the catalog, loading whatever service data the validator asked about and
 * validating again until every question was answered from loaded data. Each round can only ask
 * about names in the document, so this settles quickly (bounded anyway).
 */
export async function validateWithCatalog(text: string, options: Omit<ValidateOptions, 'catalog'>, catalog: IamDataCatalog): Promise<ValidationResult> {
  let result = validatePolicy(text, { ...options, catalog });
  for (let round = 0; round < 4 && (await catalog.resolvePending()); round++) {
    result = validatePolicy(text, { ...options, catalog });
  }
  return result;
}
