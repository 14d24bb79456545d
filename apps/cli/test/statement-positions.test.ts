import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statementPositions } from '@latchkey/iam';
import type { Position } from '@latchkey/iam';

/** The character a position points just after (AWS's convention), as an offset. */
function offsetBefore(text: string, p: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < p.Line - 1; i++) offset += lines[i]!.length + 1;
  return offset + p.Column - 2;
}

describe('statementPositions', () => {
  it("reproduces AWS's documented example (single-object Statement on one line)", () => {
    // aws iam simulate-custom-policy example: StartPosition {1, 38}, EndPosition {1, 167}.
    const text =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    expect(statementPositions(text)).toEqual([{ StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }]);
  });

  it('gives one span per element of a Statement array, across lines', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:*",\n      "Resource": "*"\n    },\n    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}\n  ]\n}\n';
    expect(statementPositions(text)).toEqual([
      { StartPosition: { Line: 4, Column: 6 }, EndPosition: { Line: 8, Column: 6 } },
      { StartPosition: { Line: 9, Column: 6 }, EndPosition: { Line: 9, Column: 64 } },
    ]);
  });

  it('ignores "Statement" keys that are not top-level members', () => {
    const text = '{"Id":"x","Statement":[{"Sid":"A","Condition":{"StringEquals":{"Statement":"{"}}}]}';
    const spans = statementPositions(text)!;
    expect(spans).toHaveLength(1);
    expect(text[offsetBefore(text, spans[0]!.StartPosition)]).toBe('{');
    expect(offsetBefore(text, spans[0]!.EndPosition)).toBe(text.length - 3);
  });

  it('handles escaped quotes and braces inside strings', () => {
    const text = '{"Statement":[{"Sid":"a\\"}{","Action":"x:y\\\\"},{"Action":"}"}]}';
    const spans = statementPositions(text)!;
    expect(spans.map((s) => text[offsetBefore(text, s.EndPosition)])).toEqual(['}', '}']);
    expect(JSON.parse(text.slice(offsetBefore(text, spans[1]!.StartPosition), offsetBefore(text, spans[1]!.EndPosition) + 1))).toEqual({ Action: '}' });
  });

  it('returns undefined for text that is not JSON, and no spans when Statement is absent', () => {
    expect(statementPositions('{"Statement":[')).toBeUndefined();
    expect(statementPositions('{"Statement":[{}]} trailing')).toBeUndefined();
    expect(statementPositions('not json')).toBeUndefined();
    expect(statementPositions('{"Version":"2012-10-17"}')).toEqual([]);
  });

  it('locates every statement of any pretty-printed or compact document exactly', () => {
    const statement = fc.dictionary(fc.constantFrom('Sid', 'Effect', 'Action', 'Resource', 'Condition'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 2, 4, '\t'), (statements, indent) => {
        const text = JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, indent);
        const spans = statementPositions(text)!;
        expect(spans).toHaveLength(statements.length);
        spans.forEach((span, i) => {
          const start = offsetBefore(text, span.StartPosition);
          const end = offsetBefore(text, span.EndPosition);
          // Compare with the statement as JSON reads it back (-0 is written as 0).
          expect(JSON.parse(text.slice(start, end + 1))).toEqual(JSON.parse(JSON.stringify(statements[i])));
        });
      }),
      { numRuns: 300 },
    );
  });
});
