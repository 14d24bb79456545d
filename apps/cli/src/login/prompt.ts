import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { OutputStream } from '../cli-io.js';

/** Asks for one line; `hidden` answers (passwords, MFA codes) are not echoed on a terminal. */
export type Prompt = (question: string, options?: { hidden?: boolean }) => Promise<string>;

interface TtyInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/**
 * Prompts on `output` (stderr, so stdout stays clean) and reads from `input`: on a terminal
 * keystroke by keystroke with echo off for hidden answers; otherwise one line per question from
 * the pipe (`printf 'pw\n123456\n' | latchkey login …`).
 */
export function terminalPrompt(input: TtyInput, output: OutputStream): { prompt: Prompt; close(): void } {
  let lines: Interface | undefined;
  let iterator: AsyncIterator<string> | undefined;
  const nextLine = async (): Promise<string> => {
    lines ??= createInterface({ input, terminal: false });
    iterator ??= lines[Symbol.asyncIterator]();
    const next = await iterator.next();
    if (next.done === true) throw new Error('no answer on standard input');
    return next.value;
  };
  const hiddenFromTty = (): Promise<string> =>
    new Promise((resolve, reject) => {
      let answer = '';
      input.setRawMode!(true);
      input.resume();
      const done = (error?: Error): void => {
        input.setRawMode!(false);
        input.pause();
        input.off('data', onData);
        output.write('\n');
        if (error === undefined) resolve(answer);
        else reject(error);
      };
      const onData = (chunk: Buffer): void => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done();
          if (ch === '\u0003') return done(new Error('interrupted'));
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      };
      input.on('data', onData);
    });
  return {
    async prompt(question, options = {}) {
      output.write(question);
      if (options.hidden === true && input.isTTY === true && input.setRawMode !== undefined) return hiddenFromTty();
      return nextLine();
    },
    close() {
      lines?.close();
    },
  };
}
