/** The error a command throws to end with a message and an exit code (2 = usage, 1 = failure). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}
