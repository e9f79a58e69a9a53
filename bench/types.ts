/** One measured figure of a benchmark, optionally against a baseline. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  target?: string;
  note?: string;
};
