"""Writes "photos" for the 224x224 path (issue 26): CIFAR-10 *test* images (the real, verified
copy; never used to train the photo teacher) scaled up with bicubic resampling and saved as JPEG
(quality 90) in Keras layout, one folder per class: <out>/<class>/<index>.jpg.

  /usr/bin/python3 scripts/photo-fixture/make_photos.py --out /tmp/photos [--count 1200 --size 224 --zip]
"""
import argparse, os, sys, zipfile
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cifar import load_cifar, CLASS_NAMES  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--count', type=int, default=1200)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--zip', action='store_true', help='also write <out>.zip with the same files')
    a = ap.parse_args()
    x, y = load_cifar('test', a.count)
    paths = []
    for i, (img, label) in enumerate(zip(x, y)):
        rel = os.path.join(CLASS_NAMES[label], f'{i:05d}.jpg')
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
    print(f'{len(paths)} photos at {a.size}x{a.size} in {a.out}')


if __name__ == '__main__':
    main()
