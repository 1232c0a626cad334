#!/usr/bin/env python3
"""Trains the PyTorch twin of a DslNet model data-parallel (DistributedDataParallel), as ExportPyTorch wrote it.

    torchrun --nproc_per_node N train.py --data DIR [--epochs E] [--out weights.pt]
    torchrun --nnodes M --node_rank R --master_addr HOST --master_port PORT --nproc_per_node N train.py --data DIR ...
    # or each rank started by hand with the variables torchrun sets (Debian 12's torch 1.13 torchrun fails on Python 3.11):
    MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 RANK=r LOCAL_RANK=r WORLD_SIZE=n python3 train.py --data DIR ...
    # without those variables it runs as one process.

DIR holds train_x.npy and train_y.npy (and optionally valid_x.npy, valid_y.npy), as DslNet's
Dataset.SaveNumpy(DIR, "train") writes them. The weights start from weights.pt beside this file (DslNet's initial or
trained weights) unless --init names another file; rank 0 writes --out, which DslNet's ImportWeights reads back. gloo
on CPUs, NCCL on GPUs (one GPU per local rank).

The same as the DslNet run: the network and its initial weights, the loss computed from the logits, the optimizer
(Keras' update formulas, written below: SGD, Adam, Nadam with Keras 2's momentum schedule, RMSprop; not torch's NAdam),
gradient clipping, the learning-rate schedule by batch (the book's 1cycle, written below; not torch's OneCycleLR),
batch-norm momentum (torch's momentum = 1 - Keras') and epsilon, the declared batch size, epochs and seed.

Differences from the DslNet run (what is not the same computation):
- The declared batch size is the global one: each of the WORLD_SIZE ranks takes batch_size / WORLD_SIZE samples per
  step (it must divide), and DDP averages the ranks' gradients. With one rank the batches are DslNet's.
- Batch normalization computes its batch statistics per rank, over the rank's share of the batch (no SyncBatchNorm);
  DDP gives every rank rank 0's moving statistics before each step, and the ranks' final ones are averaged.
- Shuffling: DistributedSampler seeded with the model's seed and set_epoch(epoch): every epoch one permutation shared by
  all ranks, cut into disjoint shards (padded by repeating samples to a multiple of WORLD_SIZE). It is torch's
  permutation, not DslNet's. With --no-shuffle (or [Train(Shuffle = false)]) and one rank, batch k holds samples
  k*batch_size ... (k+1)*batch_size - 1 in file order, as DslNet's Fit with Shuffle = false: the data-order contract
  under which one epoch of both equals within float rounding.
- Dropout, alpha dropout and augmentation draw from torch's generator (seeded), not DslNet's per-layer generators.
- Not carried over: early stopping, ReduceOnPlateau (the rate stays), the l1/l2 penalties and max-norm constraints
  declared on layers, class weights, frozen layers, EMA, test-time augmentation (the twin's forward and its validation
  are the plain network), checkpoints and backups, TensorBoard logs. AdamW, AdaMax and
  AdaGrad use torch's optimizers (epsilon placement differs from Keras').
- Summation order differs (threads, all-reduce): results agree to float rounding, not bit for bit.
"""
import argparse
import datetime
import math
import os
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Model  # noqa: E402

# @CONFIG@


