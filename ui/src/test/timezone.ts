// Run a test as on a machine in another time zone. Node reads TZ afresh when it changes,
// for Date and for Intl formatters made afterwards.

const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;

export async function inTimeZone<T>(tz: string, run: () => T | Promise<T>): Promise<T> {
  const before = env.TZ;
  env.TZ = tz;
  try {
    return await run();
  } finally {
    if (before === undefined) delete env.TZ;
    else env.TZ = before;
  }
}
