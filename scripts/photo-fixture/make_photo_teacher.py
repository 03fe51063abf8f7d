"""The 224x224 teacher fixture of issue 26 ("the model you run today, at its own size"):
torchvision's MobileNetV2 (width 1.0, 10 classes, 2.24 M parameters), trained briefly on real
CIFAR-10 training images scaled up to the input size, with ImageNet mean/std normalisation (as a
model fine-tuned from ImageNet weights would be), exported to ONNX with a dynamic batch axis.

Run with Debian's Python (`npm run fixtures` does, when the file is missing):
  /usr/bin/python3 scripts/photo-fixture/make_photo_teacher.py [--images 16000 --epochs 2]

The defaults make the committed sidecar's model: one thread (THREADS=1) and fixed seeds make the
file bit for bit the same with the same torch (its SHA-256 goes into the sidecar JSON).

Training at 224 px is slow here (depthwise-conv backward, about 7 images/s on 2 cores against
about 115 at 112 px), so the network is trained at 112 px, then fine-tuned for a few steps at
224 px and its batch-norm statistics re-estimated at 224 px. It is scored at 224 px on the
photos that make_photos.py writes (CIFAR-10 *test* images, never seen in training), and the
figure goes to fixtures/onnx/photo-mobilenet-v2.json.
"""
import argparse, hashlib, json, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F
import torchvision
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cifar import load_cifar, CLASS_NAMES  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
OUT = os.path.join(ROOT, 'fixtures', 'onnx')
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def batch_at(x_u8, size, flip_rng=None):
    x = torch.from_numpy(x_u8).permute(0, 3, 1, 2).float() / 255.0
    x = F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)
    if flip_rng is not None:
        flip = torch.from_numpy(flip_rng.random(len(x)) < 0.5)
        x[flip] = x[flip].flip(3)
    return (x - MEAN) / STD


def accuracy(model, x_u8, y, size):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x_u8), 100):
            correct += (model(batch_at(x_u8[i:i + 100], size)).argmax(1).numpy() == y[i:i + 100]).sum()
    return correct / len(x_u8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--images', type=int, default=16000)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--fine-tune-steps', type=int, default=25)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--name', default='photo-mobilenet-v2')
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(int(os.environ.get('THREADS', '1')))
    rng = np.random.default_rng(0)
    xtr, ytr = load_cifar('train', a.images)
    xte, yte = load_cifar('test', 1200)
    model = torchvision.models.mobilenet_v2(num_classes=10)
    steps = a.epochs * (len(xtr) // 64)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=4e-5, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=steps)
    t0 = time.time()
    step = 0
    for epoch in range(a.epochs):
        model.train()
        order = rng.permutation(len(xtr))
        for i in range(0, len(order) - 63, 64):
            idx = order[i:i + 64]
            loss = F.cross_entropy(model(batch_at(xtr[idx], 112, rng)), torch.from_numpy(ytr[idx].astype(np.int64)))
            opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
            if step % 50 == 0:
                print(f'epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f} s', flush=True)
        print(f'epoch {epoch + 1}: accuracy at 112 px on 1,200 test images {accuracy(model, xte, yte, 112):.4f}', flush=True)
    # A few steps at the real input size, then batch-norm statistics re-estimated there.
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for s in range(a.fine_tune_steps):
        idx = rng.choice(len(xtr), 32, replace=False)
        loss = F.cross_entropy(model(batch_at(xtr[idx], a.size, rng)), torch.from_numpy(ytr[idx].astype(np.int64)))
        opt.zero_grad(); loss.backward(); opt.step()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats(); m.momentum = None
    with torch.no_grad():
        for i in range(0, 2048, 64):
            model(batch_at(xtr[i:i + 64], a.size))
    acc = accuracy(model, xte, yte, a.size)
    print(f'accuracy at {a.size} px on the 1,200 photos: {acc:.4f} ({time.time() - t0:.0f} s)', flush=True)
    model.eval()
    path = os.path.join(OUT, f'{a.name}.onnx')
    torch.onnx.export(model, torch.zeros(1, 3, a.size, a.size), path, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13, do_constant_folding=True)
    m = onnx.load(path)
    entry = m.metadata_props.add(); entry.key = 'labels'; entry.value = json.dumps(CLASS_NAMES)
    onnx.save(m, path)
    meta = {
        'file': f'{a.name}.onnx', 'architecture': 'torchvision mobilenet_v2 (width 1.0)', 'input': [3, a.size, a.size],
        'preprocess': 'x / 255, then ImageNet mean/std, NCHW', 'params': sum(p.numel() for p in model.parameters()),
        'trainImages': len(xtr), 'epochs': a.epochs, 'trainedAt': '112 px, then %d steps and batch-norm statistics at %d px' % (a.fine_tune_steps, a.size),
        'photoAccuracy': float(acc), 'photoImages': len(xte), 'photos': 'CIFAR-10 test images 0-1199 (make_photos.py)',
        'madeWith': {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'onnx': onnx.__version__, 'opset': 13},
        'sha256': hashlib.sha256(open(path, 'rb').read()).hexdigest(),
    }
    with open(os.path.join(OUT, f'{a.name}.json'), 'w') as f:
        json.dump(meta, f, indent=2)
    print(json.dumps(meta))


if __name__ == '__main__':
    main()
