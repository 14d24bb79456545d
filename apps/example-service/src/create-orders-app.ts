import { latchkey, type CredentialSource, type DecisionEvent, type LatchkeyMiddleware } from '@latchkey/express';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { OrderStore, parseNewOrder } from './order-store.js';
import { ORDER_RESOURCE, ordersService } from './orders-service.js';

export interface OrdersAppOptions {
  /**
   * Where the middleware gets signing keys and policies (`remoteCredentialSource` against the
   * Latchkey server). Omitted: the routes run unprotected (the benchmark's baseline only).
   */
  readonly credentials?: CredentialSource;
  readonly orders?: OrderStore;
  /** The account owning the orders (`${Account}` in ARNs). Default: the caller's. */
  readonly account?: string;
  /** Accepted credential-scope regions. Default: any. */
  readonly regions?: readonly string[];
  /** How soon a deactivated key or changed policy takes effect here. Default 5000 ms. */
  readonly cacheTtlMs?: number;
  readonly trustProxy?: boolean | number;
  readonly onDecision?: (event: DecisionEvent) => void;
  readonly now?: () => number;
}

export interface OrdersApp {
  readonly app: Express;
  readonly orders: OrderStore;
  /** The middleware (absent when unprotected): `flush()` drops its caches. */
  readonly latchkey?: LatchkeyMiddleware<typeof ordersService>;
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ __type: 'ResourceNotFoundException', message: `Order ${id} does not exist.` });
}

const pass: RequestHandler = (_req, _res, next) => next();

/**
 * The orders service: `GET /orders` (ListOrders), `GET /orders/:id` (GetOrder), `POST /orders`
 * (CreateOrder), `DELETE /orders/:id` (DeleteOrder). Every request must be SigV4-signed for the
 * service `orders` with Latchkey credentials, and each route is allowed only when the caller's
 * IAM policies allow its action on its resource (`arn:aws:orders:REGION:ACCOUNT:order/ID`).
 */
export function createOrdersApp(options: OrdersAppOptions = {}): OrdersApp {
  const orders = options.orders ?? new OrderStore(options.now);
  const lk =
    options.credentials === undefined
      ? undefined
      : latchkey({
          service: ordersService,
          credentials: options.credentials,
          ...(options.account === undefined ? {} : { account: options.account }),
          ...(options.regions === undefined ? {} : { regions: options.regions }),
          ...(options.cacheTtlMs === undefined ? {} : { cacheTtlMs: options.cacheTtlMs }),
          ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
          ...(options.onDecision === undefined ? {} : { onDecision: options.onDecision }),
          ...(options.now === undefined ? {} : { now: options.now }),
        });
  const guard = (action: Parameters<LatchkeyMiddleware<typeof ordersService>['authorize']>[0]): RequestHandler => (lk === undefined ? pass : lk.authorize(action));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Each route's authorize() authenticates the request (reading and verifying the raw body
  // itself) and then authorizes it: one middleware per route instead of a latchkey() layer in
  // front of every route, which cost a router layer on every request. Requests that match no
  // route are authenticated by latchkey() below, before the 404: unsigned ones still get 403.
  // Unprotected, only CreateOrder needs its body (kept off the other routes: the benchmark's baseline is the bare route).
  const body: RequestHandler = lk === undefined ? express.raw({ type: () => true, limit: '1mb' }) : pass;

  app.get('/orders', guard({ action: 'orders:ListOrders' }), (_req: Request, res: Response) => {
    res.json({ orders: orders.list() });
  });

  app.get('/orders/:id', guard({ action: 'orders:GetOrder', resource: ORDER_RESOURCE }), (req: Request, res: Response) => {
    const id = String(req.params.id);
    const order = orders.get(id);
    if (order === undefined) notFound(res, id);
    else res.json(order);
  });

  app.post('/orders', body, guard({ action: 'orders:CreateOrder' }), (req: Request, res: Response) => {
    const parsed = parseNewOrder(req.body as Buffer | undefined);
    if (typeof parsed === 'string') {
      res.status(400).json({ __type: 'ValidationException', message: parsed });
      return;
    }
    res.status(201).json(orders.create(parsed, req.latchkey?.principalArn ?? 'anonymous'));
  });

  app.delete('/orders/:id', guard({ action: 'orders:DeleteOrder', resource: ORDER_RESOURCE }), (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!orders.delete(id)) notFound(res, id);
    else res.status(204).end();
  });

  if (lk !== undefined) app.use(lk);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ __type: 'UnknownOperationException', message: 'No such route.' });
  });
  if (lk !== undefined) app.use(lk.errorHandler());
  else
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ __type: 'InternalFailure', message: (err as Error).message });
    });

  return { app, orders, ...(lk === undefined ? {} : { latchkey: lk }) };
}
