"""Writes "photos" for the 224x224 path (issue 26): CIFAR-10 *test* images (the real, verified
copy; never used to train the photo teacher) scaled up with bicubic resampling and saved as JPEG
(quality 90) in Keras layout, one folder per class: <out>/<class>/<index>.jpg, or with --test-share
<out>/train/<class>/... and <out>/test/<class>/... (every n-th image of each class to test).
--raw also writes <out>.test.u8 and <out>.test-labels.json: the test photos' pixels as decoded
again from the JPEG files (PIL, libjpeg-turbo), N x H x W x 3, for a reference run outside the
browser (bench/photo.mjs scores the teacher on them with onnxruntime-node).

  /usr/bin/python3 scripts/photo-fixture/make_photos.py --out /tmp/photos [--count 1200 --size 224 --zip --test-share 0.2 --raw]
"""
import argparse, json, os, sys, zipfile
import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cifar import load_cifar, CLASS_NAMES  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--count', type=int, default=1200)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--zip', action='store_true', help='also write <out>.zip with the same files')
    ap.add_argument('--test-share', type=float, default=0, help='write train/ and test/ folders, this share of each class to test')
    ap.add_argument('--raw', action='store_true')
    a = ap.parse_args()
    x, y = load_cifar('test', a.count)
    paths, tests, seen = [], [], {}
    every = round(1 / a.test_share) if a.test_share > 0 else 0
    for i, (img, label) in enumerate(zip(x, y)):
        name = CLASS_NAMES[label]
        seen[name] = seen.get(name, 0) + 1
        split = '' if not every else ('test' if seen[name] % every == 0 else 'train')
        rel = os.path.join(split, name, f'{i:05d}.jpg')
        if split == 'test':
            tests.append((rel, int(label)))
        path = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if not os.path.exists(path):
            Image.fromarray(img).resize((a.size, a.size), Image.BICUBIC).save(path, quality=90)
        paths.append(rel)
    if a.zip:
        root = os.path.basename(os.path.normpath(a.out))
        with zipfile.ZipFile(os.path.normpath(a.out) + '.zip', 'w', zipfile.ZIP_STORED) as z:
            for rel in paths:
                z.write(os.path.join(a.out, rel), os.path.join(root, rel))
    if a.raw:
        base = os.path.normpath(a.out)
        chosen = tests if every else [(p, CLASS_NAMES.index(p.split(os.sep)[0])) for p in paths]
        chosen.sort()
        with open(base + '.test.u8', 'wb') as f:
            for rel, _ in chosen:
                f.write(np.asarray(Image.open(os.path.join(a.out, rel)).convert('RGB'), dtype=np.uint8).tobytes())
        json.dump({'files': [r for r, _ in chosen], 'labels': [l for _, l in chosen], 'classNames': CLASS_NAMES, 'size': a.size},
                  open(base + '.test-labels.json', 'w'))
    print(f'{len(paths)} photos at {a.size}x{a.size} in {a.out}')


if __name__ == '__main__':
    main()
