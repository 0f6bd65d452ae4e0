export type { PriorityQueueOptions } from './priority-queue.js';
export { PriorityQueue } from './priority-queue.js';
export type { PrioritySchedulerOptions } from './priority-scheduler.js';
export { priorityScheduler } from './priority-scheduler.js';
