import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { parseXML } from '@aws-sdk/xml-builder';
import { EntityAlreadyExists, InternalFailure, InvalidAction, NoSuchEntity, SignatureDoesNotMatch, ValidationError } from '@latchkey/errors';
import samples from './cases/wire-samples.json' with { type: 'json' };
import { CreateRoleInput } from './fixtures/operations.js';
import { wellFormedProblem } from './helpers/xml-well-formed.js';
import {
  AWS_FAULT_NAMESPACE,
  IAM_POLICY_DOCUMENT_MEMBERS,
  IAM_NAMESPACE,
  STS_NAMESPACE,
  XML_REPLACEMENT,
  XmlMap,
  decodePolicyDocument,
  encodePolicyDocument,
  errorNamespace,
  escapeXml,
  formatTimestamp,
  parseQueryParams,
  readInput,
  renderError,
  renderMembers,
  renderResult,
} from '../src/index.js';

const sample = (file: string) => samples.exchanges.find((e) => e.file === file)!;
// moto writes microseconds; AWS writes whole seconds (a deviation the samples flag).
const wholeSeconds = (xml: string) => xml.replace(/(T\d{2}:\d{2}:\d{2})\.\d+Z/g, '$1Z');
const text = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)![1]!;
const date = (xml: string, tag: string) => new Date(wholeSeconds(text(xml, tag)));