class KerasOptimizer(torch.optim.Optimizer):
    """DslNet's (Keras') update formulas; `lr` is set by the schedule before each step."""

    def __init__(self, params, config):
        super().__init__(params, dict(lr=config['learning_rate']))
        self.config = config
        self.steps = 0
        self.momentum_cache = 1.0

    @torch.no_grad()
    def step(self):
        c = self.config
        self.steps += 1
        t = self.steps
        kind = c['kind']
        if kind == 'nadam':  # Keras 2: mu_t = beta1 (1 - 0.5 * 0.96^(0.004 t)); the product of the mu's
            mu = c['beta1'] * (1 - 0.5 * 0.96 ** (0.004 * t))
            mu_next = c['beta1'] * (1 - 0.5 * 0.96 ** (0.004 * (t + 1)))
            self.momentum_cache *= mu
            cache_next = self.momentum_cache * mu_next
        for group in self.param_groups:
            lr = group['lr']
            for p in group['params']:
                if p.grad is None:
                    continue
                g = p.grad
                if c['clip_value'] > 0:
                    g = g.clamp(-c['clip_value'], c['clip_value'])
                if c['clip_norm'] > 0:  # Keras' clipnorm: each variable's gradient norm separately
                    g = g * (c['clip_norm'] / g.norm().clamp_min(c['clip_norm']))
                state = self.state[p]
                if kind == 'sgd':
                    if c['momentum'] == 0:
                        p.add_(g, alpha=-lr)
                        continue
                    v = state.setdefault('velocity', torch.zeros_like(p))
                    v.mul_(c['momentum']).add_(g, alpha=-lr)
                    if c['nesterov']:
                        p.add_(v, alpha=c['momentum']).add_(g, alpha=-lr)
                    else:
                        p.add_(v)
                elif kind == 'rmsprop':
                    ms = state.setdefault('mean_square', torch.zeros_like(p))
                    ms.mul_(c['rho']).addcmul_(g, g, value=1 - c['rho'])
                    if c['momentum'] == 0:
                        p.addcdiv_(g, ms.sqrt().add_(c['epsilon']), value=-lr)
                    else:
                        v = state.setdefault('velocity', torch.zeros_like(p))
                        v.mul_(c['momentum']).addcdiv_(g, ms.add(c['epsilon']).sqrt_(), value=lr)
                        p.sub_(v)
                else:
                    m = state.setdefault('m', torch.zeros_like(p))
                    v = state.setdefault('v', torch.zeros_like(p))
                    m.lerp_(g, 1 - c['beta1'])
                    v.mul_(c['beta2']).addcmul_(g, g, value=1 - c['beta2'])
                    correction = math.sqrt(1 - c['beta2'] ** t)
                    if kind == 'adam':  # Keras: epsilon-hat, lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)
                        p.addcdiv_(m, v.sqrt().add_(c['epsilon']), value=-lr * correction / (1 - c['beta1'] ** t))
                    else:  # nadam, the epsilon correction folded into the coefficients as DslNet does
                        d = v.sqrt().add_(c['epsilon'] * correction)
                        p.addcdiv_(g, d, value=-lr * correction * (1 - mu) / (1 - self.momentum_cache))
                        p.addcdiv_(m, d, value=-lr * correction * mu_next / (1 - cache_next))


class Logits(torch.nn.Module):
    """The model's forward without the output activation (what DDP wraps and the loss is computed from)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model.logits(x)


def make_optimizer(params, config):
    kind = config['kind']
    if kind in ('sgd', 'adam', 'nadam', 'rmsprop'):
        return KerasOptimizer(params, config)
    lr, betas, eps = config['learning_rate'], (config.get('beta1', 0.9), config.get('beta2', 0.999)), config.get('epsilon', 1e-7)
    if kind == 'adamw':
        return torch.optim.AdamW(params, lr=lr, betas=betas, eps=eps, weight_decay=config['weight_decay'])
    if kind == 'adamax':
        return torch.optim.Adamax(params, lr=lr, betas=betas, eps=eps)
    if kind == 'adagrad':
        return torch.optim.Adagrad(params, lr=lr, eps=eps, initial_accumulator_value=config['initial_accumulator'])
    raise ValueError('unknown optimizer ' + kind)


def one_cycle(iteration, iterations, max_rate, start_rate=0.0, last_rate=0.0, last_iterations=0):
    """The book's OneCycleScheduler (learning rate only): start -> max -> start linearly, then down to last."""
    start = start_rate if start_rate > 0 else max_rate / 10
    last = last_rate if last_rate > 0 else start / 1000
    last_iterations = last_iterations if last_iterations > 0 else iterations // 10 + 1
    half = (iterations - last_iterations) // 2

    def interpolate(i, a, b, ra, rb):
        return (rb - ra) * (i - a) / (b - a) + ra
    if iteration < half:
        return interpolate(iteration, 0, half, start, max_rate)
    if iteration < 2 * half:
        return interpolate(iteration, half, 2 * half, max_rate, start)
    return interpolate(min(iteration, iterations), 2 * half, iterations, start, last)


