/** A stand-in for a bulk email API: one call sends many messages. */
import { latency } from './latency.js';

export interface Email {
  readonly to: string;
  readonly template: string;
  readonly orderId: string;
}

export class FakeMailApi {
  /** Each call's messages. */
  readonly calls: Email[][] = [];

  async sendMany(emails: ReadonlyArray<Email>, signal: AbortSignal): Promise<void> {
    await latency(10, signal);
    this.calls.push([...emails]);
  }
}
