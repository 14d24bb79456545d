import type { ConditionClause, ConditionValue, Effect } from '../ast.js';
import { childPointer } from '../parse/json-pointer.js';
import { parseConditionOperator, type OperatorFamily, type ParsedOperator } from './condition-operator.js';
import type { DiagnosticCode } from './diagnostic-code.js';
import { globalConditionKeyType } from './global-condition-keys.js';
import { isObject, isScalar, type Json } from './json-value.js';
import * as M from './messages.js';
import type { ConditionKeyType } from './service-catalog.js';
import { checkVariables, type StatementContext } from './statement-context.js';
import { isValidArnValue, isValidBinaryValue, isValidBoolValue, isValidDateValue, isValidIpValue, isValidNumericValue } from './value-formats.js';

function familyFits(family: OperatorFamily, type: ConditionKeyType): boolean {
  const base = type.startsWith('ArrayOf') ? type.slice('ArrayOf'.length) : type;
  switch (family) {
    case 'Null':
      return true;
    case 'String':
      // Access Analyzer warns about String operators on ARN keys (policy-language.md C13).
      return base === 'String';
    case 'Arn':
      return base === 'ARN';
    case 'Numeric':
      return base === 'Numeric';
    case 'Date':
      return base === 'Date';
    case 'Bool':
      return base === 'Bool';
    case 'IpAddress':
      return base === 'IPAddress';
    case 'Binary':
      return base === 'Binary';
  }
}

const FAMILY_VALUE_CHECK: Readonly<Record<OperatorFamily, ((v: ConditionValue) => boolean) | undefined>> = {
  String: undefined,
  Numeric: isValidNumericValue,
  Date: isValidDateValue,
  Bool: isValidBoolValue,
  Binary: isValidBinaryValue,
  IpAddress: isValidIpValue,
  Arn: isValidArnValue,
  Null: isValidBoolValue,
};

const FAMILY_VALUE_CODE: Readonly<Record<OperatorFamily, DiagnosticCode>> = {
  String: 'InvalidConditionValue',
  Numeric: 'InvalidNumericValue',
  Date: 'InvalidDateValue',
  Bool: 'InvalidBoolValue',
  Binary: 'InvalidBinaryValue',
  IpAddress: 'InvalidIpValue',
  Arn: 'InvalidArnValue',
  Null: 'InvalidNullValue',
};

const FAMILY_VALUE_WORDS: Readonly<Record<OperatorFamily, string>> = {
  String: 'a string',
  Numeric: 'a number (integer or decimal)',
  Date: 'a date',
  Bool: '"true" or "false"',
  Binary: 'base64 text',
  IpAddress: 'an IPv4 or IPv6 address or CIDR block',
  Arn: 'an ARN',
  Null: '"true" or "false"',
};

// P2: variables are substituted in String, ARN and Bool condition values only.
const VARIABLE_FAMILIES: ReadonlySet<OperatorFamily> = new Set(['String', 'Arn', 'Bool']);