def rate(schedule, iteration, iterations, base):
    if schedule is None:
        return base
    kind = schedule['kind']
    if kind == 'one_cycle':
        return one_cycle(iteration, iterations, schedule['max_rate'], schedule['start_rate'], schedule['last_rate'], schedule['last_iterations'])
    if kind == 'exponential':
        return base * 0.1 ** (iteration / schedule['steps'])
    if kind == 'power':
        return base / (1 + iteration / schedule['steps']) ** schedule['power']
    if kind == 'piecewise':
        for boundary, r in zip(schedule['boundaries'], schedule['rates']):
            if iteration < boundary:
                return r
        return schedule['rates'][-1]
    return base  # reduce_on_plateau: not carried over


def loss_of(logits, labels):
    loss = CONFIG['loss']
    smoothing = CONFIG.get('label_smoothing', 0.0)
    if loss == 'sparse_categorical_crossentropy':
        # Keras' label smoothing: targets (1 - e) * onehot + e / classes, as torch's label_smoothing.
        return F.cross_entropy(logits, labels, label_smoothing=smoothing)
    if loss == 'binary_crossentropy':
        targets = labels.to(logits.dtype).reshape(logits.shape)
        # Keras' binary label smoothing: y * (1 - e) + e / 2.
        return F.binary_cross_entropy_with_logits(logits, targets * (1 - smoothing) + 0.5 * smoothing)
    outputs = {'softmax': lambda z: F.softmax(z, -1), 'sigmoid': torch.sigmoid}.get(CONFIG['output'], lambda z: z)(logits)
    targets = labels.to(logits.dtype).reshape(logits.shape)
    return {'mean_absolute_error': F.l1_loss, 'huber': F.huber_loss}.get(loss, F.mse_loss)(outputs, targets)


def load(directory, name):
    x = torch.from_numpy(np.load(os.path.join(directory, name + '_x.npy')))
    y = torch.from_numpy(np.load(os.path.join(directory, name + '_y.npy')))
    return TensorDataset(x, y)


