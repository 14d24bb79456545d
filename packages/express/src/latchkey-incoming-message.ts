import { IncomingMessage } from 'node:http';
import type { LatchkeyRequestInfo } from './request-info.js';

/**
 * `http.createServer({ IncomingMessage: LatchkeyIncomingMessage }, app)`: request objects that
 * have `body` and `latchkey` from construction. The middleware sets both on every request; on a
 * plain `IncomingMessage` each is a new property added to an object of a dozen maps' history, a
 * slow store that a CPU profile of the service under load showed as the middleware's largest
 * single cost (and reading the absent `body` walks Express's prototype chain). Optional: the
 * middleware behaves the same with either class.
 */
export class LatchkeyIncomingMessage extends IncomingMessage {
  body: unknown = undefined;
  latchkey: LatchkeyRequestInfo | undefined = undefined;
}
