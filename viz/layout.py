"""Node positions computed in Python for views too large for the browser's physics simulation.

With physics on, vis-network needed 68 s to first draw 500 nodes; with positions
given and physics off it draws thousands in seconds. NetworkX's spring layout is
O(n²) per iteration (44 s for 10,000 nodes), so this module has its own
ForceAtlas2-style layout whose every step is O(n + m + G² log G):

* **repulsion** between all pairs, ``mass_i · mass_j / distance`` (mass = degree + 1,
  so hubs push their neighbourhoods apart), is computed on a G x G grid as in
  particle-mesh simulations: masses are spread onto the grid, convolved with the
  force kernel by FFT, and read back at each node (bilinear both ways);
* **attraction** along each tie, proportional to distance and collaboration weight, is
  summed per node with ``bincount``;
* **gravity** towards the centre keeps separate components on screen;
* each node moves along its force at most ``temperature``, which cools
  geometrically — the classic Fruchterman-Reingold schedule.

Layouts are remembered in a small LRU keyed by the caller's key (e.g. the graph
version) and the exact node and edge lists, so the same view of the same graph
version is laid out once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from functools import cache

import numpy as np
from scipy.fft import irfft2, next_fast_len, rfft2

ITERATIONS = 120
CACHE_SIZE = 16
SPACING = 80.0  # pixels between neighbouring nodes in the returned coordinates
_GRAVITY = 1.0
_REPULSION = 1.0

_cache: OrderedDict[Hashable, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


@cache
def _kernel_spectrum(grid: int) -> tuple[int, np.ndarray, np.ndarray]:
    """FFT size and the spectra of the force kernel ``(dx, dy) / (dx² + dy² + 1)`` (softened at distance 0).

    The kernel is laid out circularly over an FFT size of at least ``2 · grid``, so
    the circular convolution equals the linear one for every offset on the grid.
    """
    size = next_fast_len(2 * grid)
    offsets = np.arange(size, dtype=float)
    offsets[offsets >= size / 2] -= size
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    squared = dx * dx + dy * dy + 1.0
    return size, rfft2(dx / squared), rfft2(dy / squared)


def _cell_size(pos: np.ndarray, grid: int) -> float:
    """Side of a grid cell when the grid spans the nodes' bounding square."""
    return max(float((pos.max(axis=0) - pos.min(axis=0)).max()), 1e-9) / (grid - 1)


def _bilinear(pos: np.ndarray, grid: int) -> tuple[np.ndarray, np.ndarray]:
    """Each node's four surrounding grid cells (flat indices, 4 x n) and their bilinear weights."""
    at = (pos - pos.min(axis=0)) / _cell_size(pos, grid)
    base = np.minimum(np.floor(at).astype(np.int64), grid - 2)
    frac = at - base
    fx, fy = frac[:, 0], frac[:, 1]
    i, j = base[:, 0], base[:, 1]
    cells = np.stack([i * grid + j, (i + 1) * grid + j, i * grid + j + 1, (i + 1) * grid + j + 1])
    weights = np.stack([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy])
    return cells, weights


def _repulsion(pos: np.ndarray, mass: np.ndarray, grid: int) -> np.ndarray:
    """Approximate ``Σ_j mass_i mass_j (p_i - p_j) / |p_i - p_j|²`` for every node ``i`` (particle-mesh)."""
    size, kernel_x, kernel_y = _kernel_spectrum(grid)
    cells, weights = _bilinear(pos, grid)
    density = np.bincount(cells.ravel(), (weights * mass).ravel(), minlength=grid * grid).reshape(grid, grid)
    spectrum = rfft2(density, s=(size, size))
    force = np.empty_like(pos)
    for axis, kernel in enumerate((kernel_x, kernel_y)):
        field = irfft2(spectrum * kernel, s=(size, size))[:grid, :grid].ravel()
        force[:, axis] = (field[cells] * weights).sum(axis=0) * mass
    return force / _cell_size(pos, grid)


def force_layout(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    strengths: np.ndarray,
    *,
    iterations: int = ITERATIONS,
    seed: int = 0,
) -> np.ndarray:
    """Positions (n x 2, pixels, centred on 0) for nodes ``0..n-1`` tied by ``sources[k] -- targets[k]``.

    ``strengths`` (> 0) pull tied nodes together in proportion; they are
    normalised by their mean, so only their ratios matter. Deterministic per ``seed``.
    """
    if n <= 1:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2)) * np.sqrt(n)
    mass = 1.0 + np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)
    pull = strengths / strengths.mean() if len(strengths) else strengths
    grid = int(np.clip(np.sqrt(n), 16, 128))
    temperature = np.sqrt(n)
    cooling = (0.01) ** (1.0 / iterations)  # ends at 1 % of the start temperature
    for _ in range(iterations):
        force = _REPULSION * _repulsion(pos, mass, grid)
        stretch = (pos[targets] - pos[sources]) * pull[:, None]
        for axis in (0, 1):
            force[:, axis] += np.bincount(sources, stretch[:, axis], minlength=n)
            force[:, axis] -= np.bincount(targets, stretch[:, axis], minlength=n)
        centre = pos - pos.mean(axis=0)
        force -= _GRAVITY * mass[:, None] * centre / np.maximum(np.linalg.norm(centre, axis=1), 1e-9)[:, None]
        length = np.maximum(np.linalg.norm(force, axis=1), 1e-12)
        pos += force * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    return _to_pixels(pos)


def _to_pixels(pos: np.ndarray) -> np.ndarray:
    """Centre on 0 and scale so that the bulk of the nodes sit about :data:`SPACING` pixels apart."""
    pos = pos - np.median(pos, axis=0)
    lo, hi = np.percentile(pos, [5, 95], axis=0)
    area = max(float(np.prod(np.maximum(hi - lo, 1e-9))), 1e-9)
    return pos * (SPACING / np.sqrt(area / (0.9 * 0.9 * len(pos))))


def cached_layout(
    key: Hashable | None, nodes: Sequence[Hashable], sources: np.ndarray, targets: np.ndarray, strengths: np.ndarray
) -> np.ndarray:
    """:func:`force_layout`, remembered under ``(key, nodes, edges)`` when ``key`` is not None.

    ``key`` should change whenever the graph does (the projection's version is
    ideal); the node and edge lists are part of the cache key, so different
    views of one version never share a layout by mistake.
    """
    if key is None:
        return force_layout(len(nodes), sources, targets, strengths)
    full_key = (key, tuple(nodes), sources.tobytes(), targets.tobytes(), strengths.tobytes())
    with _cache_lock:
        if full_key in _cache:
            _cache.move_to_end(full_key)
            return _cache[full_key]
    positions = force_layout(len(nodes), sources, targets, strengths)
    positions.flags.writeable = False
    with _cache_lock:
        _cache[full_key] = positions
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return positions


def clear_cache() -> None:
    """Forget every remembered layout."""
    with _cache_lock:
        _cache.clear()