@torch.no_grad()
def evaluate(model, data, batch_size, device):
    """Mean loss and accuracy (classifiers) in inference mode, over the whole set."""
    model.eval()
    total, correct, count = 0.0, 0, 0
    for x, y in DataLoader(data, batch_size=batch_size):
        x, y = x.to(device), y.to(device)
        logits = model.logits(x)
        total += loss_of(logits, y).item() * len(x)
        if CONFIG['loss'] == 'sparse_categorical_crossentropy':
            correct += (logits.argmax(-1) == y).sum().item()
        elif CONFIG['loss'] == 'binary_crossentropy':
            correct += ((logits.reshape(-1) > 0).long() == y.reshape(-1).long()).sum().item()
        count += len(x)
    model.train()
    return total / count, correct / count


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', required=True, help='folder of train_x.npy, train_y.npy (valid_x.npy, valid_y.npy)')
    parser.add_argument('--epochs', type=int, default=CONFIG['epochs'])
    parser.add_argument('--batch-size', type=int, default=CONFIG['batch_size'], help='global batch size (split over ranks)')
    parser.add_argument('--out', default='weights.pt', help='where rank 0 writes the trained state_dict')
    parser.add_argument('--init', default=os.path.join(here, 'weights.pt'), help='initial state_dict')
    parser.add_argument('--no-shuffle', action='store_true', help='keep file order (one rank: DslNet\'s batches)')
    parser.add_argument('--seed', type=int, default=CONFIG['seed'])
    parser.add_argument('--all-ranks', action='store_true', help='every rank r > 0 also writes its weights (trained.pt: trained.rank<r>.pt), to check that the ranks agree')
    parser.add_argument('--log', help='optional file where each rank appends its per-epoch losses (rank r: LOG.r)')
    args = parser.parse_args()

    distributed = 'WORLD_SIZE' in os.environ and int(os.environ['WORLD_SIZE']) > 1
    rank = int(os.environ.get('RANK', 0))
    world = int(os.environ.get('WORLD_SIZE', 1))
    local_rank = int(os.environ.get('LOCAL_RANK', 0))
    cuda = torch.cuda.is_available()
    device = torch.device('cuda', local_rank) if cuda else torch.device('cpu')
    if distributed:
        dist.init_process_group('nccl' if cuda else 'gloo', init_method='env://', timeout=datetime.timedelta(minutes=10))
    if args.batch_size % world != 0:
        sys.exit(f'The batch size {args.batch_size} does not divide over {world} ranks: pass --batch-size a multiple of {world}.')
    torch.manual_seed(args.seed + rank)

    model = Model()
    model.load_state_dict(torch.load(args.init, map_location='cpu'))
    model.to(device).train()
    # DDP all-reduces the gradients of what its forward computed: the logits (the loss is computed from them).
    trained = DistributedDataParallel(Logits(model), device_ids=[local_rank] if cuda else None) if distributed else Logits(model)
    optimizer = make_optimizer(trained.parameters(), CONFIG['optimizer'])

    train = load(args.data, 'train')
    valid = load(args.data, 'valid') if os.path.exists(os.path.join(args.data, 'valid_x.npy')) else None
    shuffle = CONFIG['shuffle'] and not args.no_shuffle
    sampler = DistributedSampler(train, num_replicas=world, rank=rank, shuffle=shuffle, seed=args.seed)
    loader = DataLoader(train, batch_size=args.batch_size // world, sampler=sampler)
    iterations = len(loader) * args.epochs
    base = CONFIG['optimizer']['learning_rate']
    iteration = 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        total, count = 0.0, 0
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            for group in optimizer.param_groups:
                group['lr'] = rate(CONFIG['schedule'], iteration, iterations, base)
            optimizer.zero_grad()
            logits = trained(x)
            loss = loss_of(logits, y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(x)
            count += len(x)
            iteration += 1
        line = f'epoch {epoch + 1}/{args.epochs} rank {rank} loss {total / count:.6f}'
        if valid is not None and rank == 0:
            val_loss, val_accuracy = evaluate(model, valid, args.batch_size, device)
            line += f' val_loss {val_loss:.6f} val_accuracy {val_accuracy:.6f}'
        print(line, flush=True)
        if args.log:
            with open(f'{args.log}.{rank}', 'a') as log:
                log.write(f'{total / count}\n')

    if distributed:  # each rank moved its batch-norm statistics with its own batches in the last step: average them
        with torch.no_grad():
            for buffer in model.buffers():
                if buffer.is_floating_point():
                    dist.all_reduce(buffer)
                    buffer /= world
    if rank == 0 or args.all_ranks:
        root, extension = os.path.splitext(args.out)
        out = args.out if rank == 0 else f'{root}.rank{rank}{extension}'
        state = {key: value.cpu() for key, value in model.state_dict().items()}
        torch.save(state, out + '.tmp')
        os.replace(out + '.tmp', out)
    if rank == 0:
        if valid is not None:
            val_loss, val_accuracy = evaluate(model, valid, args.batch_size, device)
            print(f'final val_loss {val_loss:.6f} val_accuracy {val_accuracy:.6f}', flush=True)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
