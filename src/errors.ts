/**
 * Unusable input or arguments. Raised at the edge, caught once in cli/main.ts and printed as one
 * line naming the file and position. Odd-but-usable wire data is never an InputError: it is a
 * finding or a counted skip.
 */
export class InputError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `pcap.bad-magic`. */
    readonly code: string,
    message: string,
    /** The input's name, when the error is about one. */
    readonly file?: string,
    /** Where in it: "packet 12 (byte 4096)", "line 7", "byte 24". */
    readonly position?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** `file: position: message`, the one line the CLI prints for an InputError. */
export function describeInputError(e: InputError): string {
  return [e.file, e.position, e.message].filter((s) => s !== undefined && s !== '').join(': ');
}