describe('renderResult against the wire samples', () => {
  it('CreateAccessKey', () => {
    const s = sample('iam-createaccesskey.txt');
    const xml = renderResult(
      'CreateAccessKey',
      IAM_NAMESPACE,
      { AccessKey: { UserName: 'alice', AccessKeyId: 'AKIARZPUZDIKD5LCGAGW', Status: 'Active', SecretAccessKey: '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', CreateDate: date(s.responseBody, 'CreateDate') } },
      s.requestId,
    );
    expect(xml).toBe(wholeSeconds(s.responseBody));
  });

  it('CreateUser with Tags as <member> lists', () => {
    const s = sample('iam-createuser-with-tags.txt');
    const xml = renderResult(
      'CreateUser',
      IAM_NAMESPACE,
      { User: { Path: '/eng/', UserName: 'alice', UserId: 'o7llkcomyvkk7cr59ega', Arn: 'arn:aws:iam::123456789012:user/eng/alice', CreateDate: date(s.responseBody, 'CreateDate'), Tags: [{ Key: 'team', Value: 'core' }] } },
      s.requestId,
    );
    expect(xml).toBe(wholeSeconds(s.responseBody));
  });

  it('CreateRole with the trust policy URL-encoded as AWS does (moto leaves / unescaped)', () => {
    const s = sample('iam-createrole-urlencoded-policy.txt');
    const input = readInput(CreateRoleInput, parseQueryParams(s.requestBody));
    const xml = renderResult(
      'CreateRole',
      IAM_NAMESPACE,
      {
        Role: {
          Path: '/',
          RoleName: input.RoleName,
          RoleId: 'AROARZPUZDIKCBRT4Q6UJ',
          Arn: 'arn:aws:iam::123456789012:role/svc-reader',
          CreateDate: date(s.responseBody, 'CreateDate'),
          AssumeRolePolicyDocument: encodePolicyDocument(input.AssumeRolePolicyDocument),
          MaxSessionDuration: input.MaxSessionDuration,
          RoleLastUsed: {},
        },
      },
      s.requestId,
    );
    const awsForm = wholeSeconds(s.responseBody).replace('user/eng/alice', 'user%2Feng%2Falice');
    expect(xml).toBe(awsForm);
    expect(JSON.parse(decodePolicyDocument(text(xml, 'AssumeRolePolicyDocument')))).toEqual(JSON.parse(input.AssumeRolePolicyDocument));
  });

  it('CreateRole with urlEncodedMembers: the service returns raw JSON, the renderer encodes it', () => {
    const s = sample('iam-createrole-urlencoded-policy.txt');
    const input = readInput(CreateRoleInput, parseQueryParams(s.requestBody));
    const role = {
      Path: '/',
      RoleName: input.RoleName,
      RoleId: 'AROARZPUZDIKCBRT4Q6UJ',
      Arn: 'arn:aws:iam::123456789012:role/svc-reader',
      CreateDate: date(s.responseBody, 'CreateDate'),
      AssumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      MaxSessionDuration: input.MaxSessionDuration,
      RoleLastUsed: {},
    };
    const xml = renderResult('CreateRole', IAM_NAMESPACE, { Role: role }, s.requestId, { urlEncodedMembers: IAM_POLICY_DOCUMENT_MEMBERS });
    expect(xml).toBe(wholeSeconds(s.responseBody).replace('user/eng/alice', 'user%2Feng%2Falice'));
  });

  it('encodes policy documents at any depth (lists of policy versions, authorization details)', () => {
    const xml = renderMembers(
      { Versions: [{ Document: '{"a": "b/c"}', VersionId: 'v1' }], UserDetailList: [{ UserPolicyList: [{ PolicyName: 'p', PolicyDocument: '{}' }] }] },
      { urlEncodedMembers: IAM_POLICY_DOCUMENT_MEMBERS },
    );
    expect(xml).toBe(
      '<Versions><member><Document>%7B%22a%22%3A%20%22b%2Fc%22%7D</Document><VersionId>v1</VersionId></member></Versions>' +
        '<UserDetailList><member><UserPolicyList><member><PolicyName>p</PolicyName><PolicyDocument>%7B%7D</PolicyDocument></member></UserPolicyList></member></UserDetailList>',
    );
    expect(renderMembers({ Document: '{}' })).toBe('<Document>{}</Document>');
  });

  it('GetCallerIdentity', () => {
    const s = sample('sts-getcalleridentity-session-credentials.txt');
    const xml = renderResult(
      'GetCallerIdentity',
      STS_NAMESPACE,
      { UserId: 'AROARZPUZDIKCBRT4Q6UJ:alice-session', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/svc-reader/alice-session' },
      s.requestId,
    );
    expect(xml).toBe(s.responseBody);
  });

  for (const file of ['sts-assumerole-boto3.txt', 'sts-assumerole-awscli.txt', 'sts-assumerole-js-sdk-v3.txt', 'sts-getsessiontoken-moto-deviation.txt']) {
    it(`credentials answer of ${file}`, () => {
      const s = sample(file);
      const body = s.responseBody;
      const action = /^<(\w+)Response /.exec(body)![1]!;
      const credentials = {
        AccessKeyId: text(body, 'AccessKeyId'),
        SecretAccessKey: text(body, 'SecretAccessKey'),
        SessionToken: text(body, 'SessionToken'),
        Expiration: date(body, 'Expiration'),
      };
      const result =
        action === 'AssumeRole'
          ? { Credentials: credentials, AssumedRoleUser: { AssumedRoleId: text(body, 'AssumedRoleId'), Arn: text(body, 'Arn') }, PackedPolicySize: Number(text(body, 'PackedPolicySize')) }
          : { Credentials: credentials };
      expect(renderResult(action, STS_NAMESPACE, result, s.requestId)).toBe(wholeSeconds(body));
    });
  }
});

describe('renderResult', () => {
  it('writes no Result element for an operation without output', () => {
    expect(renderResult('DeleteUser', IAM_NAMESPACE, undefined, 'r-1')).toBe(
      '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DeleteUserResponse>',
    );
  });

  it('writes an empty Result element for an empty output structure (UpdateRole)', () => {
    expect(renderResult('UpdateRole', IAM_NAMESPACE, {}, 'r-1')).toBe(
      '<UpdateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><UpdateRoleResult/><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></UpdateRoleResponse>',
    );
  });

  it('renders booleans, integers, maps, blobs, empty lists, and omits absent members', () => {
    expect(
      renderMembers({
        IsTruncated: false,
        Marker: undefined,
        Gone: null,
        Users: [],
        SummaryMap: new XmlMap([['UsersQuota', 5000], ['Users', 2]]),
        Seed: Uint8Array.from([104, 105]),
        Big: 10n,
      }),
    ).toBe('<IsTruncated>false</IsTruncated><Users/><SummaryMap><entry><key>UsersQuota</key><value>5000</value></entry><entry><key>Users</key><value>2</value></entry></SummaryMap><Seed>aGk=</Seed><Big>10</Big>');
    expect(renderMembers({ M: new XmlMap({ a: 'x' }) })).toBe('<M><entry><key>a</key><value>x</value></entry></M>');
  });

  it('refuses values that have no XML form', () => {
    expect(() => renderMembers({ N: Number.NaN })).toThrow(TypeError);
    expect(() => renderMembers({ D: new Date(Number.NaN) })).toThrow(TypeError);
  });

  it('escapes every echoed value', () => {
    const xml = renderResult('GetUser', IAM_NAMESPACE, { User: { UserName: `a<b>&"c'` } }, '<id>');
    expect(xml).toContain('<UserName>a&lt;b&gt;&amp;&quot;c&apos;</UserName>');
    expect(xml).toContain('<RequestId>&lt;id&gt;</RequestId>');
  });
});

describe('formatTimestamp', () => {
  it('writes whole seconds in UTC', () => {
    expect(formatTimestamp(new Date('2026-11-27T19:13:12.797Z'))).toBe('2026-11-27T19:13:12Z');
    expect(formatTimestamp(new Date('2026-11-27T21:13:12+02:00'))).toBe('2026-11-27T19:13:12Z');
  });
});

describe('renderError', () => {
  it('matches the captured IAM error envelopes without moto\'s extra <message>', () => {
    const cases: [string, Error & { code: string }][] = [
      ['iam-error-nosuchentity.txt', new NoSuchEntity('The user with name nobody cannot be found.')],
      ['iam-error-entityalreadyexists.txt', new EntityAlreadyExists('User alice already exists')],
    ];
    for (const [file, error] of cases) {
      const s = sample(file);
      const expected = s.responseBody.replace(/<message>[^<]*<\/message>/, '');
      expect(renderError(error as NoSuchEntity, IAM_NAMESPACE, s.requestId)).toBe(expected);
    }
  });

  it('writes the canonical envelope for auth errors (moto uses the EC2 form; AWS does not)', () => {
    const e = new SignatureDoesNotMatch('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    expect(renderError(e, STS_NAMESPACE, 'r')).toBe(
      `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${e.message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
    );
  });

  it('writes Receiver for server faults and never the detail', () => {
    const xml = renderError(new InternalFailure('oops', { detail: 'db password=hunter2' }), IAM_NAMESPACE, 'r');
    expect(xml).toContain('<Type>Receiver</Type>');
    expect(xml).not.toContain('hunter2');
  });

  it('escapes the message', () => {
    expect(renderError(new ValidationError("Value '<x>' at 'a&b'"), IAM_NAMESPACE, 'r')).toContain("<Message>Value &apos;&lt;x&gt;&apos; at &apos;a&amp;b&apos;</Message>");
  });

  it('uses the AWSFault namespace for InvalidAction only', () => {
    expect(errorNamespace(new InvalidAction('x'), STS_NAMESPACE)).toBe(AWS_FAULT_NAMESPACE);
    expect(errorNamespace(new ValidationError('x'), STS_NAMESPACE)).toBe(STS_NAMESPACE);
  });
});

describe('encodePolicyDocument', () => {
  it('percent-encodes everything but RFC 3986 unreserved characters', () => {
    expect(encodePolicyDocument('{"Resource": "arn:aws:s3:::b/*", "x": "!\'()~._-"}')).toBe(
      '%7B%22Resource%22%3A%20%22arn%3Aaws%3As3%3A%3A%3Ab%2F%2A%22%2C%20%22x%22%3A%20%22%21%27%28%29~._-%22%7D',
    );
  });

  it('round-trips any string, keeping literal % sequences intact', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const encoded = encodePolicyDocument(s);
        expect(encoded).toMatch(/^[A-Za-z0-9\-._~%]*$/);
        expect(decodePolicyDocument(encoded)).toBe(s);
      }),
    );
    expect(decodePolicyDocument(encodePolicyDocument('{"Resource":"a%2Fb"}'))).toBe('{"Resource":"a%2Fb"}');
  });

  it('replaces unpaired surrogates instead of throwing', () => {
    expect(decodePolicyDocument(encodePolicyDocument('a\uD800b'))).toBe('a\uFFFDb');
  });
});

// Strings that exercise every escaping path: markup, quotes, CR/LF/TAB, C0 controls, U+FFFE/FFFF,
// lone and paired surrogates, and ordinary text.
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", '\r', '\n', '\t', '\u0000', '\u0001', '\u001F', '\u007F', '\u0085', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '😀', ']]>', '&amp;'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }),
  ),
  maxLength: 40,
});

// What a value becomes once XML 1.0 has carried it: characters it cannot carry turn into U+FFFD.
function carried(s: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/g, (c) => (c.length === 2 ? c : XML_REPLACEMENT));
}

describe('renderResult / renderError well-formedness', () => {
  it('is well-formed XML 1.0 for arbitrary strings, and the JS SDK parser reads the value back', () => {
    fc.assert(
      fc.property(nasty, nasty, (value, requestId) => {
        const xml = renderResult('GetUser', IAM_NAMESPACE, { User: { UserName: value, Tags: [{ Key: value, Value: value }] } }, requestId);
        expect(wellFormedProblem(xml)).toBeUndefined();
        expect(wellFormedProblem(renderError(new ValidationError(value), IAM_NAMESPACE, requestId))).toBeUndefined();
        // The SDK's parser drops whitespace-only text that contains a newline; that is its rule, not ours.
        if (!(value.trim() === '' && /[\n\r]/.test(value))) {
          const parsed = parseXML(xml) as { GetUserResponse: { GetUserResult: { User: { UserName: string } } } };
          expect(parsed.GetUserResponse.GetUserResult.User.UserName).toBe(carried(value));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the checker itself rejects what XML 1.0 forbids', () => {
    expect(wellFormedProblem('<a>x</a>')).toBeUndefined();
    for (const bad of ['<a>\u0000</a>', '<a>&#0;</a>', '<a><b></a>', '<a>&nbsp;</a>', '<a>\uD800</a>', '<a>x</a><b/>', '<a x="<">y</a>']) {
      expect(wellFormedProblem(bad), bad).toBeDefined();
    }
  });

  const python = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)('is accepted by a strict parser (Python expat, what botocore uses) with the values intact', () => {
    const values = fc.sample(nasty, { numRuns: 300, seed: 42 });
    const docs = values.map((v) => renderResult('GetUser', IAM_NAMESPACE, { User: { UserName: v } }, 'r'));
    const script = [
      'import json, sys, xml.etree.ElementTree as ET',
      'out = []',
      'for d in json.load(sys.stdin):',
      '    try:',
      '        e = ET.fromstring(d.encode("utf-8"))',
      '        n = e.find(".//{https://iam.amazonaws.com/doc/2010-05-08/}UserName")',
      '        out.append(n.text or "")',
      '    except Exception as ex:',
      '        out.append({"error": str(ex)})',
      'json.dump(out, sys.stdout)',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(docs), encoding: 'utf8', maxBuffer: 16 << 20 });
    expect(run.status, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as (string | { error: string })[];
    parsed.forEach((p, i) => expect(p).toBe(carried(values[i]!)));
  });
});

describe('escapeXml', () => {
  it('leaves ordinary text untouched and keeps CR as a reference', () => {
    expect(escapeXml('alice-session')).toBe('alice-session');
    expect(escapeXml('a\r\nb')).toBe('a&#13;\nb');
    expect(escapeXml('a\u0000b\uFFFFc😀')).toBe(`a${XML_REPLACEMENT}b${XML_REPLACEMENT}c😀`);
  });
});
