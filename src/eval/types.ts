/** What one evaluation module reports: lines to print, and failures that make `npm run eval` exit 1. */
export type EvalReport = { name: string; lines: string[]; failures: string[] };
