import { ConfigError } from '../../config/app-config';

/** Runs a process's main function; configuration errors end it with their message, not a stack. */
export function runEntryPoint(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const message =
      error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}
