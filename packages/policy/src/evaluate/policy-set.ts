import type { CompiledPolicy } from '../compile/compiled-policy.js';

/** The policies that apply to one request (see `evaluate` for how each type counts). */
export interface PolicySet {
  /** The principal's identity policies (user inline + managed + groups', or the role's). */
  readonly identity: readonly CompiledPolicy[];
  /** The target resource's policy; the role's trust policy (type `trust`) for `sts:AssumeRole*`. */
  readonly resource?: CompiledPolicy;
  /** Permissions boundary (absent = none). */
  readonly boundary?: CompiledPolicy;
  /** Session policies (absent = no session policy). */
  readonly session?: readonly CompiledPolicy[];
  /** Organizations levels, root first; every level must allow. */
  readonly scp?: readonly (readonly CompiledPolicy[])[];
}
