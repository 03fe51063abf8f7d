import { Fragment } from 'react';

/**
 * A tap's name (an ONNX teacher's run to 60 characters, "/features/features.4/conv/conv.0/Clip")
 * with a line-break opportunity after each '/', '.', '_' and ':', so a narrow column or a printed
 * page wraps it between its parts, not inside a word.
 */
export function TapName({ name }: { name: string }) {
  const parts = name.split(/(?<=[/._:])/);
  return <>{parts.map((p, i) => <Fragment key={i}>{i > 0 && <wbr />}{p}</Fragment>)}</>;
}
