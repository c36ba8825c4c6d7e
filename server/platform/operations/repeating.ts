/** A background task run every so often (never twice at once on one instance); failures are reported, not thrown. */
export function repeating(task: () => Promise<unknown>, onError: (error: Error) => void) {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  return {
    start(intervalMs: number): void {
      timer ??= setInterval(() => {
        if (running) return;
        running = true;
        task()
          .catch(onError)
          .finally(() => {
            running = false;
          });
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
