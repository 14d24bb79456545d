/** IAM's Query API version and XML namespace (service model metadata). */
export const IAM_VERSION = '2010-05-08';
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** STS's Query API version and XML namespace. */
export const STS_VERSION = '2011-06-15';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * The namespace AWS's front end uses for errors raised before an operation is found
 * (`InvalidAction`), observed on STS: not the service namespace.
 */
export const AWS_FAULT_NAMESPACE = 'http://webservices.amazon.com/AWSFault/2005-15-09';

/** What AWS prints for the version when the request has no `Version` parameter. */
export const NO_VERSION_SPECIFIED = 'NO_VERSION_SPECIFIED';

/** Where AWS redirects (302, empty body) a Query request without an `Action`. */
export const MISSING_ACTION_REDIRECT = 'https://aws.amazon.com/iam';
