// Regenerates format-vectors.json with node:crypto only (independent of the package):
//   node test/cases/format-vectors.generate.mjs > test/cases/format-vectors.json
// Only regenerate on a deliberate format change (which also needs a new format version).
import { Buffer } from 'node:buffer';
import { createCipheriv, hkdfSync } from 'node:crypto';
import { stdout } from 'node:process';
const sub = (m, label) => Buffer.from(hkdfSync('sha256', m, Buffer.alloc(0), label, 32));
const b64 = (b) => Buffer.from(b).toString('base64url');
const envelope = [
  { name: 'secret access key', keyId: 'k1', masterKeyHex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', nonceHex: '000000000000000000000001', aad: 'secret-access-key:AKIAIOSFODNN7EXAMPLE', plaintext: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  { name: 'MFA seed, other key', keyId: 'prod-2027', masterKeyHex: 'f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101', nonceHex: 'cafebabefacedbaddecaf888', aad: 'mfa-seed:arn:aws:iam::123456789012:mfa/alice', plaintext: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
  { name: 'empty plaintext, unicode owner', keyId: 'k_2', masterKeyHex: '5555555555555555555555555555555555555555555555555555555555555554', nonceHex: 'ffffffffffffffffffffffff', aad: 'owner:ünïcødé ✓', plaintext: '' },
].map((v) => {
  const c = createCipheriv('aes-256-gcm', sub(Buffer.from(v.masterKeyHex, 'hex'), 'latchkey/envelope/v1'), Buffer.from(v.nonceHex, 'hex'));
  c.setAAD(Buffer.from(`v1\u0000${v.keyId}\u0000${v.aad}`, 'utf8'));
  const sealed = Buffer.concat([c.update(v.plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return { ...v, ciphertext: `v1.${v.keyId}.${b64(Buffer.from(v.nonceHex, 'hex'))}.${b64(sealed)}` };
});
const T0 = 1800000000;
const sessions = [
  { name: 'assumed role', keyId: 'k1', masterKeyHex: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', ivHex: '0102030405060708090a0b0c',
    session: { type: 'AssumedRole', accessKeyId: 'ASIARZPUZDIKD5LCGAGW', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', accountId: '123456789012', principalArn: 'arn:aws:sts::123456789012:assumed-role/Deploy/ci-run-42', principalId: 'AROARZPUZDIKEXAMPLE12:ci-run-42', roleArn: 'arn:aws:iam::123456789012:role/service/Deploy', issuedAt: T0, expiresAt: T0 + 3600 },
    payload: `{"v":1,"t":"r","a":"ASIARZPUZDIKD5LCGAGW","s":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","c":"123456789012","p":"arn:aws:sts::123456789012:assumed-role/Deploy/ci-run-42","i":"AROARZPUZDIKEXAMPLE12:ci-run-42","r":"arn:aws:iam::123456789012:role/service/Deploy","ia":${T0},"ex":${T0 + 3600}}` },
  { name: 'MFA session token of a user, every optional claim', keyId: 'k2', masterKeyHex: 'f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101', ivHex: 'aabbccddeeff001122334455',
    session: { type: 'IAMUser', accessKeyId: 'ASIARZPUZDIKEXAMPLE2', secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', accountId: '123456789012', principalArn: 'arn:aws:iam::123456789012:user/alice', principalId: 'AIDARZPUZDIKEXAMPLE3', sourceAccessKeyId: 'AKIARZPUZDIKEXAMPLE1', sessionPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', sessionPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], sessionPolicyHash: 'sha256:00', tags: [{ key: 'Project', value: 'Latchkey' }], transitiveTagKeys: ['Project'], sourceIdentity: 'alice', mfaAuthenticatedAt: T0 - 5, issuedAt: T0, expiresAt: T0 + 43200, attributes: { sub: 'repo:acme/app' } },
    payload: `{"v":1,"t":"u","a":"ASIARZPUZDIKEXAMPLE2","s":"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY","c":"123456789012","p":"arn:aws:iam::123456789012:user/alice","i":"AIDARZPUZDIKEXAMPLE3","k":"AKIARZPUZDIKEXAMPLE1","sp":"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\"}]}","ph":"sha256:00","si":"alice","pa":["arn:aws:iam::aws:policy/ReadOnlyAccess"],"g":[["Project","Latchkey"]],"tt":["Project"],"m":${T0 - 5},"ia":${T0},"ex":${T0 + 43200},"x":{"sub":"repo:acme/app"}}` },
].map((v) => {
  const header = b64(Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: v.keyId })));
  const c = createCipheriv('aes-256-gcm', sub(Buffer.from(v.masterKeyHex, 'hex'), 'latchkey/session-token/v1'), Buffer.from(v.ivHex, 'hex'));
  c.setAAD(Buffer.from(header, 'ascii'));
  const ct = Buffer.concat([c.update(v.payload, 'utf8'), c.final()]);
  return { ...v, token: [header, '', b64(Buffer.from(v.ivHex, 'hex')), b64(ct), b64(c.getAuthTag())].join('.') };
});
stdout.write(JSON.stringify({
  $comment: 'Format vectors computed with node:crypto directly (HKDF-SHA256 + AES-256-GCM as README.md describes), not with this package. A failing vector means the stored or wire format changed.',
  envelope, sessionTokens: sessions }, null, 2) + "\n");
