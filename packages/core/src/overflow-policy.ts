/** What the buffer does when it is full. */
export type OverflowPolicy = 'block' | 'reject' | 'drop-oldest' | 'drop-newest';
