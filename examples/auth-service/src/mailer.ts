/**
 * A stand-in for an email provider's API. It takes a few milliseconds per message and can be
 * told to misbehave on the first try of a template: answer "busy", or hang (honouring the
 * abort signal, as a real HTTP client given `ctx.signal` does).
 */

/** One email handed to the provider. */
export interface SentEmail {
  readonly to: string;
  readonly template: string;
  /** Which try of the sending handler delivered it. */
  readonly attempt: number;
}

/** How the provider fails the first try of a template. */
export type Fault = 'busy' | 'hang';

export class FakeMailer {
  readonly sent: SentEmail[] = [];
  readonly #faults: Map<string, Fault>;

  /** @param faults - the templates whose first try fails, and how */
  constructor(faults: Readonly<Record<string, Fault>> = {}) {
    this.#faults = new Map(Object.entries(faults));
  }

  /** Sends one email; rejects when the provider is busy or the signal aborts. */
  async send(to: string, template: string, attempt: number, signal: AbortSignal): Promise<void> {
    const fault = this.#faults.get(template);
    this.#faults.delete(template); // only the first try misbehaves
    await latency(fault === 'hang' ? 60_000 : 5, signal);
    if (fault === 'busy') throw new Error('421 mail service busy, try again later');
    this.sent.push({ to, template, attempt });
  }
}

/** Waits like network I/O would, and stops at once when the signal aborts. */
function latency(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
