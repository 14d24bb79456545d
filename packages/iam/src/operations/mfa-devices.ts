import { enumOf, list, required, string, structure } from '@latchkey/aws-query';
import { DeleteConflict, EntityAlreadyExists, InvalidAuthenticationCode, LimitExceeded, NoSuchEntity } from '@latchkey/errors';
import { base64ToBytes, IAM_QUOTAS, iamConstraints as iam, MAX_TAGS_PER_RESOURCE, mergeTags, mfaDeviceArn, quotaExceeded, removeTags, userArn } from '@latchkey/model';
import type { MfaDeviceRecord, Tag, UserRecord } from '@latchkey/store';
import QRCode from 'qrcode';
import type { CredentialServices } from '../credential-services.js';
import { INVALID_AUTHENTICATION_CODE, MFA_DEVICE_IN_USE, mfaDeviceExists, mfaThrottled, noSuchMfaDevice } from '../credential-messages.js';
import { noSuchUser } from '../messages.js';
import { sealMfaSeed, unsealMfaSeed } from '../mfa-seed.js';
import { defineOperation, type AnyOperation, type OperationContext } from '../operation.js';
import { tagsOutput, userOutput } from '../outputs.js';
import { pageOutput, pageRequest } from '../paging.js';
import { pagingMembers, tagListShape } from '../shapes.js';
import { requestTags } from '../tags.js';
import { resourceTags, targetUser } from '../targets.js';
import { encodeMfaSeed, matchConsecutive, MFA_SEED_BYTES, otpauthUri, TOTP_TOLERANCE_STEPS, totpStep } from '../totp.js';
import { mfaThrottleKey } from '../verify-mfa-code.js';
import { withAfterRollback } from '../after-rollback.js';
import { activeLockout, recordMfaFailure } from '../failure-lockout.js';

/** ResyncMFADevice looks this many steps either side of now for the two codes (10 minutes). */
export const RESYNC_WINDOW_STEPS = 20;

// The model's authenticationCodeType, marked sensitive so a ValidationError never echoes a code.
const codeShape = required(string({ ...iam.authenticationCode, sensitive: true }));

/** The user named by `UserName` after authorization on its ARN; NoSuchEntity when it does not exist. */
async function authorizedUser(ctx: OperationContext, action: string, userName: string): Promise<UserRecord> {
  const user = await ctx.repos.users.getByName(ctx.accountId, userName);
  await ctx.authorize(action, user?.arn ?? userArn(ctx.accountId, '/', userName), { resourceTags: await resourceTags(ctx, 'user', user?.id) });
  if (user === undefined) throw new NoSuchEntity(noSuchUser(userName));
  return user;
}

/** A device of this account, after authorization on its serial (the device ARN). */
async function authorizedDevice(ctx: OperationContext, action: string, serial: string, extras: { requestTags?: readonly Tag[]; tagKeys?: readonly string[] } = {}) {
  const device = await ctx.repos.mfaDevices.get(ctx.accountId, serial, { forUpdate: true });
  const tags = device === undefined ? [] : await ctx.repos.tags.list(ctx.accountId, 'mfa', device.serial);
  await ctx.authorize(action, serial, {
    resourceTags: tags,
    ...(extras.requestTags === undefined ? {} : { requestTags: extras.requestTags }),
    ...(extras.tagKeys === undefined ? {} : { keys: { 'aws:TagKeys': [...extras.tagKeys] } }),
  });
  if (device === undefined) throw new NoSuchEntity(noSuchMfaDevice(serial));
  return { device, tags };
}

/**
 * Checks two consecutive codes of a device against its seed, refusing a device locked by the
 * failure backoff without looking at them. The step of the second code must be within `window`
 * steps of now and both steps after the last accepted one (no code is accepted twice). A wrong
 * pair counts against the device in the store after the call rolls back (`withAfterRollback`);
 * `enable`/`resync` clear the count on success.
 */
function consecutiveCodes(ctx: OperationContext, services: CredentialServices, device: MfaDeviceRecord, code1: string, code2: string, window: number): number {
  const key = mfaThrottleKey(ctx.accountId, device.serial);
  const at = ctx.now.getTime();
  if (activeLockout(device, at) !== undefined) throw new LimitExceeded(mfaThrottled(device.serial));
  const now = totpStep(ctx.now);
  // code1's step (found - 1) must also be newer than the last accepted step.
  const from = Math.max(now - window, (device.lastUsedStep ?? -Infinity) + 2);
  let step: number | undefined;
  if (from <= now + window) {
    const seed = unsealMfaSeed(ctx.keyring, device);
    try {
      step = matchConsecutive(seed, code1, code2, from, now + window);
    } finally {
      seed.fill(0);
    }
  }
  if (step === undefined) {
    throw withAfterRollback(new InvalidAuthenticationCode(INVALID_AUTHENTICATION_CODE), async (repos) => {
      await recordMfaFailure(repos, device, at, services.backoff);
    });
  }
  // The in-process throttle is STS's optional extra layer: a success here clears it too.
  services.mfaThrottle.success(key);
  return step;
}

