/**
 * Registries of every choice the studio offers. Each choice is an id; labels and one-line
 * explanations come from here so the UI, worker and reports speak the same words.
 */

export type BuiltInDatasetId = 'mnist' | 'fashion-mnist' | 'cifar10' | 'digits';
/** A dataset the user imported, named by its fingerprint (src/domain/datasets.ts). */
export type ImportedDatasetId = `user-${string}`;
export type DatasetId = BuiltInDatasetId | ImportedDatasetId;

export interface DatasetInfo {
  id: DatasetId;
  label: string;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
  numClasses: number;
  classNames: string[];
  /** Divide raw uint8 pixels by this to get [0, 1] floats. */
  pixelMax: number;
  /** Built-in datasets are served from public/datasets/<id>/manifest.json. */
  builtIn: boolean;
  /** Imported images: [height, width] of the files before the import resized them, when known. */
  sourceSize?: [number, number];
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The built-in datasets; read any dataset's info with datasetInfo(id) (datasets.ts). */
export const DATASETS: Record<BuiltInDatasetId, DatasetInfo> = {
  mnist: { id: 'mnist', label: 'MNIST digits', shape: [28, 28, 1], numClasses: 10, classNames: DIGITS, pixelMax: 255, builtIn: true },
  'fashion-mnist': {
    id: 'fashion-mnist', label: 'Fashion-MNIST', shape: [28, 28, 1], numClasses: 10, pixelMax: 255, builtIn: true,
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
  cifar10: {
    id: 'cifar10', label: 'CIFAR-10', shape: [32, 32, 3], numClasses: 10, pixelMax: 255, builtIn: true,
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  },
  digits: { id: 'digits', label: '8×8 digits (tests)', shape: [8, 8, 1], numClasses: 10, classNames: DIGITS, pixelMax: 16, builtIn: false },
};

/**
 * What a teacher worth distilling reaches on each built-in dataset's test set (published figures
 * for small CIFAR-style networks: ResNet-20 about 91.7 % on CIFAR-10; small CNNs with augmentation
 * about 94 % on Fashion-MNIST and 99.5 % on MNIST). A teacher below the bar is called weak.
 */
export const STRONG_TEACHER: Partial<Record<BuiltInDatasetId, { accuracy: number; reference: string }>> = {
  mnist: { accuracy: 0.995, reference: 'a small CNN with augmentation' },
  'fashion-mnist': { accuracy: 0.94, reference: 'a small ResNet with augmentation' },
  cifar10: { accuracy: 0.91, reference: 'a ResNet-20 (0.27 M parameters) with crop and flip augmentation' },
};

export type MethodId = 'student-alone' | 'kd' | 'at' | 'afd' | 'rtk';

export interface MethodInfo {
  id: MethodId;
  label: string;
  /** One plain sentence for the method picker. */
  blurb: string;
  usesTeacher: boolean;
  /** Whether the run reports attention, influence and kept keys. */
  usesAttention: boolean;
}

export const METHODS: Record<MethodId, MethodInfo> = {
  'student-alone': { id: 'student-alone', label: 'Student alone', usesTeacher: false, usesAttention: false,
    blurb: 'Trains the student on the labels only: the baseline every method must beat.' },
  kd: { id: 'kd', label: 'KD (soft labels)', usesTeacher: true, usesAttention: false,
    blurb: "The student also matches the teacher's softened class probabilities." },
  at: { id: 'at', label: 'AT (attention transfer)', usesTeacher: true, usesAttention: false,
    blurb: "The student copies where the teacher looks, for feature pairs of equal size." },
  afd: { id: 'afd', label: 'AFD (all features, attention-weighted)', usesTeacher: true, usesAttention: true,
    blurb: 'Learned attention links every teacher feature to student features and distils all of them.' },
  rtk: { id: 'rtk', label: 'RTK (representative teacher keys)', usesTeacher: true, usesAttention: true,
    blurb: 'Like AFD, but only teacher features whose influence passes the threshold (the kept keys) are distilled.' },
};

export type ArchId = 'resnet-t1' | 'cnn-s1' | 'resnet-s1' | 'mobile-s1';
export type ArchFamily = 'resnet' | 'plain-cnn' | 'mobilenet';

export interface ArchInfo {
  id: ArchId;
  label: string;
  role: 'teacher' | 'student';
  family: ArchFamily;
  blurb: string;
  /** Base channel count of the first stage; the size dial scales it. */
  defaultWidth: number;
  /** Blocks per stage. */
  defaultDepth: number;
  widthRange: [number, number];
  depthRange: [number, number];
  /** Default width on the photo stride plan (≥ 96 px): a student of 110–230 k parameters at
   * 224 px and 10 classes, 10–20× below MobileNetV2's 2.24 M (stridePlan.ts). */
  photoWidth: number;
}

export const ARCHS: Record<ArchId, ArchInfo> = {
  'resnet-t1': { id: 'resnet-t1', label: 'ResNet teacher', role: 'teacher', family: 'resnet', defaultWidth: 12, defaultDepth: 2,
    widthRange: [8, 48], depthRange: [1, 3], photoWidth: 16, blurb: 'Three stages of residual blocks; the large model to learn from.' },
  'cnn-s1': { id: 'cnn-s1', label: 'Plain CNN student', role: 'student', family: 'plain-cnn', defaultWidth: 8, defaultDepth: 1,
    widthRange: [4, 32], depthRange: [1, 3], photoWidth: 24, blurb: 'Stacked 3×3 convolutions: the simplest small model.' },
  'resnet-s1': { id: 'resnet-s1', label: 'Small ResNet student', role: 'student', family: 'resnet', defaultWidth: 8, defaultDepth: 1,
    widthRange: [4, 32], depthRange: [1, 3], photoWidth: 12, blurb: 'The teacher’s family, much narrower and shallower.' },
  'mobile-s1': { id: 'mobile-s1', label: 'MobileNet-style student', role: 'student', family: 'mobilenet', defaultWidth: 8, defaultDepth: 1,
    widthRange: [4, 64], depthRange: [1, 3], photoWidth: 48, blurb: 'Depthwise-separable blocks: a different family, built for phones.' },
};

export type BackendId = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = BackendId | 'auto';
export const BACKEND_ORDER: BackendId[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The one glossary used on screen and in code. */
export const GLOSSARY: Record<string, string> = {
  teacher: 'The large, accurate model we learn from. It is frozen: distillation never changes it.',
  student: 'The small model we train to be cheap to run while keeping accuracy.',
  tap: 'The output of one block of a network, exposed so it can be compared with the other model.',
  key: 'One teacher tap considered for distillation (a column of the importance matrix).',
  influence: 'How strongly the student features attend to a key: the mean of its k largest attention values.',
  threshold: 'The influence a key must exceed to be kept (by default the mean influence).',
  'kept keys': 'The teacher taps whose influence passes the threshold; only these enter the RTK loss.',
  distillation: 'Training a small model (the student) to imitate a large one (the teacher) as well as the labels, so it keeps more of the accuracy.',
  FLOPs: 'Floating-point operations needed to classify one image: a measure of compute cost, independent of the device.',
  p95: 'The 95th percentile: 95 of every 100 measurements were at most this long. Far above the median means the machine was often interrupted.',
  points: 'Percentage points of accuracy: 97.0% to 96.2% is a loss of 0.8 points.',
  seed: 'The number that fixes a run’s random choices (starting weights, image order). The same seed gives the same run; several seeds show how much luck matters.',
  logits: 'The model’s raw class scores before softmax turns them into probabilities; the largest one is the predicted class.',
  int8: 'Weights stored as 8-bit integers instead of 32-bit floats: a quarter of the size, usually with a small accuracy cost.',
};
