import { run } from '../eval/distress.js';

// Runs the distress evaluation alone; exit code 1 when a target is missed.
const report = await run();
console.log(`# ${report.name}`);
for (const line of report.lines) console.log(line);
for (const failure of report.failures) console.log(`FAIL ${failure}`);
if (report.failures.length === 0) console.log('all targets met');
process.exitCode = report.failures.length > 0 ? 1 : 0;