export function validateCondition(value: Json, pointer: string, effect: Effect | undefined, out: ConditionClause[], ctx: StatementContext): void {
  const { c } = ctx;
  if (!isObject(value)) {
    c.add('InvalidCondition', M.MSG_SYNTAX, pointer);
    return;
  }
  for (const opName of Object.keys(value)) {
    const op = parseConditionOperator(opName);
    const opPointer = childPointer(pointer, opName);
    const block = value[opName];
    if (!isObject(block)) {
      c.add('InvalidCondition', M.MSG_SYNTAX, opPointer);
      continue;
    }
    const keys = Object.keys(block);
    if (op === undefined) {
      // AWS accepts an unknown operator whose block is empty (moto's AWS-checked corpus:
      // `"Condition": {"x": {}}` is valid); otherwise it is a syntax error.
      if (keys.length === 0) c.add('EmptyConditionBlock', `Condition operator "${opName}" is unknown and has no keys; it is ignored.`, opPointer);
      else c.add('UnknownConditionOperator', M.MSG_SYNTAX, opPointer);
      continue;
    }
    if (keys.length === 0) c.add('EmptyConditionBlock', `"${opName}" has no condition keys; it is ignored.`, opPointer);
    if (op.base === 'Null' && op.ifExists) c.add('NullIfExists', '"NullIfExists" behaves as "Null": IfExists has no meaning for the Null operator.', opPointer);
    if (op.setOperator === 'ForAllValues' && effect === 'Allow') {
      c.add('ForAllValuesWithAllow', `${opName} with Allow is true when the key is missing or has no values; add a Null check or use ForAnyValue.`, opPointer);
    }
    for (const key of keys) {
      const keyPointer = childPointer(opPointer, key);
      const raw = block[key];
      let values: ConditionValue[] | undefined;
      if (isScalar(raw)) values = [raw];
      else if (Array.isArray(raw) && raw.every(isScalar)) values = raw as ConditionValue[];
      if (values === undefined) {
        c.add('InvalidConditionValue', M.MSG_SYNTAX, keyPointer);
        continue;
      }
      if (values.length === 0) c.add('EmptyConditionValues', `"${key}" has an empty list of values, so the condition can never match.`, keyPointer);
      checkConditionKey(key, op, keyPointer, ctx);
      values.forEach((v, i) => {
        const vp = Array.isArray(raw) ? `${keyPointer}/${i}` : keyPointer;
        const hasVariable = typeof v === 'string' && v.includes('${');
        if (hasVariable) checkVariables(v, vp, ctx, VARIABLE_FAMILIES.has(op.family));
        const check = FAMILY_VALUE_CHECK[op.family];
        if (check === undefined) return;
        // A variable makes the value known only at request time.
        if (hasVariable && ctx.variablesActive && VARIABLE_FAMILIES.has(op.family)) return;
        if (!check(v)) {
          const message = op.family === 'Date' ? M.MSG_LEGACY : `${JSON.stringify(v)} is not ${FAMILY_VALUE_WORDS[op.family]}, as ${op.base} requires.`;
          c.add(FAMILY_VALUE_CODE[op.family], message, vp);
        }
      });
      out.push({ operator: opName, key, values, pointer: keyPointer });
    }
  }
}

function checkConditionKey(key: string, op: ParsedOperator, pointer: string, ctx: StatementContext): void {
  const { c, catalog } = ctx;
  const colon = key.indexOf(':');
  if (colon <= 0) {
    // AWS accepts keys without a vendor prefix (moto's AWS-checked corpus has `"a"`), but no
    // request carries them.
    c.add('ConditionKeyWithoutVendor', `Condition key "${key}" has no service prefix (e.g. aws:, s3:).`, pointer);
    return;
  }
  const vendor = key.slice(0, colon).toLowerCase();
  const type = catalog?.conditionKeyType(key) ?? globalConditionKeyType(key);
  if (type === undefined) {
    if (catalog !== undefined && ((vendor === 'aws' && catalog.partial !== true) || catalog.hasService(vendor))) {
      c.add('UnknownConditionKey', `"${key}" is not a known condition key.`, pointer);
    }
    return;
  }
  const multi = type.startsWith('ArrayOf');
  if (op.family !== 'Null') {
    if (multi && op.setOperator === undefined) {
      c.add('MissingSetOperator', `"${key}" is multivalued: use ForAllValues:${op.base} or ForAnyValue:${op.base}.`, pointer);
    } else if (!multi && op.setOperator !== undefined) {
      c.add('SetOperatorOnSingleValuedKey', `"${key}" is single-valued: ${op.setOperator}: is meant for multivalued keys.`, pointer);
    }
  }
  if (!familyFits(op.family, type)) {
    c.add('OperatorKeyTypeMismatch', `${op.base} is a ${op.family} operator but "${key}" is of type ${type}.`, pointer);
  }
}
