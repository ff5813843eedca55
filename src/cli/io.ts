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

export function processIo(): CliIo {
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
