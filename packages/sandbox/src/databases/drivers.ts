/**
 * Loads a database driver when a real engine first needs it, so a sandbox with every engine
 * simulated (most tests) never pays for loading pg, mysql2 and ioredis. Under Jest the code is
 * CommonJS and `require` exists; run by Node as ES modules, it is a dynamic import.
 */
export async function loadDriver<T>(
  name: 'pg' | 'mysql2/promise' | 'ioredis',
): Promise<T> {
  const loaded: any =
    typeof require === 'function' ? require(name) : await import(name);
  return (loaded.default ?? loaded) as T;
}
