/** The streams and process facts a command may touch, so tests can run the CLI in-process. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Calls `listener` on SIGINT/SIGTERM; returns a function that stops listening. */
  onStopSignal(listener: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * A reader that went away (`storycore models list | head -3`) is not an error: stop quietly,
 * with no EPIPE stack trace. Other stream errors are left to crash loudly, as they are bugs.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(0);
    else throw error;
  });
}

export function processIo(): CliIo {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onStopSignal(listener) {
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
      for (const signal of signals) process.on(signal, listener);
      return () => {
        for (const signal of signals) process.off(signal, listener);
      };
    },
  };
}
