/**
 * Priority for gossip: a PriorityQueue (high, normal, low or numeric; FIFO within a level; optional
 * aging) and a priority scheduler for the event bus.
 *
 * The guide: docs/priority.md in the repository.
 *
 * @packageDocumentation
 */
export type { PriorityQueueOptions } from './priority-queue.js';
export { PriorityQueue } from './priority-queue.js';
export type { PrioritySchedulerOptions } from './priority-scheduler.js';
export { priorityScheduler } from './priority-scheduler.js';
