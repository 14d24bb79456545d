// AWS's texts for MFA devices, login profiles and the password policy. Where AWS's wording was
// recorded (shared/reference, public issue threads) it is used verbatim; the rest follow the
// same forms and are listed as choices in the README.

export const noSuchMfaDevice = (serial: string): string => `MFA Device with serial number ${serial} does not exist.`;
export const mfaDeviceExists = (): string => 'MFADevice entity at the same path and name already exists.';
export const MFA_DEVICE_IN_USE = 'MFA Device is already in use.';
/** EnableMFADevice / ResyncMFADevice with codes that are wrong, reused or not consecutive. */
export const INVALID_AUTHENTICATION_CODE = 'Authentication code for device is not valid.';
export const mfaThrottled = (serial: string): string => `Too many invalid authentication codes for MFA device ${serial}. Try again later.`;

/** What STS answers (AccessDenied) when a TokenCode is wrong, reused, or the device is locked. */
export const MFA_INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';
/**
 * What STS answers when the SerialNumber is no device of the caller. Two spaces after "code.",
 * as AWS writes it (observed: aws/aws-cli#6325).
 */
export const MFA_UNKNOWN_DEVICE =
  'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';

export const noSuchLoginProfile = (userName: string): string => `Login Profile for User ${userName} cannot be found.`;
export const loginProfileExists = (userName: string): string => `Login Profile for user ${userName} already exists.`;
export const PASSWORD_REQUIRED = "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null";

export const noSuchPasswordPolicy = (accountId: string): string => `The Password Policy with domain name ${accountId} cannot be found.`;

export const CHANGE_PASSWORD_USER_TYPE = 'Only IAM users can change their own password with ChangePassword.';
export const OLD_PASSWORD_INCORRECT = 'The old password is incorrect.';
export const PASSWORD_CHANGE_THROTTLED = 'Too many password change attempts. Try again later.';
export const PASSWORD_HARD_EXPIRED = 'The password has expired and can only be reset by an administrator.';