/** 40 uniformly random bytes from the injected source (a secret access key is 30 of them, base64-encoded). */
function seedBytes(ctx: OperationContext): Uint8Array {
  const bytes = new Uint8Array(60);
  bytes.set(base64ToBytes(ctx.ids.secretAccessKey()) ?? new Uint8Array(30), 0);
  bytes.set(base64ToBytes(ctx.ids.secretAccessKey()) ?? new Uint8Array(30), 30);
  const seed = bytes.slice(0, MFA_SEED_BYTES);
  bytes.fill(0);
  return seed;
}

function mfaOutput(device: MfaDeviceRecord, user: UserRecord | undefined) {
  return {
    SerialNumber: device.serial,
    User: user === undefined ? undefined : userOutput(user),
    EnableDate: device.enabledAt === null ? undefined : new Date(device.enabledAt),
  };
}

export function mfaDeviceOperations(services: CredentialServices): AnyOperation[] {
  const CreateVirtualMFADevice = defineOperation({
    name: 'CreateVirtualMFADevice',
    sensitiveOutput: true,
    input: structure({ Path: string(iam.path), VirtualMFADeviceName: required(string(iam.virtualMFADeviceName)), Tags: tagListShape }),
    async run(ctx, input) {
      const path = input.Path ?? '/';
      const serial = mfaDeviceArn(ctx.accountId, path, input.VirtualMFADeviceName);
      const tags = requestTags(input.Tags);
      await ctx.authorize('iam:CreateVirtualMFADevice', serial, { requestTags: tags });
      if ((await ctx.repos.mfaDevices.get(ctx.accountId, serial)) !== undefined) throw new EntityAlreadyExists(mfaDeviceExists());
      const bytes = seedBytes(ctx);
      const seed = encodeMfaSeed(bytes);
      bytes.fill(0);
      await ctx.repos.mfaDevices.create({
        accountId: ctx.accountId,
        serial,
        name: input.VirtualMFADeviceName,
        path,
        seed: sealMfaSeed(ctx.keyring, serial, seed),
        createdAt: ctx.now.getTime(),
      });
      if (tags.length > 0) await ctx.repos.tags.put(ctx.accountId, 'mfa', serial, tags);
      const account = await ctx.repos.accounts.get(ctx.accountId);
      const uri = otpauthUri({ issuer: services.mfaIssuer, deviceName: input.VirtualMFADeviceName, accountName: account?.alias ?? ctx.accountId, seed });
      const png = await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M' });
      // The only response that ever carries the seed: it is shown once, here.
      return {
        VirtualMFADevice: {
          SerialNumber: serial,
          Base32StringSeed: new TextEncoder().encode(seed),
          QRCodePNG: new Uint8Array(png),
          Tags: tags.length > 0 ? tagsOutput(tags) : undefined,
        },
      };
    },
  });

  // EnableMFADevice and ResyncMFADevice take the same input: a device and two consecutive codes.
  const twoCodesInput = structure({
    UserName: required(string(iam.existingUserName)),
    SerialNumber: required(string(iam.serialNumber)),
    AuthenticationCode1: codeShape,
    AuthenticationCode2: codeShape,
  });

  const EnableMFADevice = defineOperation({
    name: 'EnableMFADevice',
    input: twoCodesInput,
    async run(ctx, input) {
      const user = await authorizedUser(ctx, 'iam:EnableMFADevice', input.UserName);
      // Lock the user before counting its devices, so two enables cannot both pass the quota.
      await ctx.repos.users.getById(ctx.accountId, user.id, { forUpdate: true });
      const device = await ctx.repos.mfaDevices.get(ctx.accountId, input.SerialNumber, { forUpdate: true });
      if (device === undefined) throw new NoSuchEntity(noSuchMfaDevice(input.SerialNumber));
      if (device.userId !== null) throw new EntityAlreadyExists(MFA_DEVICE_IN_USE);
      if ((await ctx.repos.mfaDevices.listForUser(ctx.accountId, user.id)).length >= IAM_QUOTAS.MFADevicesPerUser) {
        throw quotaExceeded('MFADevicesPerUser', IAM_QUOTAS.MFADevicesPerUser);
      }
      const step = consecutiveCodes(ctx, services, device, input.AuthenticationCode1, input.AuthenticationCode2, TOTP_TOLERANCE_STEPS);
      if (!(await ctx.repos.mfaDevices.enable(ctx.accountId, device.serial, user.id, ctx.now.getTime(), step))) throw new EntityAlreadyExists(MFA_DEVICE_IN_USE);
      return undefined;
    },
  });

  const ResyncMFADevice = defineOperation({
    name: 'ResyncMFADevice',
    input: twoCodesInput,
    async run(ctx, input) {
      const user = await authorizedUser(ctx, 'iam:ResyncMFADevice', input.UserName);
      const device = await ctx.repos.mfaDevices.get(ctx.accountId, input.SerialNumber, { forUpdate: true });
      if (device === undefined || device.userId !== user.id) throw new NoSuchEntity(noSuchMfaDevice(input.SerialNumber));
      const step = consecutiveCodes(ctx, services, device, input.AuthenticationCode1, input.AuthenticationCode2, RESYNC_WINDOW_STEPS);
      await ctx.repos.mfaDevices.resync(ctx.accountId, device.serial, step, ctx.now.getTime());
      return undefined;
    },
  });

  const DeactivateMFADevice = defineOperation({
    name: 'DeactivateMFADevice',
    input: structure({ UserName: string(iam.existingUserName), SerialNumber: required(string(iam.serialNumber)) }),
    async run(ctx, input) {
      const target = await targetUser(ctx, input.UserName);
      if (target.kind === 'root') {
        await ctx.authorize('iam:DeactivateMFADevice', target.arn);
        // Root MFA devices are not modelled: no device is ever the root's.
        throw new NoSuchEntity(noSuchMfaDevice(input.SerialNumber));
      }
      const user = await authorizedUser(ctx, 'iam:DeactivateMFADevice', target.name);
      const device = await ctx.repos.mfaDevices.get(ctx.accountId, input.SerialNumber, { forUpdate: true });
      if (device === undefined || device.userId !== user.id) throw new NoSuchEntity(noSuchMfaDevice(input.SerialNumber));
      await ctx.repos.mfaDevices.deactivate(ctx.accountId, device.serial);
      return undefined;
    },
  });

  const DeleteVirtualMFADevice = defineOperation({
    name: 'DeleteVirtualMFADevice',
    input: structure({ SerialNumber: required(string(iam.serialNumber)) }),
    async run(ctx, input) {
      const { device } = await authorizedDevice(ctx, 'iam:DeleteVirtualMFADevice', input.SerialNumber);
      // AWS's generic DeleteConflict text (recorded): deactivate the device first.
      if (device.userId !== null) throw new DeleteConflict('Cannot delete entity, must remove referenced objects first.');
      await ctx.repos.mfaDevices.delete(ctx.accountId, device.serial);
      services.mfaThrottle.success(mfaThrottleKey(ctx.accountId, device.serial));
      return undefined;
    },
  });

  const ListMFADevices = defineOperation({
    name: 'ListMFADevices',
    readOnly: true,
    input: structure({ UserName: string(iam.existingUserName), ...pagingMembers }),
    async run(ctx, input) {
      const target = await targetUser(ctx, input.UserName);
      if (target.kind === 'root') {
        await ctx.authorize('iam:ListMFADevices', target.arn);
        return { MFADevices: [], IsTruncated: false };
      }
      const user = await authorizedUser(ctx, 'iam:ListMFADevices', target.name);
      const devices = await ctx.repos.mfaDevices.listForUser(ctx.accountId, user.id);
      // At most 8 devices per user: page in memory, the marker being the last serial returned.
      const start = input.Marker === undefined ? 0 : devices.findIndex((d) => d.serial === input.Marker) + 1;
      const max = input.MaxItems ?? 100;
      const slice = devices.slice(start, start + max);
      const truncated = start + max < devices.length;
      return {
        MFADevices: slice.map((d) => ({ UserName: user.name, SerialNumber: d.serial, EnableDate: new Date(d.enabledAt ?? d.createdAt) })),
        IsTruncated: truncated,
        Marker: truncated ? slice[slice.length - 1]?.serial : undefined,
      };
    },
  });

  const GetMFADevice = defineOperation({
    name: 'GetMFADevice',
    readOnly: true,
    input: structure({ SerialNumber: required(string(iam.serialNumber)), UserName: string(iam.userName) }),
    async run(ctx, input) {
      const target = await targetUser(ctx, input.UserName);
      if (target.kind === 'root') {
        await ctx.authorize('iam:GetMFADevice', target.arn);
        throw new NoSuchEntity(noSuchMfaDevice(input.SerialNumber));
      }
      const user = await authorizedUser(ctx, 'iam:GetMFADevice', target.name);
      const device = await ctx.repos.mfaDevices.get(ctx.accountId, input.SerialNumber);
      if (device === undefined || device.userId !== user.id) throw new NoSuchEntity(noSuchMfaDevice(input.SerialNumber));
      // Certifications describe FIDO security keys; virtual devices have none.
      return { UserName: user.name, SerialNumber: device.serial, EnableDate: new Date(device.enabledAt ?? device.createdAt) };
    },
  });

  const ListVirtualMFADevices = defineOperation({
    name: 'ListVirtualMFADevices',
    readOnly: true,
    input: structure({ AssignmentStatus: enumOf(['Assigned', 'Unassigned', 'Any']), ...pagingMembers }),
    async run(ctx, input) {
      await ctx.authorize('iam:ListVirtualMFADevices', '*');
      const request = pageRequest(input);
      const page = await ctx.repos.mfaDevices.list(ctx.accountId, {
        maxItems: request.maxItems,
        ...(request.marker === undefined ? {} : { marker: request.marker }),
        assignment: input.AssignmentStatus ?? 'Any',
      });
      const devices = [];
      for (const device of page.items) {
        const user = device.userId === null ? undefined : await ctx.repos.users.getById(ctx.accountId, device.userId);
        devices.push(mfaOutput(device, user));
      }
      return { VirtualMFADevices: devices, ...pageOutput(page) };
    },
  });

  const TagMFADevice = defineOperation({
    name: 'TagMFADevice',
    input: structure({ SerialNumber: required(string(iam.serialNumber)), Tags: required(tagListShape) }),
    async run(ctx, input) {
      const incoming = requestTags(input.Tags);
      const { device, tags } = await authorizedDevice(ctx, 'iam:TagMFADevice', input.SerialNumber, { requestTags: incoming });
      // Tag keys on MFA devices are case-sensitive (IAM User Guide, "Tagging IAM resources").
      const merged = mergeTags(tagsOutput(tags), tagsOutput(incoming), false);
      if (merged.length > MAX_TAGS_PER_RESOURCE) throw quotaExceeded('TagsPerResource', MAX_TAGS_PER_RESOURCE);
      await ctx.repos.tags.put(ctx.accountId, 'mfa', device.serial, incoming);
      return undefined;
    },
  });

  const UntagMFADevice = defineOperation({
    name: 'UntagMFADevice',
    input: structure({ SerialNumber: required(string(iam.serialNumber)), TagKeys: required(list(string(iam.tagKey), iam.tagKeys)) }),
    async run(ctx, input) {
      const { device, tags } = await authorizedDevice(ctx, 'iam:UntagMFADevice', input.SerialNumber, { tagKeys: input.TagKeys });
      if (removeTags(tagsOutput(tags), input.TagKeys, false).length !== tags.length) await ctx.repos.tags.remove(ctx.accountId, 'mfa', device.serial, input.TagKeys);
      return undefined;
    },
  });

  const ListMFADeviceTags = defineOperation({
    name: 'ListMFADeviceTags',
    readOnly: true,
    input: structure({ SerialNumber: required(string(iam.serialNumber)), ...pagingMembers }),
    async run(ctx, input) {
      const { tags } = await authorizedDevice(ctx, 'iam:ListMFADeviceTags', input.SerialNumber);
      const start = input.Marker === undefined ? 0 : Math.max(0, Number.parseInt(input.Marker, 10) || 0);
      const max = input.MaxItems ?? 100;
      const truncated = start + max < tags.length;
      return { Tags: tagsOutput(tags.slice(start, start + max)), IsTruncated: truncated, Marker: truncated ? String(start + max) : undefined };
    },
  });

  return [
    CreateVirtualMFADevice,
    EnableMFADevice,
    ResyncMFADevice,
    DeactivateMFADevice,
    DeleteVirtualMFADevice,
    GetMFADevice,
    ListMFADevices,
    ListVirtualMFADevices,
    TagMFADevice,
    UntagMFADevice,
    ListMFADeviceTags,
  ];
}
