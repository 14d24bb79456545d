import type { ConditionKeyType } from './service-catalog.js';

// Types of AWS global condition keys (policy-language.md K table, IAM User Guide "AWS global
// condition context keys"), used when no catalog is given. Lower-cased: keys are
// case-insensitive.
const GLOBAL_KEYS: Readonly<Record<string, ConditionKeyType>> = {
  'aws:sourceip': 'IPAddress',
  'aws:vpcsourceip': 'IPAddress',
  'aws:currenttime': 'Date',
  'aws:epochtime': 'Date',
  'aws:tokenissuetime': 'Date',
  'aws:securetransport': 'Bool',
  'aws:multifactorauthpresent': 'Bool',
  'aws:viaawsservice': 'Bool',
  'aws:principalisawsservice': 'Bool',
  'aws:multifactorauthage': 'Numeric',
  'aws:principalarn': 'ARN',
  'aws:sourcearn': 'ARN',
  'aws:principalaccount': 'String',
  'aws:principaltype': 'String',
  'aws:userid': 'String',
  'aws:username': 'String',
  'aws:principalorgid': 'String',
  'aws:principalorgpaths': 'ArrayOfString',
  'aws:tagkeys': 'ArrayOfString',
  'aws:resourceaccount': 'String',
  'aws:resourceorgid': 'String',
  'aws:resourceorgpaths': 'ArrayOfString',
  'aws:sourceidentity': 'String',
  'aws:calledvia': 'ArrayOfString',
  'aws:calledviafirst': 'String',
  'aws:calledvialast': 'String',
  'aws:principalservicename': 'String',
  'aws:principalservicenameslist': 'ArrayOfString',
  'aws:sourceaccount': 'String',
  'aws:sourceorgid': 'String',
  'aws:sourceorgpaths': 'ArrayOfString',
  'aws:sourcevpc': 'String',
  'aws:sourcevpce': 'String',
  'aws:requestedregion': 'String',
  'aws:useragent': 'String',
  'aws:referer': 'String',
  'aws:federatedprovider': 'String',
};

/** The type of a global `aws:` key (tag keys included), or undefined when not known. */
export function globalConditionKeyType(key: string): ConditionKeyType | undefined {
  const k = key.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(GLOBAL_KEYS, k)) return GLOBAL_KEYS[k];
  if (k.startsWith('aws:principaltag/') || k.startsWith('aws:resourcetag/') || k.startsWith('aws:requesttag/')) return 'String';
  return undefined;
}
