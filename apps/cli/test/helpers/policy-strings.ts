/** The case files write policies as objects; AWS takes them as JSON strings. */
export function withPolicyStrings(request: Record<string, unknown>): Record<string, unknown> {
  const text = (p: unknown): unknown => (typeof p === 'string' ? p : JSON.stringify(p));
  const out: Record<string, unknown> = { ...request };
  for (const key of ['PolicyInputList', 'PermissionsBoundaryPolicyInputList', 'SessionPolicyInputList']) {
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(text);
  }
  if (out['ResourcePolicy'] !== undefined) out['ResourcePolicy'] = text(out['ResourcePolicy']);
  if (Array.isArray(out['ServiceControlPolicyInputList'])) out['ServiceControlPolicyInputList'] = (out['ServiceControlPolicyInputList'] as unknown[][]).map((level) => level.map(text));
  return out;
}
