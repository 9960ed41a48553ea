import { runServeCommand } from './serve-command';
import { runWebCommand } from './web-command';

const USAGE = `Usage: echoscope <command> [options]

Commands:
  serve   run the echo server with console output (echoscope serve --help)
  web     serve the dashboard to a browser on 127.0.0.1 (echoscope web --help)`;

// Stacks of task errors are shown to users: map them to the TypeScript sources when built.
process.setSourceMapsEnabled(true);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServeCommand(rest);
    case 'web':
      return runWebCommand(rest);
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
