"""Reads the verified CIFAR-10 copy (png-tiles, see shared/data/README.md) as uint8 N x 32 x 32 x 3."""
import json, os, sys
import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DIRS = [os.path.join(ROOT, 'public', 'datasets', 'cifar10'), os.path.abspath(os.path.join(ROOT, '..', 'shared', 'data', 'cifar10'))]
CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']


def _dir():
    for d in DIRS:
        if os.path.exists(os.path.join(d, 'manifest.json')):
            return d
    sys.exit(f'CIFAR-10 not found in {DIRS}: run npm run datasets')


def load_cifar(split, count):
    """The first `count` images of `split` ('train' or 'test') and their labels."""
    d = _dir()
    manifest = json.load(open(os.path.join(d, 'manifest.json')))
    files = [f['path'] for f in manifest['splits'][split]['images']['files']]
    labels = np.frombuffer(open(os.path.join(d, f'{split}-labels.u8'), 'rb').read(), dtype=np.uint8)
    out = []
    for name in files:
        sheet = np.asarray(Image.open(os.path.join(d, name)).convert('RGB'))
        tiles = sheet.reshape(100, 32, 100, 32, 3).transpose(0, 2, 1, 3, 4).reshape(10000, 32, 32, 3)
        out.append(tiles)
        if sum(len(t) for t in out) >= count:
            break
    x = np.concatenate(out)[:count]
    return np.ascontiguousarray(x), labels[:count].copy()
