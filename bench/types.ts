/** One benchmark figure. `baseline` and `ratio` relate it to a simpler pass measured in the same run. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  target?: string;
  note?: string;
};
