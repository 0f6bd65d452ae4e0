import { fifoScheduler } from '@gossip/core';
import { priorityScheduler } from '../src/index.js';
import { describeSchedulerConformance } from './scheduler-conformance.js';

describeSchedulerConformance('fifoScheduler', fifoScheduler, { ordersByPriority: false });
describeSchedulerConformance('priorityScheduler()', priorityScheduler(), {
  ordersByPriority: true,
});
describeSchedulerConformance(
  'priorityScheduler({ aging: false })',
  priorityScheduler({ aging: false }),
  {
    ordersByPriority: true,
  },
);
