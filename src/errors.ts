/**
 * The library's error type: every input problem it reports carries a stable machine-readable
 * `code` (e.g. 'TRUNCATED') beside a message in plain words. Each area has its own subclass and
 * code list (DicomError, NiftiError, ReorientError, …), so `catch (e) { if (e instanceof
 * LibraryError) show(e.code, e.message) }` handles them all.
 */
export class LibraryError<Code extends string = string> extends Error {
  readonly code: Code
  constructor(name: string, code: Code, message: string) {
    super(message)
    this.name = name
    this.code = code
  }
}
