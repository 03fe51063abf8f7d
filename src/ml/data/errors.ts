/**
 * The one error type of dataset loading. Its message always starts with the file it is about
 * and ends with the fix, e.g. "mnist/train-images.u8.gz: checksum mismatch, re-run npm run datasets".
 */
export class DatasetError extends Error {
  override name = 'DatasetError';

  constructor(
    /** The file the problem is about, relative to the datasets folder (e.g. "mnist/test-labels.u8"). */
    readonly file: string,
    /** What went wrong and the fix. */
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

/** The fix printed in every "file is bad or missing" message. */
export const FIX = 're-run npm run datasets';
