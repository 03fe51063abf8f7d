"""Datasets for the job: the studio's built-in files (public/datasets/<id>/manifest.json:
gzip-raw, raw or png-tiles images, one label byte per image, checked by SHA-256), or an
ImageFolder tree (<root>/train/<class>/*.png and <root>/test/<class>/*.png).

Images come out as uint8 N x H x W x C, exactly the studio's layout; `to_tensor` divides by
pixelMax and makes NCHW. The train/validation split is the studio's (splitTrainVal in
src/ml/data/batches.ts: the same mulberry32 shuffle), so the job holds out the same images.
"""
import gzip
import hashlib
import json
import os

import numpy as np
import torch


class DataError(Exception):
    pass


def _read(path, what):
    if not os.path.exists(path):
        raise DataError(f'{path}: not found. {what}')
    with open(path, 'rb') as f:
        return f.read()


def _check(path, data, sha, fix):
    if sha and hashlib.sha256(data).hexdigest() != sha:
        raise DataError(f'{path}: checksum mismatch. {fix}')


def _split_images(root, spec, shape, fix):
    enc = spec['images']['encoding']
    parts = []
    for entry in spec['images']['files']:
        path = os.path.join(root, entry['path'])
        data = _read(path, fix)
        _check(path, data, entry.get('sha256'), fix)
        if enc == 'gzip-raw':
            parts.append(np.frombuffer(gzip.decompress(data), np.uint8))
        elif enc == 'raw':
            parts.append(np.frombuffer(data, np.uint8))
        elif enc == 'png-tiles':
            from PIL import Image  # Debian: python3-pil
            import io
            img = np.asarray(Image.open(io.BytesIO(data)).convert('RGB'))
            t = spec['images']
            tw, th, cols = t['tileWidth'], t['tileHeight'], t['columns']
            count = entry['count']
            tiles = img[: (count + cols - 1) // cols * th].reshape(-1, th, cols, tw, 3).transpose(0, 2, 1, 3, 4).reshape(-1, th, tw, 3)[:count]
            tiles = tiles[..., : shape[2]]
            raw_sha = entry.get('rawSha256')
            if raw_sha and hashlib.sha256(np.ascontiguousarray(tiles).tobytes()).hexdigest() != raw_sha:
                raise DataError(f'{path}: decoded pixels do not match rawSha256. {fix}')
            parts.append(tiles.reshape(-1))
        else:
            raise DataError(f'{root}/manifest.json: image encoding {enc!r} is not known. {fix}')
    return np.concatenate(parts).reshape(-1, *shape)


def load_studio(root, dataset):
    """(train_images, train_labels, test_images, test_labels, info) from public/datasets."""
    droot = os.path.join(root, dataset)
    fix = f'Point --data-root (or config.data.root) at the studio\'s public/datasets folder (npm run datasets), which has {dataset}/manifest.json.'
    m = json.loads(_read(os.path.join(droot, 'manifest.json'), fix))
    shape = m['imageShape']
    splits = {}
    for name, spec in m['splits'].items():
        images = _split_images(droot, spec, shape, fix)
        lpath = os.path.join(droot, spec['labels']['path'])
        labels = np.frombuffer(_read(lpath, fix), np.uint8)
        _check(lpath, labels.tobytes(), spec['labels'].get('sha256'), fix)
        if len(labels) != len(images):
            raise DataError(f'{lpath}: {len(labels)} labels for {len(images)} images. {fix}')
        splits[name] = (images, labels)
    if 'train' in splits and 'test' in splits:
        (xtr, ytr), (xte, yte) = splits['train'], splits['test']
    else:
        x, y = splits['all']
        n = int(len(x) * 0.8)
        xtr, ytr, xte, yte = x[:n], y[:n], x[n:], y[n:]
    pixel_max = m.get('pixelRange', [0, 255])[1]
    return xtr, ytr, xte, yte, {'shape': shape, 'classNames': m['classNames'], 'pixelMax': pixel_max}


def load_image_folder(root, shape):
    """<root>/train/<class>/* and <root>/test/<class>/*; every image must already be H x W."""
    from PIL import Image
    out = []
    classes = None
    for split in ('train', 'test'):
        sroot = os.path.join(root, split)
        if not os.path.isdir(sroot):
            raise DataError(f'{sroot}: not found. An ImageFolder needs train/<class>/ and test/<class>/ folders.')
        names = sorted(d for d in os.listdir(sroot) if os.path.isdir(os.path.join(sroot, d)))
        if classes is None:
            classes = names
        elif names != classes:
            raise DataError(f'{sroot}: classes {names} differ from train/ ({classes}).')
        xs, ys = [], []
        for ci, c in enumerate(classes):
            for fn in sorted(os.listdir(os.path.join(sroot, c))):
                img = Image.open(os.path.join(sroot, c, fn)).convert('L' if shape[2] == 1 else 'RGB')
                a = np.asarray(img, np.uint8).reshape(img.size[1], img.size[0], shape[2])
                if list(a.shape) != list(shape):
                    raise DataError(f'{sroot}/{c}/{fn}: image is {a.shape}, the models take {shape}. Resize the images first.')
                xs.append(a); ys.append(ci)
        out += [np.stack(xs), np.array(ys, np.uint8)]
    return out[0], out[1], out[2], out[3], {'shape': shape, 'classNames': classes, 'pixelMax': 255}


def load(config, root_override=None):
    d = config.get('data', {})
    fmt = d.get('format', 'studio')
    root = root_override or d.get('root', 'datasets')
    if fmt == 'image-folder':
        xtr, ytr, xte, yte, info = load_image_folder(root, config['inputShape'])
    else:
        xtr, ytr, xte, yte, info = load_studio(root, config['dataset'])
    if config.get('trainLimit'):
        xtr, ytr = xtr[: config['trainLimit']], ytr[: config['trainLimit']]
    if config.get('testLimit'):
        xte, yte = xte[: config['testLimit']], yte[: config['testLimit']]
    return xtr, ytr, xte, yte, info


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
    return nxt


def split_train_val(count, val_fraction, seed):
    """The studio's splitTrainVal: seeded Fisher-Yates, the first round(count*f) are validation."""
    rng = mulberry32(seed)
    idx = list(range(count))
    for i in range(count - 1, 0, -1):
        j = int(rng() * (i + 1))
        idx[i], idx[j] = idx[j], idx[i]
    n_val = int(np.floor(count * val_fraction + 0.5))
    return np.sort(np.array(idx[n_val:], np.int64)), np.sort(np.array(idx[:n_val], np.int64))


def to_tensor(images, pixel_max, dtype=torch.float32):
    """uint8 N x H x W x C -> float NCHW in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).to(dtype).div_(pixel_max).permute(0, 3, 1, 2).contiguous()


PAD = 4


def crop_flip(images, rng):
    """The studio's 'crop-flip' augmentation (src/ml/data/augment.ts) on uint8 NHWC images: each
    image padded with PAD zero pixels on every side, cropped back at a random offset, mirrored
    left-right with probability 1/2. `rng` is a numpy Generator; returns a new array. Training
    batches only. The draws are numpy's, so the job's batches are not bit-identical to the studio's."""
    n, h, w, _ = images.shape
    padded = np.pad(images, ((0, 0), (PAD, PAD), (PAD, PAD), (0, 0)))
    oy = rng.integers(0, 2 * PAD + 1, n)
    ox = rng.integers(0, 2 * PAD + 1, n)
    flip = rng.random(n) < 0.5
    out = np.empty_like(images)
    for i in range(n):
        crop = padded[i, oy[i]:oy[i] + h, ox[i]:ox[i] + w]
        out[i] = crop[:, ::-1] if flip[i] else crop
    return out
