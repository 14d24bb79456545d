import type { IntegerConstraint, ListConstraint, StringConstraint } from '@latchkey/model';

/**
 * Input shapes: a small declaration language for Query operation inputs, mirroring the service
 * model's shape types. Declaring a structure gives the TypeScript type of the parsed input:
 * `type AssumeRoleInput = InputOf<typeof AssumeRoleInput>`.
 */
export interface StringShape {
  readonly kind: 'string';
  readonly constraint: StringConstraint | undefined;
  readonly required?: boolean;
}
export interface EnumShape<V extends string = string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly required?: boolean;
}
export interface IntegerShape {
  readonly kind: 'integer';
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** `long` in the model: 64-bit range on the wire (returned as a number; |n| ≤ 2^53 is exact). */
  readonly long: boolean;
  readonly required?: boolean;
}
export interface BooleanShape {
  readonly kind: 'boolean';
  readonly required?: boolean;
}
export interface TimestampShape {
  readonly kind: 'timestamp';
  readonly required?: boolean;
}
export interface BlobShape {
  readonly kind: 'blob';
  readonly required?: boolean;
}
export interface ListShape<M extends Shape = Shape> {
  readonly kind: 'list';
  readonly member: M;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly required?: boolean;
}
export interface MapShape<V extends Shape = Shape> {
  readonly kind: 'map';
  readonly key: StringShape;
  readonly value: V;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly required?: boolean;
}
export interface StructureShape<M extends Members = Members> {
  readonly kind: 'structure';
  readonly members: M;
  readonly required?: boolean;
}

export type Shape = StringShape | EnumShape | IntegerShape | BooleanShape | TimestampShape | BlobShape | ListShape<any> | MapShape<any> | StructureShape<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Members = Readonly<Record<string, Shape>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<M extends Members> = { [K in keyof M]: M[K] extends { readonly required: true } ? K : never }[keyof M];
type OptionalKeys<M extends Members> = Exclude<keyof M, RequiredKeys<M>>;

/** The parsed TypeScript type of a shape. */
export type TypeOf<S> = 0 extends 1 & S
  ? unknown // `any` (an undeclared shape): stop rather than recurse forever
  : S extends StringShape
  ? string
  : S extends EnumShape<infer V>
    ? V
    : S extends IntegerShape
      ? number
      : S extends BooleanShape
        ? boolean
        : S extends TimestampShape
          ? Date
          : S extends BlobShape
            ? Uint8Array
            : S extends ListShape<infer M>
              ? TypeOf<M>[]
              : S extends MapShape<infer V>
                ? Record<string, TypeOf<V>>
                : S extends StructureShape<infer M>
                  ? InputOf<M>
                  : never;

/** The parsed object for a structure's members: required members present, optional ones may be absent. */
export type InputOf<M extends Members> = Simplify<{ [K in RequiredKeys<M>]: TypeOf<M[K]> } & { [K in OptionalKeys<M>]?: TypeOf<M[K]> }>;

/** Marks a member required: absent, it is reported as `Value null at '…' … Member must not be null`. */
export function required<S extends Shape>(shape: S): S & { readonly required: true } {
  return { ...shape, required: true };
}

export function string(constraint?: StringConstraint): StringShape {
  return { kind: 'string', constraint };
}

export function enumOf<const V extends string>(values: readonly V[]): EnumShape<V> {
  return { kind: 'enum', values };
}

export function integer(constraint: Omit<IntegerConstraint, 'type'> = {}): IntegerShape {
  return { kind: 'integer', min: constraint.min, max: constraint.max, long: false };
}

export function long(constraint: Omit<IntegerConstraint, 'type'> = {}): IntegerShape {
  return { kind: 'integer', min: constraint.min, max: constraint.max, long: true };
}

export function boolean(): BooleanShape {
  return { kind: 'boolean' };
}

export function timestamp(): TimestampShape {
  return { kind: 'timestamp' };
}

export function blob(): BlobShape {
  return { kind: 'blob' };
}

/** `Name.member.N` (N from 1); an empty list is sent as `Name=`. */
export function list<M extends Shape>(member: M, constraint: Omit<ListConstraint, 'type'> = {}): ListShape<M> {
  return { kind: 'list', member, min: constraint.min, max: constraint.max };
}

/** `Name.entry.N.key` / `Name.entry.N.value`. */
export function map<V extends Shape>(key: StringShape, value: V, constraint: Omit<ListConstraint, 'type'> = {}): MapShape<V> {
  return { kind: 'map', key, value, min: constraint.min, max: constraint.max };
}

export function structure<const M extends Members>(members: M): StructureShape<M> {
  return { kind: 'structure', members };
}
