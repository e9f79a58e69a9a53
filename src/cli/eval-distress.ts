import { run } from '../eval/distress.js';

// Runs the distress evaluation alone; exit code 1 when a target is missed.
// `--llm` adds the figures with the model's raise-only second opinion (needs OPENAI_*, network).
const report = await run();
console.log(`# ${report.name}`);
for (const line of report.lines) console.log(line);
for (const failure of report.failures) console.log(`FAIL ${failure}`);
if (report.failures.length === 0) console.log('all targets met');
process.exitCode = report.failures.length > 0 ? 1 : 0;

if (process.argv.includes('--llm')) {
  const [{ loadConfig }, { createDistressSecondOpinion }, { runWithModel }] = await Promise.all([
    import('../config.js'),
    import('../adapters/openai/distress-second-opinion.js'),
    import('../eval/distress-llm.js'),
  ]);
  const config = loadConfig();
  if (!config.openai) {
    console.log('--llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server)');
    process.exitCode = 2;
  } else {
    const withModel = await runWithModel(
      createDistressSecondOpinion({
        apiKey: config.openai.apiKey,
        baseUrl: config.openai.baseUrl,
        model: config.openai.model,
        timeoutMs: config.openai.timeoutMs,
      }),
    );
    console.log(`# ${withModel.name}`);
    for (const line of withModel.lines) console.log(line);
  }
}
