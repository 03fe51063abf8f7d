"""Builds the ONNX teacher fixture and the ONNX bad-input fixtures (run with Debian's Python:
/usr/bin/python3 scripts/onnx-fixture/make_fixture.py [--epochs 2] [--width 16 --name fashion-resnet]).

The fixture is a small ResNet-style CNN trained briefly on the real Fashion-MNIST training set
(public/datasets/fashion-mnist, raw uint8 pixels divided by 255, NCHW), scored on the full test
set in PyTorch, and exported with torch.onnx.export (batch axis dynamic). Its accuracy as PyTorch
measured it goes to fixture.json; the studio's test compares its own figure with it.
"""
import argparse, gzip, json, os, sys
import numpy as np
import torch
import torch.nn as nn
import onnx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'fixtures', 'onnx')
DATA_DIRS = [os.path.join(ROOT, 'public', 'datasets', 'fashion-mnist'), '/work/shared/data/fashion-mnist']


def load_split(name):
    for d in DATA_DIRS:
        img, lab = os.path.join(d, f'{name}-images.u8.gz'), os.path.join(d, f'{name}-labels.u8')
        if os.path.exists(img) and os.path.exists(lab):
            x = np.frombuffer(gzip.open(img).read(), dtype=np.uint8).reshape(-1, 1, 28, 28)
            y = np.frombuffer(open(lab, 'rb').read(), dtype=np.uint8)
            return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))
    sys.exit(f'Fashion-MNIST {name} split not found in {DATA_DIRS}: run npm run datasets')


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.short is None else self.short(x)))


class SmallResNet(nn.Module):
    def __init__(self, width=16, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.stage1 = Block(width, width, 1)
        self.stage2 = Block(width, 2 * width, 2)
        self.stage3 = Block(2 * width, 4 * width, 2)
        self.fc = nn.Linear(4 * width, classes)

    def forward(self, x):
        x = self.stage3(self.stage2(self.stage1(self.stem(x))))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(x)


def export(model, path, shape, dynamic=True):
    model.eval()
    names = {'input_names': ['input'], 'output_names': ['logits']}
    axes = {'input': {0: 'batch'}, 'logits': {0: 'batch'}} if dynamic else None
    torch.onnx.export(model, torch.zeros(*shape), path, opset_version=13, dynamic_axes=axes, **names)
    onnx.checker.check_model(onnx.load(path))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--width', type=int, default=16)
    # Another name writes <name>.onnx and <name>.json only (no bad-input fixtures), e.g. the
    # width-9 teacher that costs what the studio's own teacher does (bench:teacher --file).
    ap.add_argument('--name', default='fashion-resnet')
    # torch.onnx.export's default (no dynamic_axes): the batch is fixed at 1 in the graph, e.g.
    # --fixed-batch --width 8 --epochs 1 --name fashion-resnet-b1 (a model made elsewhere).
    ap.add_argument('--fixed-batch', action='store_true')
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    xtr, ytr = load_split('train')
    xte, yte = load_split('test')
    model = SmallResNet(args.width)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    steps = args.epochs * (len(xtr) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(xtr))
        for s in range(len(xtr) // 128):
            idx = order[s * 128:(s + 1) * 128]
            loss = nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f'epoch {epoch + 1}: loss {loss.item():.4f}', flush=True)
    acc = accuracy(model, xte, yte)
    print(f'PyTorch test accuracy: {acc:.4f}')
    path = os.path.join(OUT, f'{args.name}.onnx')
    export(model, path, (1, 1, 28, 28), dynamic=not args.fixed_batch)
    params = sum(p.numel() for p in model.parameters())
    main_fixture = args.name == 'fashion-resnet'
    json.dump({
        'file': f'{args.name}.onnx', 'dataset': 'fashion-mnist', 'testAccuracy': acc, 'testImages': len(xte),
        'preprocess': 'x / 255, NCHW', 'params': params, 'epochs': args.epochs, 'width': args.width, 'seed': 0,
        'batch': 1 if args.fixed_batch else 'dynamic',
        'madeWith': {'torch': torch.__version__, 'onnx': onnx.__version__, 'opset': 13},
    }, open(os.path.join(OUT, 'fixture.json' if main_fixture else f'{args.name}.json'), 'w'), indent=2)
    if not main_fixture:
        print('fixture', os.path.getsize(path), 'bytes')
        return

    # Bad inputs (each tiny, untrained: they are refused before anything runs).
    bad = os.path.join(OUT, 'bad')
    os.makedirs(bad, exist_ok=True)
    export(nn.Sequential(nn.Linear(128, 10)), os.path.join(bad, 'vector-input.onnx'), (1, 128))
    export(nn.Sequential(nn.Flatten(), nn.Linear(784, 10)), os.path.join(bad, 'no-feature-maps.onnx'), (1, 1, 28, 28))
    export(SmallResNet(4, classes=20), os.path.join(bad, 'twenty-classes.onnx'), (1, 1, 28, 28))
    # External weights: the graph refers to a .data file that is not committed.
    ext = onnx.load(path)
    onnx.save_model(ext, os.path.join(bad, 'external-weights.onnx'), save_as_external_data=True,
                    all_tensors_to_one_file=True, location='external-weights.onnx.data', size_threshold=0)
    os.remove(os.path.join(bad, 'external-weights.onnx.data'))
    for f in sorted(os.listdir(bad)):
        print(f, os.path.getsize(os.path.join(bad, f)), 'bytes')
    print('fixture', os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
