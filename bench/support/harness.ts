// What every benchmark script shares: a bound on its run time, progress lines on stderr, rounding
// for the recorded figures, and the machine the figures were taken on.
import { cpus, loadavg, totalmem } from 'node:os';

/** Kills the run after `ms`: a hung benchmark must not hold the machine. */
export function giveUpAfter(name: string, ms: number): void {
  setTimeout(() => {
    process.stderr.write(`${name}: gave up after ${ms / 60_000} minutes\n`);
    process.exit(1);
  }, ms).unref();
}

export const say = (line: string) => process.stderr.write(`  ${line}\n`);

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * The machine, for the results file. Other work on it moves latency figures most, so the load
 * average at the start (taken with `loadNow()` before the run) and at the end go with them.
 */
export function machine(loadAtStart: number, postgres: string) {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    load_average_1m: { at_start: loadAtStart, at_end: loadNow() },
    node: process.version,
    postgres,
  };
}

export const loadNow = () => round(loadavg()[0]!);

/** CPU seconds spent by this process and by the whole machine (every core, idle and iowait left out). */
export interface CpuSpent {
  process: number;
  machine: number;
}

/**
 * Starts counting CPU time; the returned function tells what was spent since. A wall-clock ratio
 * hides where the cores went: the machine's figure minus the process's is the database server's
 * (on a machine running nothing else), which tells whether a target is out of reach of the cores.
 */
export function cpuMeter(): () => CpuSpent {
  const busyMs = () => cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
  const process0 = process.cpuUsage();
  const machine0 = busyMs();
  return () => {
    const spent = process.cpuUsage(process0);
    return { process: (spent.user + spent.system) / 1e6, machine: (busyMs() - machine0) / 1000 };
  };
}
