import { defineAwsError } from './aws-error.js';

// Statuses follow the IAM and STS service models (see shared/reference/sts-iam-api.md §1.4);
// unmodelled common codes follow what AWS answers on the wire.

// --- common to every Query service
export class AccessDenied extends defineAwsError('AccessDenied', 403) {}
export class InvalidAction extends defineAwsError('InvalidAction', 400) {}
export class MissingAction extends defineAwsError('MissingAction', 400) {}
export class MissingParameter extends defineAwsError('MissingParameter', 400) {}
export class InvalidParameterValue extends defineAwsError('InvalidParameterValue', 400) {}
export class InvalidParameterCombination extends defineAwsError('InvalidParameterCombination', 400) {}
export class InvalidQueryParameter extends defineAwsError('InvalidQueryParameter', 400) {}
export class MalformedQueryString extends defineAwsError('MalformedQueryString', 404) {}
// What AWS Query services answer when a parameter cannot be deserialised (e.g. DurationSeconds=abc).
export class MalformedInput extends defineAwsError('MalformedInput', 400) {}
export class ValidationError extends defineAwsError('ValidationError', 400) {}
export class Throttling extends defineAwsError('Throttling', 400) {}
export class RequestEntityTooLarge extends defineAwsError('RequestEntityTooLarge', 413) {}
export class InternalFailure extends defineAwsError('InternalFailure', 500, 'Receiver') {}
export class ServiceUnavailable extends defineAwsError('ServiceUnavailable', 503, 'Receiver') {}

// --- authentication (SigV4)
export class IncompleteSignature extends defineAwsError('IncompleteSignature', 400) {}
export class SignatureDoesNotMatch extends defineAwsError('SignatureDoesNotMatch', 403) {}
export class InvalidClientTokenId extends defineAwsError('InvalidClientTokenId', 403) {}
export class MissingAuthenticationToken extends defineAwsError('MissingAuthenticationToken', 403) {}
export class ExpiredToken extends defineAwsError('ExpiredToken', 403) {}
export class RequestExpired extends defineAwsError('RequestExpired', 400) {}
export class UnrecognizedClient extends defineAwsError('UnrecognizedClient', 403) {}
// S3-mode signature errors
export class AuthorizationHeaderMalformed extends defineAwsError('AuthorizationHeaderMalformed', 400) {}
export class AuthorizationQueryParametersError extends defineAwsError('AuthorizationQueryParametersError', 400) {}
export class InvalidAccessKeyId extends defineAwsError('InvalidAccessKeyId', 403) {}
export class RequestTimeTooSkewed extends defineAwsError('RequestTimeTooSkewed', 403) {}
export class XAmzContentSHA256Mismatch extends defineAwsError('XAmzContentSHA256Mismatch', 400) {}

// --- IAM
export class NoSuchEntity extends defineAwsError('NoSuchEntity', 404) {}
export class EntityAlreadyExists extends defineAwsError('EntityAlreadyExists', 409) {}
export class LimitExceeded extends defineAwsError('LimitExceeded', 409) {}
export class DeleteConflict extends defineAwsError('DeleteConflict', 409) {}
export class ConcurrentModification extends defineAwsError('ConcurrentModification', 409) {}
export class EntityTemporarilyUnmodifiable extends defineAwsError('EntityTemporarilyUnmodifiable', 409) {}
export class ReportGenerationLimitExceeded extends defineAwsError('ReportGenerationLimitExceeded', 409) {}
export class InvalidInput extends defineAwsError('InvalidInput', 400) {}
export class MalformedPolicyDocument extends defineAwsError('MalformedPolicyDocument', 400) {}
export class PolicyNotAttachable extends defineAwsError('PolicyNotAttachable', 400) {}
export class UnmodifiableEntity extends defineAwsError('UnmodifiableEntity', 400) {}
export class PasswordPolicyViolation extends defineAwsError('PasswordPolicyViolation', 400) {}
export class InvalidUserType extends defineAwsError('InvalidUserType', 400) {}
export class InvalidAuthenticationCode extends defineAwsError('InvalidAuthenticationCode', 403) {}
export class ReportNotPresent extends defineAwsError('ReportNotPresent', 410) {}
export class ReportExpired extends defineAwsError('ReportExpired', 410) {}
export class ReportInProgress extends defineAwsError('ReportInProgress', 404) {}
export class OpenIdIdpCommunicationError extends defineAwsError('OpenIdIdpCommunicationError', 400) {}
export class ServiceFailure extends defineAwsError('ServiceFailure', 500, 'Receiver') {}
export class PolicyEvaluation extends defineAwsError('PolicyEvaluation', 500, 'Receiver') {}

// --- STS
export class PackedPolicyTooLarge extends defineAwsError('PackedPolicyTooLarge', 400) {}
export class ExpiredTokenException extends defineAwsError('ExpiredTokenException', 400) {}
export class InvalidIdentityToken extends defineAwsError('InvalidIdentityToken', 400) {}
export class IDPCommunicationError extends defineAwsError('IDPCommunicationError', 400) {}
export class IDPRejectedClaim extends defineAwsError('IDPRejectedClaim', 403) {}
export class RegionDisabledException extends defineAwsError('RegionDisabledException', 403) {}
export class InvalidAuthorizationMessageException extends defineAwsError('InvalidAuthorizationMessageException', 400) {}

// --- S3-mode request errors used by @latchkey/sigv4
export class InvalidRequest extends defineAwsError('InvalidRequest', 400) {}
export class InvalidArgument extends defineAwsError('InvalidArgument', 400) {}
export class IncompleteBody extends defineAwsError('IncompleteBody', 400) {}

// --- AWS JSON protocols (the Latchkey internal API speaks AWS JSON 1.1)
export class ValidationException extends defineAwsError('ValidationException', 400) {}
export class SerializationException extends defineAwsError('SerializationException', 400) {}
export class UnknownOperationException extends defineAwsError('UnknownOperationException', 400) {}
export class ResourceNotFoundException extends defineAwsError('ResourceNotFoundException', 400) {}
export class LimitExceededException extends defineAwsError('LimitExceededException', 400) {}

// --- Latchkey extensions (no AWS counterpart)
// Password sign-in (STS LatchkeySignIn): the password is correct but must be changed first
// (the login profile's PasswordResetRequired, or expired under MaxPasswordAge).
export class PasswordResetRequired extends defineAwsError('PasswordResetRequired', 403) {}
