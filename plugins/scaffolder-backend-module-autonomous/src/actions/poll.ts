/**
 * Reads until `done` says so, every `intervalMs`; fails with `timeoutMessage` when the time is
 * up, and stops when the task is cancelled. A failed read fails the step: the upstream's
 * answer is the step's answer.
 */
export async function pollUntil<T>(options: {
  read: () => Promise<T>;
  done: (value: T) => boolean;
  intervalMs: number;
  timeoutMs: number;
  timeoutMessage: string;
  signal?: AbortSignal;
  now?: () => number;
}): Promise<T> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) {
      throw new Error('The task was cancelled while waiting');
    }
    const value = await options.read();
    if (options.done(value)) return value;
    if (now() >= deadline) throw new Error(options.timeoutMessage);
    await new Promise(resolve => setTimeout(resolve, options.intervalMs));
  }
}
