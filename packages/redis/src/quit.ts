import type { Redis } from 'ioredis';

/**
 * @internal Closes a connection: QUIT, so that replies on their way arrive, but at most one
 * second, since a connection that is reconnecting may never answer.
 */
export async function quit(connection: Redis): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([connection.quit().catch(() => undefined), late]);
  clearTimeout(timer);
  connection.disconnect();
}
