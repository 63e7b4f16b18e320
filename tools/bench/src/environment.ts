import os from 'node:os';

/** Where the figures come from; printed above the tables and saved with them. */
export interface Environment {
  date: string;
  node: string;
  v8: string;
  platform: string;
  cpu: string;
  cores: number;
  /** 1-minute load averages when the run started and ended: other work on the machine skews figures. */
  loadStart: number;
  loadEnd?: number;
}

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.versions.node,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    loadStart: os.loadavg()[0],
  };
}

export function currentLoad(): number {
  return os.loadavg()[0];
}
