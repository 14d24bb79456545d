import { ConcurrentModification, DeleteConflict, EntityAlreadyExists, InvalidInput, isAwsError, ServiceFailure, ServiceUnavailable } from '@latchkey/errors';
import type { AwsError } from '@latchkey/errors';
import { isStoreError } from '@latchkey/store';

// Generic texts for races the operations' own checks could not see (another instance committed
// first). The operations throw AWS's exact, name-bearing messages in the common case.
const ALREADY_EXISTS: Record<string, string> = {
  users: 'User with this name already exists.',
  groups: 'Group with this name already exists.',
  roles: 'Role with this name already exists.',
  policies: 'A policy with this name already exists.',
  accounts: 'The account alias already exists.',
  access_keys: 'The access key already exists.',
};

/** AWS's ServiceFailure text (the model's documentation of ServiceFailureException). */
export const SERVICE_FAILURE_MESSAGE = 'The request processing has failed because of an unknown error, exception or failure.';
export const CONCURRENT_MODIFICATION_MESSAGE =
  'The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.';

/**
 * Maps whatever an operation threw to an AWS error: AWS errors pass through; store errors become
 * their AWS counterparts; anything else is a ServiceFailure (500) whose detail, never sent to the
 * client, keeps the original message for logs.
 */
export function mapStoreError(err: unknown): AwsError {
  if (isAwsError(err)) return err;
  if (isStoreError(err)) {
    switch (err.kind) {
      case 'unique': {
        const table = (err as { table?: string }).table ?? '';
        return new EntityAlreadyExists(ALREADY_EXISTS[table] ?? 'The entity already exists.', { cause: err, detail: err.message });
      }
      case 'reference':
        // AWS's generic text (recorded) for a delete refused by remaining dependents.
        return new DeleteConflict('Cannot delete entity, must remove referenced objects first.', { cause: err, detail: err.message });
      case 'invalidMarker':
        return new InvalidInput('The specified value for marker is not valid.', { cause: err });
      case 'conflict':
        return new ConcurrentModification(CONCURRENT_MODIFICATION_MESSAGE, { cause: err });
      case 'closed':
        return new ServiceUnavailable('Service is unavailable.', { cause: err });
      case 'notInTransaction':
        break;
    }
  }
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new ServiceFailure(SERVICE_FAILURE_MESSAGE, { cause: err, detail });
}
