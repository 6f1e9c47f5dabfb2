// autocannon ships no types; the benchmarks use its programmatic API loosely.
declare module 'autocannon' {
  function autocannon(options: Record<string, unknown>): any;
  export = autocannon;
}
