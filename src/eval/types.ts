/** The outcome of one evaluation: printable lines, and one entry per target missed. */
export type EvalReport = { name: string; lines: string[]; failures: string[] };
