// Public API of @latchkey/example-service. Explicit exports only (no `export *`).
export { createOrdersApp } from './create-orders-app.js';
export type { OrdersApp, OrdersAppOptions } from './create-orders-app.js';
export { ORDER_RESOURCE, ordersService } from './orders-service.js';
export { OrderStore, parseNewOrder } from './order-store.js';
export type { NewOrder, Order } from './order-store.js';
export { ConfigError, parseServiceConfig, USAGE } from './service-config.js';
export type { ServiceConfig } from './service-config.js';
