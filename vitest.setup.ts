import { afterAll, afterEach, beforeEach, vi } from 'vitest';

// As zod's test setup does: a stray console call from library code fails the test that made it.
// Tests that expect output pass their own logger instead of relying on console.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeEach(() => {
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      throw new Error(`unexpected console.${method}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

// Test files share a process (the unit project does not isolate them): one that leaves fake
// timers or stubbed globals on must not hand them to the next.
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
