"""Vectorised spatial helpers for the layouts: neighbour pairs, far-field repulsion,
overlap removal and packing of components.

Everything works on ``(n, 2)`` float arrays; nothing here knows about graphs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Half of the 3x3 cell neighbourhood: each unordered pair of cells is visited once.
_HALF_NEIGHBOURHOOD = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def close_pairs(positions: FloatArray, cutoff: float) -> tuple[IntArray, IntArray]:
    """Return index arrays ``(i, j)`` of every unordered pair closer than ``cutoff``.

    Uses a cell list (uniform grid of side ``cutoff``), so the cost is proportional to
    the number of nodes times the local density rather than to n squared.
    """
    count = len(positions)
    empty = np.empty(0, dtype=np.int64)
    if count < 2 or cutoff <= 0:
        return empty, empty
    cells = np.floor((positions - positions.min(axis=0)) / cutoff).astype(np.int64) + 1
    stride = int(cells[:, 1].max()) + 2
    keys = cells[:, 0] * stride + cells[:, 1]
    order = np.argsort(keys, kind="stable")
    unique_keys, starts, counts = np.unique(keys[order], return_index=True, return_counts=True)
    firsts: list[IntArray] = []
    seconds: list[IntArray] = []
    for offset_x, offset_y in _HALF_NEIGHBOURHOOD:
        wanted = keys + offset_x * stride + offset_y
        slot = np.minimum(np.searchsorted(unique_keys, wanted), len(unique_keys) - 1)
        found = unique_keys[slot] == wanted
        owners = np.nonzero(found)[0]
        if owners.size == 0:
            continue
        cell_start = starts[slot[found]]
        cell_count = counts[slot[found]]
        total = int(cell_count.sum())
        first = np.repeat(owners, cell_count)
        within = np.arange(total) - np.repeat(np.cumsum(cell_count) - cell_count, cell_count)
        second = order[np.repeat(cell_start, cell_count) + within]
        if offset_x == 0 and offset_y == 0:
            keep = first < second
            first, second = first[keep], second[keep]
        firsts.append(first)
        seconds.append(second)
    if not firsts:
        return empty, empty
    first = np.concatenate(firsts)
    second = np.concatenate(seconds)
    delta = positions[first] - positions[second]
    near = np.einsum("ij,ij->i", delta, delta) < cutoff * cutoff
    return first[near], second[near]


def mesh_repulsion(
    positions: FloatArray, strength: float, sigma: float, mass: FloatArray | None = None
) -> FloatArray:
    """Approximate long-range part of an inverse-distance repulsion on a grid.

    The repulsion ``strength * r / |r|^2`` is split Ewald-style into a short-range part
    (weighted by ``exp(-|r|^2 / 2 sigma^2)``, computed exactly by the caller for close
    pairs) and the smooth remainder computed here: masses are spread onto a grid of
    cell ``sigma`` (cloud-in-cell), convolved with the smooth kernel by FFT and
    interpolated back. With ``mass``, node i repels j with ``mass[i] * mass[j]``.
    """
    cell = sigma
    origin = positions.min(axis=0) - cell
    grid_coords = (positions - origin) / cell
    base = np.floor(grid_coords).astype(np.int64)
    frac = grid_coords - base
    size_x = int(base[:, 0].max()) + 3
    size_y = int(base[:, 1].max()) + 3
    corner_index = []
    corner_weight = []
    for step_x in (0, 1):
        weight_x = frac[:, 0] if step_x else 1.0 - frac[:, 0]
        for step_y in (0, 1):
            weight_y = frac[:, 1] if step_y else 1.0 - frac[:, 1]
            corner_index.append((base[:, 0] + step_x) * size_y + (base[:, 1] + step_y))
            corner_weight.append(weight_x * weight_y)
    flat_index = np.concatenate(corner_index)
    flat_weight = np.concatenate(corner_weight)
    if mass is not None:
        flat_weight = flat_weight * np.tile(mass, 4)
    density = np.bincount(flat_index, weights=flat_weight, minlength=size_x * size_y)
    density = density.reshape(size_x, size_y)

    # Padding to twice the grid makes the FFT's circular convolution a linear one;
    # rounding up to multiples of 16 lets the kernel transforms be cached.
    pad_x = -(-2 * size_x // 16) * 16
    pad_y = -(-2 * size_y // 16) * 16
    kernel_x, kernel_y = _unit_kernel(pad_x, pad_y)
    scale = strength / sigma
    density_hat = np.fft.rfft2(density, s=(pad_x, pad_y))
    field_x = np.fft.irfft2(density_hat * kernel_x, s=(pad_x, pad_y))
    field_y = np.fft.irfft2(density_hat * kernel_y, s=(pad_x, pad_y))
    field_x = field_x[:size_x, :size_y].ravel() * scale
    field_y = field_y[:size_x, :size_y].ravel() * scale
    count = len(positions)
    force = np.zeros((count, 2))
    for index, weight in zip(corner_index, corner_weight, strict=True):
        force[:, 0] += field_x[index] * weight
        force[:, 1] += field_y[index] * weight
    if mass is not None:
        force *= mass[:, None]
    return force


@lru_cache(maxsize=16)
def _unit_kernel(pad_x: int, pad_y: int) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """FFT of the smooth repulsion kernel for sigma = cell = strength = 1."""
    offset_x = np.fft.fftfreq(pad_x, 1.0 / pad_x)
    offset_y = np.fft.fftfreq(pad_y, 1.0 / pad_y)
    delta_x, delta_y = np.meshgrid(offset_x, offset_y, indexing="ij")
    distance2 = delta_x * delta_x + delta_y * delta_y
    with np.errstate(divide="ignore", invalid="ignore"):
        smooth = -np.expm1(-distance2 / 2.0) / distance2
    smooth[0, 0] = 0.0
    return np.fft.rfft2(smooth * delta_x), np.fft.rfft2(smooth * delta_y)


def remove_overlaps(
    positions: FloatArray,
    half_sizes: FloatArray,
    offsets: FloatArray,
    fixed: NDArray[np.bool_],
    *,
    radius: float,
    gap: float,
    max_rounds: int = 200,
) -> FloatArray:
    """Push nodes apart until no two footprints overlap (or ``max_rounds`` is reached).

    Each node has a circle of ``radius`` plus a rectangular footprint (its label) with
    half extents ``half_sizes[i]`` centred at ``positions[i] + offsets[i]``. Circles are
    separated radially, footprints along the axis of least penetration. Fixed nodes
    never move; the free partner of a fixed node takes the whole push.
    """
    result = positions.copy()
    count = len(result)
    if count < 2:
        return result
    movable = (~fixed).astype(np.float64)
    reach = 2.0 * max(radius + gap, float(np.abs(offsets).max() + half_sizes.max()) + gap)
    first = second = np.empty(0, dtype=np.int64)
    refresh_at = 0
    for round_number in range(max_rounds):
        fresh = round_number >= refresh_at
        if fresh:
            # Candidate pairs are refreshed every few rounds, with slack for movement.
            first, second = close_pairs(result, 1.5 * reach)
            refresh_at = round_number + 4
        if first.size == 0:
            break
        push = np.zeros_like(result)
        delta = result[first] - result[second]
        distance = np.sqrt(np.einsum("ij,ij->i", delta, delta))
        # Coincident nodes: separate along a direction derived from their indices.
        coincident = distance < 1e-9
        if coincident.any():
            angle = (first[coincident] * 2.399963 + second[coincident]) % (2 * np.pi)
            delta[coincident] = np.column_stack([np.cos(angle), np.sin(angle)]) * 1e-6
            distance[coincident] = 1e-6
        needed = 2.0 * radius + gap - distance
        circle = needed > 1e-9
        moved = bool(circle.any())
        if moved:
            direction = delta[circle] / distance[circle, None]
            _accumulate(push, first[circle], second[circle], direction * needed[circle, None],
                        movable)
        box_delta = (result[first] + offsets[first]) - (result[second] + offsets[second])
        limit = half_sizes[first] + half_sizes[second] + gap
        penetration = limit - np.abs(box_delta)
        boxes = (penetration[:, 0] > 1e-9) & (penetration[:, 1] > 1e-9)
        if boxes.any():
            moved = True
            pen = penetration[boxes]
            signs = np.where(box_delta[boxes] >= 0, 1.0, -1.0)
            along_x = pen[:, 0] <= pen[:, 1]
            vector = np.zeros_like(pen)
            vector[along_x, 0] = pen[along_x, 0] * signs[along_x, 0]
            vector[~along_x, 1] = pen[~along_x, 1] * signs[~along_x, 1]
            _accumulate(push, first[boxes], second[boxes], vector, movable)
        if not moved:
            if fresh:
                break
            refresh_at = round_number + 1
            continue
        # Average rather than sum the pushes: summing over-shoots in crowded areas and
        # makes clusters oscillate instead of spreading.
        partners = np.bincount(np.concatenate([first[circle], second[circle], first[boxes],
                                               second[boxes]]), minlength=count)
        result += push / np.maximum(partners, 1)[:, None] ** 0.5
    return result


def _accumulate(
    push: FloatArray,
    first: IntArray,
    second: IntArray,
    vector: FloatArray,
    movable: FloatArray,
) -> None:
    """Share a separating ``vector`` (pointing from second to first) between a pair."""
    move_first = movable[first]
    move_second = movable[second]
    share_total = move_first + move_second
    with np.errstate(divide="ignore", invalid="ignore"):
        share_first = np.where(share_total > 0, move_first / share_total, 0.0)
        share_second = np.where(share_total > 0, move_second / share_total, 0.0)
    # A little over the exact amount so chains of contacts settle in fewer rounds.
    scaled = vector * 1.02
    count = len(push)
    for axis in (0, 1):
        push[:, axis] += np.bincount(first, scaled[:, axis] * share_first, minlength=count)
        push[:, axis] -= np.bincount(second, scaled[:, axis] * share_second, minlength=count)


def shelf_pack(sizes: FloatArray, gap: float) -> FloatArray:
    """Place rectangles of the given (width, height) in rows; return lower-left corners.

    Rectangles are taken in the order given (callers sort them largest first) and rows
    are filled up to a width that keeps the overall result roughly square.
    """
    if len(sizes) == 0:
        return np.zeros((0, 2))
    area = float(np.sum((sizes[:, 0] + gap) * (sizes[:, 1] + gap)))
    row_width = max(float(sizes[:, 0].max()), 1.2 * np.sqrt(area))
    corners = np.zeros_like(sizes)
    cursor_x = 0.0
    row_top = 0.0
    row_height = 0.0
    for index, (width, height) in enumerate(sizes):
        if cursor_x > 0 and cursor_x + width > row_width:
            row_top -= row_height + gap
            cursor_x = 0.0
            row_height = 0.0
        corners[index] = (cursor_x, row_top - height)
        cursor_x += width + gap
        row_height = max(row_height, height)
    return corners


def spread_out(positions: FloatArray, footprint: float, *, crowded_share: float = 0.1,
               max_factor: float = 4.0) -> FloatArray:
    """Centre a layout and scale it up until few nodes have a neighbour closer than
    ``footprint``; the overlap pass then only has local conflicts to settle."""
    result = positions - positions.mean(axis=0)
    factor = 1.0
    while factor < max_factor:
        first, second = close_pairs(result, footprint)
        crowded = np.unique(np.concatenate([first, second])).size
        if crowded <= crowded_share * len(result):
            break
        result *= 1.15
        factor *= 1.15
    return result
