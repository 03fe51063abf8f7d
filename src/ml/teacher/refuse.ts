/**
 * Formats the studio does not run, each refused with the command that converts it to one it
 * does (TF.js Layers or ONNX). Checked on file names before anything is read.
 */
import type { TeacherFile } from '../../domain';

const base = (n: string) => n.split('/').pop() ?? n;

/** The refusal for `files`, or null when they may be a TF.js Layers or ONNX model. */
export function refusalFor(files: TeacherFile[]): string | null {
  const names = files.map((f) => base(f.name));
  const has = (re: RegExp) => names.find((n) => re.test(n));
  const pt = has(/\.(pt|pth|ckpt|bin\.pt)$/i);
  if (pt) {
    return `${pt} is a PyTorch checkpoint, which needs the model's Python code to run. Export ONNX from PyTorch: ` +
      `torch.onnx.export(model.eval(), torch.zeros(1, C, H, W), "model.onnx", input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}}), then import model.onnx.`;
  }
  const keras = has(/\.(h5|hdf5|keras)$/i);
  if (keras) {
    return `${keras} is a Keras file. Convert it to a TF.js Layers model: tensorflowjs_converter --input_format=keras ${keras} tfjs_model/ ` +
      '(with a Keras 2 / tf_keras model), then import tfjs_model/model.json with its .bin shards.';
  }
  const tflite = has(/\.tflite$/i);
  if (tflite) return `${tflite} is a TensorFlow Lite model. Convert it to ONNX: python -m tf2onnx.convert --tflite ${tflite} --output model.onnx, then import model.onnx.`;
  const saved = has(/^saved_model\.pbt?x?t?$/i);
  if (saved) {
    return `${saved} is a TensorFlow SavedModel. Convert it: tensorflowjs_converter --input_format=tf_saved_model --output_format=tfjs_layers_model ` +
      'saved_model_dir/ tfjs_model/ (Keras SavedModels), or python -m tf2onnx.convert --saved-model saved_model_dir --output model.onnx.';
  }
  const onnx = names.filter((n) => /\.onnx$/i.test(n));
  const json = names.filter((n) => /\.json$/i.test(n) && n !== 'metadata.json');
  if (onnx.length > 1) return `Pick one ONNX model at a time (got ${onnx.join(', ')}).`;
  if (onnx.length === 0 && json.length === 0) {
    return `None of ${names.join(', ')} is a model: pick a TF.js model.json with its .bin weight shards, or an .onnx file.`;
  }
  return null;
}
