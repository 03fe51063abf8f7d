"""Builds the ONNX teacher fixture and the ONNX bad-input fixtures (run with Debian's Python:
/usr/bin/python3 scripts/onnx-fixture/make_fixture.py [--epochs 2] [--width 16 --name fashion-resnet]).

The fixture is a small ResNet-style CNN trained briefly on the real Fashion-MNIST training set
(public/datasets/fashion-mnist, raw uint8 pixels divided by 255, NCHW), scored on the full test
set in PyTorch, and exported with torch.onnx.export (batch axis dynamic). Its accuracy as PyTorch
measured it goes to fixture.json; the studio's test compares its own figure with it.

Models made elsewhere (issue 23), each written as <name>.onnx with <name>.json beside it:
  --fixed-batch            exported without dynamic_axes (batch fixed at 1)
  --normalize imagenet     trained on (x - mean) / std with the grey ImageNet statistics the studio
                           uses for one channel (the mean of the three channels' mean and std)
  --labels-order alpha     trained with the classes in alphabetical order; the model carries no
                           names, a Teachable-Machine-style metadata.json in <name>/ beside
                           <name>/<name>.onnx gives them
  --mobilenet              torchvision's mobilenet_v3_small (width 0.25, reduced tail, 10 classes)
                           at a 3x64x64 input, opset 14 (HardSwish, HardSigmoid, SE Mul), untrained:
                           for the default taps and FLOPs only
"""
import argparse, gzip, json, os, sys
import numpy as np
import torch
import torch.nn as nn
import onnx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'fixtures', 'onnx')
FASHION_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
# The grey-image ImageNet statistics of src/ml/teacher/preprocess.ts.
GREY_MEAN, GREY_STD = (0.485 + 0.456 + 0.406) / 3, (0.229 + 0.224 + 0.225) / 3
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


def export(model, path, shape, dynamic=True, opset=13):
    model.eval()
    names = {'input_names': ['input'], 'output_names': ['logits']}
    axes = {'input': {0: 'batch'}, 'logits': {0: 'batch'}} if dynamic else None
    torch.onnx.export(model, torch.zeros(*shape), path, opset_version=opset, dynamic_axes=axes, **names)
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
    ap.add_argument('--normalize', choices=['unit', 'imagenet'], default='unit')
    ap.add_argument('--labels-order', choices=['dataset', 'alpha'], default='dataset')
    ap.add_argument('--mobilenet', action='store_true')
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    if args.mobilenet:
        return mobilenet(args.name)
    xtr, ytr = load_split('train')
    xte, yte = load_split('test')
    preprocess = 'x / 255, NCHW'
    if args.normalize == 'imagenet':
        xtr, xte = (xtr - GREY_MEAN) / GREY_STD, (xte - GREY_MEAN) / GREY_STD
        preprocess = f'(x / 255 - {GREY_MEAN:.4f}) / {GREY_STD:.4f}, NCHW'
    labels = None
    out_dir = OUT
    if args.labels_order == 'alpha':
        # Class k of the model is the k-th name in alphabetical order.
        labels = sorted(FASHION_NAMES)
        remap = torch.tensor([labels.index(n) for n in FASHION_NAMES])
        ytr, yte = remap[ytr], remap[yte]
        out_dir = os.path.join(OUT, args.name)
        os.makedirs(out_dir, exist_ok=True)
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
    path = os.path.join(out_dir, f'{args.name}.onnx')
    export(model, path, (1, 1, 28, 28), dynamic=not args.fixed_batch)
    if labels:
        # Teachable Machine's metadata.json carries the class names as "labels".
        json.dump({'labels': labels, 'imageSize': 28, 'modelName': args.name}, open(os.path.join(out_dir, 'metadata.json'), 'w'), indent=2)
    params = sum(p.numel() for p in model.parameters())
    main_fixture = args.name == 'fashion-resnet'
    json.dump({
        'file': f'{args.name}.onnx', 'dataset': 'fashion-mnist', 'testAccuracy': acc, 'testImages': len(xte),
        'preprocess': preprocess, 'params': params, 'epochs': args.epochs, 'width': args.width, 'seed': 0,
        'batch': 1 if args.fixed_batch else 'dynamic', 'labels': labels or 'dataset order',
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


def mobilenet(name):
    """torchvision's MobileNetV3-small, untrained, exported at 3x64x64 with opset 14 so HardSwish
    stays one op: its SE blocks multiply a [N,C,1,1] gate into [N,C,H,W] features."""
    import torchvision
    model = torchvision.models.mobilenet_v3_small(num_classes=10, width_mult=0.25, reduced_tail=True)
    path = os.path.join(OUT, f'{name}.onnx')
    export(model, path, (1, 3, 64, 64), opset=14)
    params = sum(p.numel() for p in model.parameters())
    json.dump({
        'file': f'{name}.onnx', 'model': 'torchvision.models.mobilenet_v3_small(num_classes=10, width_mult=0.25, reduced_tail=True)',
        'trained': False, 'input': [1, 3, 64, 64], 'params': params,
        'madeWith': {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'onnx': onnx.__version__, 'opset': 14},
    }, open(os.path.join(OUT, f'{name}.json'), 'w'), indent=2)
    print('fixture', os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
