import { type CliProcess, startCli, stubRenderer } from './cli-process';

/** An `echoscope serve` child on a free loopback port. */
export interface EchoServer {
  cli: CliProcess;
  port: number;
}

/** An `echoscope web` child: its URL (with the token) and where its WebSocket is. */
export interface WebHostChild {
  cli: CliProcess;
  url: URL;
  wsUrl: string;
  origin: string;
}

/** Starts a `serve` child and waits for its listening line. */
export async function startEchoServer(extraArgs: string[] = []): Promise<EchoServer> {
  const cli = startCli(['serve', '--port', '0', ...extraArgs]);
  const match = await cli.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 'the listening line');
  return { cli, port: Number(match[1]) };
}

/** Starts a `web` child serving a stand-in page and waits for its URL. */
export async function startWebHostChild(options: { readStdout?: boolean } = {}): Promise<WebHostChild> {
  const renderer = await stubRenderer();
  const cli = startCli(['web', '--port', '0', '--renderer-dir', renderer.dir], options);
  void cli.exit.then(renderer.remove);
  const match = await cli.waitFor(/Echoscope dashboard: (\S+)/, 'the dashboard URL');
  const url = new URL(match[1] ?? '');
  return {
    cli,
    url,
    wsUrl: `ws://${url.host}/ws?token=${url.searchParams.get('token')}`,
    origin: url.origin,
  };
}

/**
 * The servers the probes share, started on first use and stopped by `stopAll`: one `serve` for the TCP
 * probes (the fd and memory figures accumulate across them, as a long-running server's would).
 */
export class SharedServers {
  private echo: Promise<EchoServer> | null = null;
  private web: Promise<WebHostChild> | null = null;

  echoServer(): Promise<EchoServer> {
    this.echo ??= startEchoServer();
    return this.echo;
  }

  webHost(): Promise<WebHostChild> {
    this.web ??= startWebHostChild();
    return this.web;
  }

  /** Starts both at once (each start-up compiles the sources: a second or so). */
  async warmUp(): Promise<void> {
    await Promise.all([this.echoServer(), this.webHost()]);
  }

  async stopAll(): Promise<void> {
    const started = [this.echo, this.web].filter((p) => p !== null);
    await Promise.all(started.map(async (p) => (await p.catch(() => null))?.cli.stop()));
  }
}
