import { cachedTeacher, loadOrtTeacher } from './lib/ortTeacher';
const f = process.argv[2];
const t = await loadOrtTeacher(f, 'imagenet', true, 1, 112);
console.log(t.params, t.tapNames, t.teacher.tapShapes, t.teacher.inputShape);
const c = cachedTeacher(t.teacher);
const x = Float32Array.from({ length: 2 * 112 * 112 * 3 }, (_, i) => (i % 255) / 255);
const a = await c.remote!.forward(Float32Array.from(x), 2, 'imagenet');
const b = await c.remote!.forward(Float32Array.from(x), 2, 'imagenet');
console.log(c.stats, Array.from(a.logits.slice(0, 4)), Array.from(b.logits.slice(0, 4)), a.taps.map((q) => q.length), b.taps.every((q, i) => q.every((v, j) => v === a.taps[i][j])));
