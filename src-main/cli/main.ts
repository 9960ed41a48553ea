// Stacks of task errors are shown to users: map them to the TypeScript sources when built. Node reads a
// file's source map when it loads the file, so the commands are loaded only after this is on.
process.setSourceMapsEnabled(true);

const USAGE = `Usage: echoscope <command> [options]

Commands:
  serve   run the echo server with console output (echoscope serve --help)
  web     serve the dashboard to a browser on 127.0.0.1 (echoscope web --help)
  load    drive a running echo server with N connections and check every echo (echoscope load --help)
  trace   convert a recording to Chrome Trace Event JSON for Perfetto (echoscope trace --help)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./serve-command')).runServeCommand(rest);
    case 'web':
      return (await import('./web-command')).runWebCommand(rest);
    case 'load':
      return (await import('./load-command')).runLoadCommand(rest);
    case 'trace':
      return (await import('./trace-command')).runTraceCommand(rest);
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`echoscope: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
