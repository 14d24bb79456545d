import { Readable } from 'node:stream';
import {
  GenerateCredentialReportCommand,
  GetContextKeysForCustomPolicyCommand,
  GetCredentialReportCommand,
  IAMClient,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { IAM_NAMESPACE, IAM_POLICY_DOCUMENT_MEMBERS, parseQueryParams, renderError, renderResult, type XmlStructure } from '@latchkey/aws-query';
import { isAwsError } from '@latchkey/errors';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, allow, fixture, managedPolicy, setUserBoundary, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let client: IAMClient;

/**
 * The real SDK client, its requests answered in process: the form body is decoded and invoked
 * as root, the result rendered as the server does. Checks AWS's serialisation of the inputs
 * (lists, ContextEntries) and that the SDK's deserialiser reads the outputs (maps, blobs).
 */
beforeEach(async () => {
  f = await fixture();
  const handler = {
    async handle(request: HttpRequest) {
      const query = parseQueryParams(String(request.body));
      let status = 200;
      let body: string;
      try {
        const output = await f.iam.invoke(query.action!, query, f.root, f.env());
        body = renderResult(query.action!, IAM_NAMESPACE, output as XmlStructure | undefined, 'req-sdk', { urlEncodedMembers: IAM_POLICY_DOCUMENT_MEMBERS });
      } catch (err) {
        if (!isAwsError(err)) throw err;
        status = err.status;
        body = renderError(err, IAM_NAMESPACE, 'req-sdk');
      }
      return { response: new HttpResponse({ statusCode: status, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) }) };
    },
  };
  client = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: f.rootKeyId, secretAccessKey: f.rootSecret }, requestHandler: handler, maxAttempts: 1 });
});
afterEach(async () => {
  client.destroy();
  await f.close();
});

describe('simulation and credential report through @aws-sdk/client-iam', () => {
  it('SimulatePrincipalPolicy: decisions, matched statements, missing keys, boundary detail, decision-details map', async () => {
    await f.user('sdk-user', allow('s3:GetObject', '*', { StringEquals: { 'aws:PrincipalTag/team': 'blue' } }));
    await setUserBoundary(f.store, ACCOUNT, 'sdk-user', await managedPolicy(f.store, ACCOUNT, 'Bound', allow('s3:*')));
    const out = await client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/sdk-user`,
        ActionNames: ['s3:GetObject', 'sqs:SendMessage'],
        ResourceArns: [`arn:aws:s3:::b/k`],
        ContextEntries: [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: ['blue'], ContextKeyType: 'string' }],
      }),
    );
    const [get, sqs] = out.EvaluationResults!;
    expect(get).toMatchObject({ EvalActionName: 's3:GetObject', EvalDecision: 'allowed', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true } });
    expect(get!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: 'inline', SourcePolicyType: 'user', StartPosition: { Line: 1, Column: expect.any(Number) } });
    expect(get!.ResourceSpecificResults![0]).toMatchObject({ EvalResourceName: 'arn:aws:s3:::b/k', EvalResourceDecision: 'allowed' });
    expect(sqs).toMatchObject({ EvalDecision: 'implicitDeny', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } });
    expect(out.IsTruncated).toBe(false);
  });

  it('SimulateCustomPolicy: cross-account decision details arrive as a map; paging markers round-trip', async () => {
    const out = await client.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [allow('s3:GetObject')],
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::b/k'],
        ResourceOwner: 'arn:aws:iam::444455556666:root',
      }),
    );
    expect(out.EvaluationResults![0]!.EvalDecisionDetails).toEqual({ 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' });
    const page1 = await client.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allow('s3:*')], ActionNames: ['s3:A', 's3:B', 's3:C'], MaxItems: 2 }));
    expect(page1).toMatchObject({ IsTruncated: true, Marker: '2' });
    const page2 = await client.send(new SimulateCustomPolicyCommand({ PolicyInputList: [allow('s3:*')], ActionNames: ['s3:A', 's3:B', 's3:C'], MaxItems: 2, Marker: page1.Marker! }));
    expect(page2.EvaluationResults!.map((r) => r.EvalActionName)).toEqual(['s3:C']);
  });

  it('GetContextKeysForCustomPolicy returns ContextKeyNames', async () => {
    const out = await client.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [allow('s3:*', '*', { Bool: { 'aws:SecureTransport': 'true' } })] }));
    expect(out.ContextKeyNames).toEqual(['aws:SecureTransport']);
  });

  it('credential report: ReportNotPresent, STARTED then COMPLETE, base64 CSV content decoded by the SDK', async () => {
    await expect(client.send(new GetCredentialReportCommand({}))).rejects.toMatchObject({ name: 'CredentialReportNotPresentException', $metadata: { httpStatusCode: 410 } });
    expect(await client.send(new GenerateCredentialReportCommand({}))).toMatchObject({ State: 'STARTED' });
    expect(await client.send(new GenerateCredentialReportCommand({}))).toMatchObject({ State: 'COMPLETE' });
    const report = await client.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    expect(report.GeneratedTime).toEqual(new Date(f.clock.now));
    const csv = new TextDecoder().decode(report.Content);
    expect(csv.split('\n')[0]!.split(',')).toHaveLength(22);
    expect(csv.split('\n')[1]).toMatch(/^<root_account>,arn:aws:iam::111122223333:root,/);
  });
});
