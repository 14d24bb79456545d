import { defineService } from '@latchkey/express';

/**
 * The orders service's catalog: its actions, the one resource type and its ARN format, as AWS's
 * service authorization reference declares a service. The middleware refuses routes naming
 * anything else, and `ordersService.catalog()` lets the policy validator know these actions.
 */
export const ordersService = defineService({
  name: 'orders',
  actions: {
    // List and create act on no particular order: authorized on "*", as AWS does for such actions.
    ListOrders: {},
    CreateOrder: {},
    GetOrder: { resourceTypes: ['order'] },
    DeleteOrder: { resourceTypes: ['order'] },
  },
  resourceTypes: { order: { arn: 'arn:${Partition}:orders:${Region}:${Account}:order/${OrderId}' } },
});

/** The resource template the routes use: `${id}` is the route parameter. */
export const ORDER_RESOURCE = 'arn:aws:orders:${Region}:${Account}:order/${id}';
