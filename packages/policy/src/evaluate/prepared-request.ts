import type { ContextValue, EvaluationRequest } from '../request.js';
import { splitArn } from '../match/arn.js';
import type { VariableLookup } from '../variables/template.js';
import { parseIp, type IpAddress } from '../conditions/ip.js';

/**
 * Per-request facts computed once and shared by every statement: lower-cased action parts, the
 * split resource ARN, case-insensitive context lookup, and the missing keys met on the way.
 */
export class PreparedRequest implements VariableLookup {
  readonly request: EvaluationRequest;
  readonly actionLower: string;
  /** Lower-cased service prefix (`s3`), empty when the action has no colon. */
  readonly service: string;
  /** Lower-cased action name after the colon. */
  readonly actionName: string;
  readonly resourceArn: string;
  readonly resourceParts: string[] | undefined;
  /** Whether the principal has a permissions boundary (affects `NotPrincipal`, see M6). */
  readonly hasBoundary: boolean;
  /** Missing condition keys as written, first met first; undefined until one is missing. */
  missing: string[] | undefined;
  private lowerContext: Map<string, ContextValue> | undefined;
  private ipText: string | undefined;
  private ipValue: IpAddress | undefined;

  constructor(request: EvaluationRequest, hasBoundary: boolean) {
    this.request = request;
    this.hasBoundary = hasBoundary;
    const action = request.action.toLowerCase();
    this.actionLower = action;
    const colon = action.indexOf(':');
    this.service = colon < 0 ? '' : action.slice(0, colon);
    this.actionName = colon < 0 ? action : action.slice(colon + 1);
    this.resourceArn = request.resource.arn;
    this.resourceParts = splitArn(request.resource.arn);
  }

  /** Policy-variable value (`VariableLookup`). */
  variable(keyLower: string, key: string): string | undefined {
    const v = this.get(keyLower, key);
    // Only single-valued keys can be variables: a multivalued key is never substituted.
    if (v === undefined || Array.isArray(v)) return undefined;
    return String(v);
  }

  /** Context value by key name, case-insensitively (fast path: the key as written). */
  get(keyLower: string, key: string): ContextValue | undefined {
    const context = this.request.context;
    const direct = Object.prototype.hasOwnProperty.call(context, key) ? context[key] : undefined;
    if (direct !== undefined) return direct;
    if (this.lowerContext === undefined) {
      const map = new Map<string, ContextValue>();
      for (const k of Object.keys(context)) {
        const v = context[k];
        if (v !== undefined && !map.has(k.toLowerCase())) map.set(k.toLowerCase(), v);
      }
      this.lowerContext = map;
    }
    return this.lowerContext.get(keyLower);
  }

  /** The request's IP address values parsed once, whatever the number of IpAddress clauses. */
  ip(text: string): IpAddress | undefined {
    if (text === this.ipText) return this.ipValue;
    const value = parseIp(text);
    this.ipText = text;
    this.ipValue = value;
    return value;
  }

  noteMissing(key: string): void {
    if (this.missing === undefined) this.missing = [key];
    else if (!this.missing.includes(key)) this.missing.push(key);
  }
}
