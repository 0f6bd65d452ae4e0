/** The service's sessions, in memory. */
export class SessionStore {
  readonly #byUser = new Map<string, Set<string>>();
  #next = 0;

  /** Opens a session for a user and returns its id. */
  open(userId: string): string {
    const sessionId = `s-${++this.#next}`;
    const sessions = this.#byUser.get(userId) ?? new Set<string>();
    sessions.add(sessionId);
    this.#byUser.set(userId, sessions);
    return sessionId;
  }

  /** Closes every session of a user and returns how many there were. */
  revokeAll(userId: string): number {
    const count = this.#byUser.get(userId)?.size ?? 0;
    this.#byUser.delete(userId);
    return count;
  }

  /** How many sessions a user has open. */
  count(userId: string): number {
    return this.#byUser.get(userId)?.size ?? 0;
  }
}
