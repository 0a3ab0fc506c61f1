"""Draw the book's explanatory diagrams as SVG files in book/figures/.

    .venv/bin/python tools/diagrams.py                 # (re)write book/figures/*.svg
    .venv/bin/python tools/diagrams.py --out DIR       # write them somewhere else
    .venv/bin/python tools/diagrams.py --only lstm_cell --png   # one diagram, plus a PNG

Every diagram is drawn with matplotlib patches, arrows and mathtext (no LaTeX, no network)
on an opaque white card with a light rounded border, so that it stays readable on the dark
theme. Colours are the Okabe-Ito palette (safe for colour-blind readers), and gradients are
told apart from the forward pass by their dash pattern as well as their colour. Output is
byte-for-byte reproducible (fixed ``svg.hashsalt``, no date in the metadata), so
``tests/test_diagrams.py`` can regenerate the files and compare them with the committed ones.
The names in the diagrams are the names of the code next to them in the chapters.
"""

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "book" / "figures"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
# colour blindness. Light tints of them fill the boxes; text stays near-black.
ORANGE, SKY, GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PURPLE = "#0072B2", "#D55E00", "#CC79A7"
INK, GREY, BORDER = "#1a1a1a", "#6b6b6b", "#c8c8c8"
GRAD = VERMILLION  # gradients (backward pass), always dashed
FS = 16  # base font size in points; figures are 6.4-7 inches wide (legible at phone width)


def tint(color, amount=0.25):
    """`color` mixed with white: `amount` 1 is the colour itself, 0 is white."""
    rgb = matplotlib.colors.to_rgb(color)
    return matplotlib.colors.to_hex([1 - amount * (1 - c) for c in rgb])


STYLE = {
    "svg.hashsalt": "mit6s191-diagrams",  # fixed clip-path / glyph ids: reproducible files
    "svg.fonttype": "path",  # glyphs as outlines: the same on every device, no font needed
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": FS,
    "text.color": INK,
    "path.simplify": False,
}
MONO = {"family": "DejaVu Sans Mono"}


# ----------------------------------------------------------------------------- drawing kit
def canvas(width, height):
    """A figure whose data units are inches, on a white card with a light rounded border."""
    fig = plt.figure(figsize=(width, height))
    fig.patch.set_alpha(0)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.add_patch(
        FancyBboxPatch(
            (0.03, 0.03),
            width - 0.06,
            height - 0.06,
            boxstyle="round,pad=0,rounding_size=0.16",
            fc="white",
            ec=BORDER,
            lw=1.5,
            zorder=-10,
        )
    )
    return fig, ax


def text(ax, x, y, s, size=FS, mono=False, **kw):
    kw = {"ha": "center", "va": "center", "fontsize": size, "zorder": 5, **kw}
    if mono:
        kw["fontfamily"] = MONO["family"]
    return ax.text(x, y, s, **kw)


def box(ax, x, y, w, h, label="", fc="white", ec=INK, size=FS, lw=1.6, r=0.08, mono=False):
    """A rounded box centred on (x, y), with a label; returns the patch (for arrows)."""
    patch = FancyBboxPatch(
        (x - w / 2, y - h / 2),
        w,
        h,
        boxstyle=f"round,pad=0,rounding_size={r}",
        fc=fc,
        ec=ec,
        lw=lw,
        zorder=3,
    )
    ax.add_patch(patch)
    if label:
        text(ax, x, y, label, size=size, mono=mono)
    return patch


def node(ax, x, y, r, label="", fc="white", ec=INK, size=FS, lw=1.6):
    """A circle centred on (x, y), with a label; returns the patch (for arrows)."""
    patch = Circle((x, y), r, fc=fc, ec=ec, lw=lw, zorder=3)
    ax.add_patch(patch)
    if label:
        text(ax, x, y, label, size=size)
    return patch


def arrow(ax, a, b, color=INK, lw=1.8, dashed=False, rad=0.0, patch_a=None, patch_b=None, **kw):
    """An arrow from point a to point b, clipped to the outlines of patch_a / patch_b."""
    style = "-|>,head_length=0.55,head_width=0.28"
    patch = FancyArrowPatch(
        a,
        b,
        arrowstyle=style,
        mutation_scale=18,
        color=color,
        lw=lw,
        linestyle=(0, (4, 2.5)) if dashed else "-",
        connectionstyle=f"arc3,rad={rad}",
        patchA=patch_a,
        patchB=patch_b,
        shrinkA=kw.pop("shrink_a", 1),
        shrinkB=kw.pop("shrink_b", 1),
        zorder=kw.pop("zorder", 4),
        **kw,
    )
    ax.add_patch(patch)
    return patch


def line(ax, xs, ys, color=INK, lw=1.8, **kw):
    ax.plot(xs, ys, color=color, lw=lw, solid_capstyle="round", zorder=kw.pop("zorder", 2), **kw)


def legend_row(ax, x, y, items, size=FS - 3):
    """A row of (kind, colour, label) legend entries starting at (x, y); kind: arrow|dashed."""
    for kind, color, label in items:
        arrow(ax, (x, y), (x + 0.45, y), color=color, dashed=kind == "dashed", lw=1.6)
        t = text(ax, x + 0.55, y, label, size=size, ha="left")
        x += 0.75 + 0.095 * size / FS * len(label.replace("$", "").replace("\\", ""))
    return t


# ------------------------------------------------------------------------- chapter 1
def perceptron():
    """Inputs x_1..x_m and the bias input 1, weights w_0..w_m, the sum z, g, the output."""
    fig, ax = canvas(7.0, 3.6)
    ys = {"1": 2.95, "$x_1$": 2.2, "$x_2$": 1.45, "$x_m$": 0.45}
    weights = {"1": "$w_0$", "$x_1$": "$w_1$", "$x_2$": "$w_2$", "$x_m$": "$w_m$"}
    total = node(ax, 3.55, 1.7, 0.42, r"$\Sigma$", fc=tint(SKY), size=FS + 5)
    for label, y in ys.items():
        fc = tint(ORANGE) if label == "1" else tint(BLUE, 0.18)
        inp = node(ax, 0.75, y, 0.3, label, fc=fc)
        arrow(ax, (0.75, y), (3.55, 1.7), patch_a=inp, patch_b=total, color=GREY)
        wx = 1.7
        wy = y + (1.7 - y) * (wx - 0.75) / (3.55 - 0.75)
        text(ax, wx, wy + 0.2, weights[label], size=FS, bbox=dict(fc="white", ec="none", pad=1))
    text(ax, 0.75, 0.95, r"$\vdots$", size=FS + 2)
    text(ax, 0.75, 3.38, "bias", size=FS - 2, color=GREY)
    act = box(ax, 5.05, 1.7, 0.95, 0.8, fc=tint(GREEN))
    xs = [4.7 + 0.7 * i / 40 for i in range(41)]
    line(ax, xs, [1.42 + 0.56 / (1 + 2.718 ** (-(x - 5.05) * 12)) for x in xs], lw=2, zorder=6)
    text(ax, 5.05, 2.35, "$g$", size=FS + 1)
    out = node(ax, 6.35, 1.7, 0.36, r"$\hat y$", fc=tint(YELLOW, 0.45))
    arrow(ax, (3.55, 1.7), (5.05, 1.7), patch_a=total, patch_b=act)
    arrow(ax, (5.05, 1.7), (6.35, 1.7), patch_a=act, patch_b=out)
    text(ax, 4.29, 1.92, "$z$", size=FS)
    text(ax, 3.55, 0.85, "sum", size=FS - 2, color=GREY)
    text(ax, 5.05, 0.85, "activation", size=FS - 2, color=GREY)
    text(ax, 6.35, 0.85, "output", size=FS - 2, color=GREY)
    text(ax, 4.75, 3.15, r"$\hat y = g\,(w_0 + \sum_{i=1}^{m} x_i w_i)$", size=FS + 1)
    return fig


def dense_layer():
    """MyDenseLayer(input_dim=2, output_dim=3): every input feeds every output."""
    fig, ax = canvas(7.0, 3.6)
    inputs = [
        node(ax, 1.0, y, 0.32, f"$x_{i + 1}$", fc=tint(BLUE, 0.18))
        for i, y in enumerate([2.35, 1.25])
    ]
    sums, outs = [], []
    for j, y in enumerate([2.85, 1.8, 0.75]):
        sums.append(node(ax, 3.6, y, 0.34, f"$z_{j + 1}$", fc=tint(SKY)))
        outs.append(node(ax, 5.9, y, 0.34, rf"$\hat y_{j + 1}$", fc=tint(YELLOW, 0.45)))
        arrow(ax, (3.6, y), (5.9, y), patch_a=sums[j], patch_b=outs[j])
        text(ax, 4.75, y + 0.2, "sigmoid", size=FS - 3, color=GREY, mono=True)
    for inp in inputs:
        for s in sums:
            arrow(ax, inp.center, s.center, patch_a=inp, patch_b=s, color=GREY, lw=1.5)
    text(ax, 1.0, 3.33, "inputs", size=FS - 2, color=GREY)
    text(ax, 1.0, 0.4, "(n, 2)", size=FS - 2, mono=True, color=GREY)
    text(ax, 2.3, 0.4, "W: (2, 3)", size=FS - 2, mono=True, color=BLUE)
    text(ax, 3.6, 0.15, "b: (1, 3)", size=FS - 2, mono=True, color=BLUE)
    text(ax, 5.9, 0.15, "(n, 3)", size=FS - 2, mono=True, color=GREY)
    text(ax, 5.9, 3.33, "outputs", size=FS - 2, color=GREY)
    text(ax, 3.6, 3.4, "z = x W + b", size=FS - 1, mono=True)
    return fig


def mlp():
    """Input(2) -> Dense(4, relu) -> Dense(1): one hidden layer, W1 is 2x4, W2 is 4x1."""
    fig, ax = canvas(7.0, 3.9)
    layer_x = [1.0, 3.5, 6.0]
    ys = [[2.6, 1.6], [3.1, 2.37, 1.64, 0.91], [2.0]]
    labels = [["$x_1$", "$x_2$"], [f"$z_{k}$" for k in range(1, 5)], [r"$\hat y$"]]
    fills = [tint(BLUE, 0.18), tint(GREEN), tint(YELLOW, 0.45)]
    layers = [
        [node(ax, x, y, 0.3, lab, fc=fc) for y, lab in zip(col, labs)]
        for x, col, labs, fc in zip(layer_x, ys, labels, fills)
    ]
    for left, right, color in [(layers[0], layers[1], BLUE), (layers[1], layers[2], PURPLE)]:
        for a in left:
            for b in right:
                arrow(ax, a.center, b.center, patch_a=a, patch_b=b, color=color, lw=1.4)
    text(ax, 2.25, 3.55, "W1: 2 × 4", size=FS - 1, color=BLUE, mono=True)
    text(ax, 4.75, 3.55, "W2: 4 × 1", size=FS - 1, color=PURPLE, mono=True)
    text(ax, 1.0, 0.95, "Input(\n shape=(2,))", size=FS - 3, mono=True, color=GREY)
    text(ax, 3.5, 0.35, 'Dense(4, activation="relu")', size=FS - 3, mono=True, color=GREY)
    text(ax, 6.0, 1.45, "Dense(1)", size=FS - 3, mono=True, color=GREY)
    text(ax, 1.0, 3.55, "inputs", size=FS - 2, color=GREY)
    text(ax, 6.0, 3.0, "output", size=FS - 2, color=GREY)
    return fig


def backprop():
    """z1 = w1 x, y_hat = w2 g(z1), J: forward arrows and the chain-rule factors backwards."""
    fig, ax = canvas(7.0, 4.75)
    row, top = 2.75, 4.12
    x = node(ax, 0.65, row, 0.32, "$x$", fc=tint(BLUE, 0.18))
    z1 = node(ax, 2.6, row, 0.36, "$z_1$", fc=tint(SKY))
    yh = node(ax, 4.6, row, 0.36, r"$\hat y$", fc=tint(SKY))
    J = node(ax, 6.35, row, 0.36, "$J$", fc=tint(YELLOW, 0.45))
    arrow(ax, x.center, z1.center, patch_a=x, patch_b=z1)
    arrow(ax, z1.center, yh.center, patch_a=z1, patch_b=yh)
    arrow(ax, yh.center, J.center, patch_a=yh, patch_b=J)
    grad = dict(size=FS - 1, color=GRAD)
    code = dict(size=FS - 3, mono=True, color=GRAD)
    for w, n, local, var in [
        ("$w_1$", z1, r"$\partial z_1/\partial w_1$", "dz1_dw1"),
        ("$w_2$", yh, r"$\partial \hat y/\partial w_2$", "dyhat_dw2"),
    ]:
        cx = n.center[0]
        wbox = box(ax, cx, top, 0.7, 0.5, w, fc=tint(ORANGE))
        arrow(ax, (cx + 0.14, top), (cx + 0.14, row), patch_a=wbox, patch_b=n)
        arrow(
            ax, (cx - 0.14, row), (cx - 0.14, top), patch_a=n, patch_b=wbox, color=GRAD, dashed=True
        )
        text(ax, cx - 0.3, 3.55, local, ha="right", **grad)
        text(ax, cx - 0.3, 3.2, var, ha="right", **code)
    eq = dict(size=FS - 1, color=GREY)
    text(ax, 2.6, 2.1, r"$z_1 = w_1\,x$", **eq)
    text(ax, 4.6, 2.1, r"$\hat y = w_2\,g(z_1)$", **eq)
    text(ax, 6.35, 2.1, r"$J(\hat y, y)$", **eq)
    low = 1.65
    arrow(ax, (6.15, low), (4.8, low), color=GRAD, dashed=True)
    arrow(ax, (4.4, low), (2.8, low), color=GRAD, dashed=True)
    text(ax, 5.48, low - 0.33, r"$\partial J/\partial \hat y$", **grad)
    text(ax, 3.6, low - 0.33, r"$\partial \hat y/\partial z_1$", **grad)
    text(ax, 5.48, low - 0.64, "dJ_dyhat", **code)
    text(ax, 3.6, low - 0.64, "dyhat_dz1", **code)
    eq = dict(size=FS - 1, ha="left")
    text(
        ax,
        0.25,
        0.62,
        r"$\partial J/\partial w_2 = \partial J/\partial \hat y \;\cdot\;"
        r"\partial \hat y/\partial w_2$",
        **eq,
    )
    text(
        ax,
        0.25,
        0.25,
        r"$\partial J/\partial w_1 = \partial J/\partial \hat y \;\cdot\;"
        r"\partial \hat y/\partial z_1 \;\cdot\; \partial z_1/\partial w_1$",
        **eq,
    )
    return fig


# ------------------------------------------------------------------------- chapter 2
W_COLORS = {"W_xh": BLUE, "W_hh": ORANGE, "W_hy": GREEN}


def _rnn_steps(ax, xs, y_h, with_weights=True, fc=None):
    """Unrolled RNN cells at xs: x_t below, h_t boxes, y_hat_t above; returns the boxes."""
    cells = []
    for t, cx in enumerate(xs, start=1):
        cells.append(box(ax, cx, y_h, 0.8, 0.62, f"$h_{t}$", fc=fc or tint(SKY)))
        xin = node(ax, cx, y_h - 1.25, 0.3, f"$x_{t}$", fc=tint(BLUE, 0.18))
        yout = node(ax, cx, y_h + 1.2, 0.3, rf"$\hat y_{t}$", fc=tint(YELLOW, 0.45))
        arrow(ax, xin.center, (cx, y_h), patch_a=xin, patch_b=cells[-1], color=BLUE)
        arrow(ax, (cx, y_h), yout.center, patch_a=cells[-1], patch_b=yout, color=GREEN)
        if with_weights:
            text(ax, cx + 0.12, y_h - 0.64, "W_xh", size=FS - 3, mono=True, color=BLUE, ha="left")
            text(ax, cx + 0.12, y_h + 0.6, "W_hy", size=FS - 3, mono=True, color=GREEN, ha="left")
        cells[-1].yout = yout
    return cells


def rnn_unrolled():
    """MyRNNCell rolled (a loop) and unrolled over 3 steps: W_xh, W_hh, W_hy shared."""
    fig, ax = canvas(7.0, 4.85)
    y_h = 2.3
    # rolled: one cell with a loop
    cell = box(ax, 0.95, y_h, 0.85, 0.62, "$h_t$", fc=tint(SKY))
    xin = node(ax, 0.95, y_h - 1.25, 0.3, "$x_t$", fc=tint(BLUE, 0.18))
    yout = node(ax, 0.95, y_h + 1.2, 0.3, r"$\hat y_t$", fc=tint(YELLOW, 0.45))
    arrow(ax, xin.center, (0.95, y_h), patch_a=xin, patch_b=cell, color=BLUE)
    arrow(ax, (0.95, y_h), yout.center, patch_a=cell, patch_b=yout, color=GREEN)
    arrow(ax, (1.38, y_h - 0.15), (1.38, y_h + 0.15), color=ORANGE, rad=2.4, lw=2)
    text(ax, 1.55, y_h + 0.55, "W_hh", size=FS - 3, mono=True, color=ORANGE)
    text(ax, 0.95, 0.38, "MyRNNCell", size=FS - 3, mono=True, color=GREY)
    text(ax, 2.1, y_h, "=", size=FS + 8, color=GREY)
    # unrolled
    xs = [3.45, 4.9, 6.35]
    text(ax, 2.55, y_h, "$h_0$", size=FS)
    cells = _rnn_steps(ax, xs, y_h)
    arrow(ax, (2.78, y_h), (xs[0], y_h), patch_b=cells[0], color=ORANGE, lw=2)
    for k in range(1, len(cells)):
        arrow(
            ax,
            (xs[k - 1], y_h),
            (xs[k], y_h),
            patch_a=cells[k - 1],
            patch_b=cells[k],
            color=ORANGE,
            lw=2,
        )
        text(ax, (xs[k - 1] + xs[k]) / 2, y_h + 0.23, "W_hh", size=FS - 3, mono=True, color=ORANGE)
    for t, (cx, c) in enumerate(zip(xs, cells), start=1):
        loss = node(ax, cx, y_h + 2.1, 0.27, f"$L_{t}$", fc=tint(PURPLE, 0.3), size=FS - 1)
        arrow(ax, c.yout.center, loss.center, patch_a=c.yout, patch_b=loss, color=PURPLE, lw=1.4)
    text(ax, 4.9, 0.38, r"$L = L_1 + L_2 + L_3$", size=FS)
    return fig


def bptt():
    """Backpropagation through time: from every loss back through h_t to h_0."""
    fig, ax = canvas(7.0, 4.4)
    xs = [2.0, 3.75, 5.5]
    y_h = 2.65
    h0 = box(ax, 0.6, y_h, 0.7, 0.62, "$h_0$", fc=tint(SKY, 0.12))
    cells = []
    for t, cx in enumerate(xs, start=1):
        cells.append(box(ax, cx, y_h, 0.75, 0.62, f"$h_{t}$", fc=tint(SKY)))
        loss = node(ax, cx, y_h + 1.3, 0.32, f"$L_{t}$", fc=tint(PURPLE, 0.3))
        arrow(
            ax,
            (cx + 0.12, y_h),
            (cx + 0.12, y_h + 1.3),
            patch_a=cells[-1],
            patch_b=loss,
            color=GREY,
            lw=1.4,
        )
        arrow(
            ax,
            (cx - 0.12, y_h + 1.3),
            (cx - 0.12, y_h),
            patch_a=loss,
            patch_b=cells[-1],
            color=GRAD,
            dashed=True,
        )
    chain = [h0, *cells]
    for k in range(1, len(chain)):
        a, b = chain[k - 1], chain[k]
        ya = y_h + 0.13
        xa = a.get_x() + a.get_width()
        xb = b.get_x()
        arrow(ax, (xa, ya), (xb, ya), color=GREY, lw=1.4, shrink_a=2, shrink_b=2)
        arrow(
            ax, (xb, y_h - 0.13), (xa, y_h - 0.13), color=GRAD, dashed=True, shrink_a=2, shrink_b=2
        )
        text(
            ax,
            (xa + xb) / 2,
            y_h - 0.55,
            rf"$\partial h_{k}/\partial h_{k - 1}$",
            size=FS - 1,
            color=GRAD,
        )
    arrow(ax, (5.875, y_h + 0.13), (6.35, y_h + 0.13), color=GREY, lw=1.4, shrink_a=2)
    text(ax, 6.62, y_h + 0.1, r"$\cdots$", size=FS)
    text(
        ax,
        3.5,
        1.45,
        r"$\partial h_3/\partial h_0 = \partial h_3/\partial h_2 \;\cdot\;"
        r"\partial h_2/\partial h_1 \;\cdot\; \partial h_1/\partial h_0$",
        size=FS - 1,
    )
    text(ax, 3.5, 0.95, r"each factor: $\operatorname{diag}(\tanh')\,W_{hh}^\top$", size=FS - 1)
    legend_row(ax, 2.0, 0.38, [("arrow", GREY, "forward"), ("dashed", GRAD, "gradient")])
    return fig


def lstm_cell():
    """The LSTM cell: the cell-state highway on top, four gates on [h_{t-1}, x_t]."""
    fig, ax = canvas(7.0, 4.6)
    top, bus = 3.55, 1.35
    ax.add_patch(
        FancyBboxPatch(
            (1.0, 0.95),
            5.0,
            3.15,
            boxstyle="round,pad=0,rounding_size=0.2",
            fc=tint(SKY, 0.08),
            ec=GREY,
            lw=1.4,
            zorder=1,
        )
    )
    # the cell-state highway
    line(ax, [0.25, 6.75], [top, top], color=GREEN, lw=5, zorder=2)
    arrow(ax, (6.4, top), (6.85, top), color=GREEN, lw=2.5, shrink_a=0, shrink_b=0)
    text(ax, 0.5, top + 0.3, "$c_{t-1}$", size=FS)
    text(ax, 6.55, top + 0.3, "$c_t$", size=FS)
    text(ax, 3.5, top + 0.33, "cell state", size=FS - 2, color=GREEN)
    gx = {"f": 1.75, "i": 2.65, "g": 3.65, "o": 4.6}
    mul_f = node(ax, gx["f"], top, 0.2, r"$\times$", size=FS - 1)
    add = node(ax, gx["g"], top, 0.2, "$+$", size=FS - 1)
    # the bus [h_{t-1}, x_t]
    line(ax, [0.25, 4.6], [bus, bus], color=INK, lw=1.8)
    arrow(ax, (0.25, bus), (0.85, bus), shrink_a=0, shrink_b=0)
    arrow(ax, (1.3, 0.2), (1.3, bus), shrink_a=0, shrink_b=0)
    text(ax, 0.5, bus + 0.28, "$h_{t-1}$", size=FS)
    text(ax, 1.62, 0.45, "$x_t$", size=FS)
    gates = [
        ("f", r"$\sigma$", "$f_t$", ORANGE),
        ("i", r"$\sigma$", "$i_t$", ORANGE),
        ("g", "tanh", "$g_t$", SKY),
        ("o", r"$\sigma$", "$o_t$", ORANGE),
    ]
    yg = 2.15
    patches = {}
    for key, fn, name, color in gates:
        patches[key] = box(
            ax,
            gx[key],
            yg,
            0.62,
            0.48,
            fn,
            fc=tint(color, 0.4),
            size=FS - 2 if fn == "tanh" else FS,
        )
        line(ax, [gx[key], gx[key]], [bus, yg - 0.24], color=INK, lw=1.8)
        dx = {"f": -0.3, "i": -0.3, "g": 0.3, "o": 0.0}[key]
        text(ax, gx[key] + dx, yg + 0.5, name, size=FS - 1)
    arrow(ax, (gx["f"], yg), mul_f.center, patch_a=patches["f"], patch_b=mul_f)
    mul_i = node(ax, (gx["i"] + gx["g"]) / 2, 2.95, 0.2, r"$\times$", size=FS - 1)
    arrow(ax, (gx["i"], yg), mul_i.center, patch_a=patches["i"], patch_b=mul_i, rad=-0.25)
    arrow(ax, (gx["g"], yg), mul_i.center, patch_a=patches["g"], patch_b=mul_i, rad=0.25)
    arrow(ax, mul_i.center, add.center, patch_a=mul_i, patch_b=add)
    # output: h_t = o_t * tanh(c_t)
    tanh_c = box(ax, 5.45, 2.95, 0.72, 0.42, "tanh", fc=tint(SKY, 0.4), size=FS - 2)
    mul_o = node(ax, 5.45, 2.15, 0.2, r"$\times$", size=FS - 1)
    line(ax, [5.45, 5.45], [top, 3.17], color=INK, lw=1.6)
    arrow(ax, (5.45, 2.95), mul_o.center, patch_a=tanh_c, patch_b=mul_o)
    arrow(ax, (gx["o"], yg), mul_o.center, patch_a=patches["o"], patch_b=mul_o)
    line(ax, [5.45, 5.45], [1.95, 1.35], color=INK, lw=1.8)
    line(ax, [5.45, 6.5], [1.35, 1.35], color=INK, lw=1.8)
    arrow(ax, (6.4, 1.35), (6.85, 1.35), shrink_a=0, shrink_b=0)
    text(ax, 6.55, 1.65, "$h_t$", size=FS)
    return fig


# ------------------------------------------------------------------------- chapter 3
def _grid(ax, x0, y0, rows, cols, cell, fc="white", ec=GREY, lw=1.0, ls="-", zorder=2):
    """A grid of square cells; (x0, y0) is the top-left corner; row 0 is the top row."""
    for r in range(rows):
        for c in range(cols):
            ax.add_patch(
                plt.Rectangle(
                    (x0 + c * cell, y0 - (r + 1) * cell),
                    cell,
                    cell,
                    fc=fc,
                    ec=ec,
                    lw=lw,
                    ls=ls,
                    zorder=zorder,
                )
            )


def _outline(ax, x0, y0, rows, cols, cell, color, dashed=False, lw=3.2):
    ax.add_patch(
        plt.Rectangle(
            (x0, y0 - rows * cell),
            cols * cell,
            rows * cell,
            fc="none",
            ec=color,
            lw=lw,
            ls=(0, (4, 2)) if dashed else "-",
            zorder=6,
        )
    )


def conv_stride_padding():
    """A 3x3 filter on a 5x5 image padded by 1, stride 2: a 3x3 output; the formula."""
    fig, ax = canvas(7.0, 4.3)
    cell, x0, y0 = 0.4, 0.35, 3.55
    _grid(ax, x0, y0, 7, 7, cell, fc="white", ec=BORDER, ls=(0, (2, 2)))
    _grid(ax, x0 + cell, y0 - cell, 5, 5, cell, fc=tint(SKY, 0.35), ec=GREY)
    for r in range(7):
        for c in range(7):
            if r in (0, 6) or c in (0, 6):
                text(ax, x0 + (c + 0.5) * cell, y0 - (r + 0.5) * cell, "0", size=FS - 3, color=GREY)
    _outline(ax, x0, y0, 3, 3, cell, ORANGE)
    _outline(ax, x0 + 2 * cell, y0, 3, 3, cell, BLUE, dashed=True)
    # stride bracket
    yb = y0 + 0.18
    line(ax, [x0 + 0.5 * cell, x0 + 2.5 * cell], [yb, yb], color=INK, lw=1.4)
    for xb in (x0 + 0.5 * cell, x0 + 2.5 * cell):
        line(ax, [xb, xb], [yb - 0.08, yb + 0.08], color=INK, lw=1.4)
    text(ax, x0 + 3.5 * cell, yb + 0.02, "stride 2", size=FS - 2, ha="left")
    text(ax, x0 + 3.5 * cell, 0.42, "input 5 × 5, padding 1", size=FS - 2)
    # output
    ocell, ox, oy = 0.5, 4.15, 3.35
    _grid(ax, ox, oy, 3, 3, ocell, fc=tint(GREEN, 0.25), ec=GREY)
    ax.add_patch(
        plt.Rectangle(
            (ox, oy - ocell), ocell, ocell, fc=tint(ORANGE, 0.6), ec=INK, lw=1.2, zorder=3
        )
    )
    ax.add_patch(
        plt.Rectangle(
            (ox + ocell, oy - ocell), ocell, ocell, fc=tint(BLUE, 0.45), ec=INK, lw=1.2, zorder=3
        )
    )
    arrow(
        ax,
        (x0 + 3 * cell + 0.05, y0 - 1.5 * cell),
        (ox - 0.05, oy - 0.5 * ocell),
        color=ORANGE,
        rad=-0.25,
        lw=2,
    )
    arrow(
        ax,
        (x0 + 5 * cell + 0.05, y0 - 2.5 * cell),
        (ox + 1.5 * ocell, oy - ocell - 0.05),
        color=BLUE,
        rad=0.3,
        lw=2,
    )
    text(ax, ox + 1.5 * ocell, oy - 3 * ocell - 0.3, "output 3 × 3", size=FS - 2)
    eq = dict(size=FS, ha="left")
    text(ax, 3.55, 1.12, r"$o = \lfloor (n + 2p - k)\,/\,s \rfloor + 1$", **eq)
    text(ax, 3.55, 0.55, r"$\;\;= \lfloor (5 + 2 - 3)\,/\,2 \rfloor + 1 = 3$", **eq)
    text(
        ax,
        6.9 - 0.05,
        3.05,
        "$n = 5$\n$k = 3$\n$p = 1$\n$s = 2$",
        size=FS - 2,
        ha="right",
        linespacing=1.5,
    )
    return fig


def max_pool():
    """MaxPool2D(pool_size=2, strides=2) on a 4x4 map: the largest of each 2x2 window."""
    fig, ax = canvas(6.4, 3.3)
    values = [[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]
    colors = [[ORANGE, SKY], [GREEN, PURPLE]]
    cell, x0, y0 = 0.6, 0.35, 3.0
    for r in range(4):
        for c in range(4):
            color = colors[r // 2][c // 2]
            block = [
                values[i][j]
                for i in range(r // 2 * 2, r // 2 * 2 + 2)
                for j in range(c // 2 * 2, c // 2 * 2 + 2)
            ]
            best = values[r][c] == max(block)
            ax.add_patch(
                plt.Rectangle(
                    (x0 + c * cell, y0 - (r + 1) * cell),
                    cell,
                    cell,
                    fc=tint(color, 0.55 if best else 0.22),
                    ec=GREY,
                    lw=1,
                    zorder=2,
                )
            )
            text(
                ax,
                x0 + (c + 0.5) * cell,
                y0 - (r + 0.5) * cell,
                str(values[r][c]),
                size=FS + 1,
                fontweight="bold" if best else "normal",
            )
    for k in (0, 2):
        _outline(ax, x0 + k * cell, y0, 4, 0, cell, INK, lw=2.2)
        _outline(ax, x0, y0 - k * cell, 0, 4, cell, INK, lw=2.2)
    _outline(ax, x0, y0, 4, 4, cell, INK, lw=2.2)
    line(ax, [x0 + 2 * cell] * 2, [y0, y0 - 4 * cell], lw=2.2, zorder=6)
    line(ax, [x0, x0 + 4 * cell], [y0 - 2 * cell] * 2, lw=2.2, zorder=6)
    ocell, ox, oy = 0.75, 4.6, 2.55
    for r in range(2):
        for c in range(2):
            block = [values[2 * r + i][2 * c + j] for i in range(2) for j in range(2)]
            ax.add_patch(
                plt.Rectangle(
                    (ox + c * ocell, oy - (r + 1) * ocell),
                    ocell,
                    ocell,
                    fc=tint(colors[r][c], 0.55),
                    ec=INK,
                    lw=1.6,
                    zorder=2,
                )
            )
            text(
                ax,
                ox + (c + 0.5) * ocell,
                oy - (r + 0.5) * ocell,
                str(max(block)),
                size=FS + 3,
                fontweight="bold",
            )
    arrow(ax, (x0 + 4 * cell + 0.2, 1.8), (ox - 0.2, 1.8), lw=2.2)
    text(ax, 3.55, 2.65, "max of\neach 2 × 2", size=FS - 2, linespacing=1.2)
    text(ax, x0 + 2 * cell, 0.3, "4 × 4", size=FS - 2, color=GREY)
    text(ax, ox + ocell, 0.3, "2 × 2", size=FS - 2, color=GREY)
    text(
        ax,
        3.55,
        0.95,
        "MaxPool2D(\npool_size=2)",
        size=FS - 3,
        mono=True,
        color=GREY,
        linespacing=1.2,
    )
    return fig


def _block(ax, x, y, side, depth, fc, ec=INK):
    """A feature-map tensor drawn as a box: front face side x side, oblique depth."""
    dx, dy = 0.55 * depth, 0.4 * depth
    x0, y0 = x - (side + dx) / 2, y - (side + dy) / 2
    front = [(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side)]
    top = [
        (x0, y0 + side),
        (x0 + side, y0 + side),
        (x0 + side + dx, y0 + side + dy),
        (x0 + dx, y0 + side + dy),
    ]
    right = [
        (x0 + side, y0),
        (x0 + side + dx, y0 + dy),
        (x0 + side + dx, y0 + side + dy),
        (x0 + side, y0 + side),
    ]
    for face, amount in ((right, 0.55), (top, 0.4), (front, 0.28)):
        ax.add_patch(Polygon(face, closed=True, fc=tint(fc, amount), ec=ec, lw=1.2, zorder=3))
    return x0, x0 + side + dx


def cnn_pipeline():
    """lecture_cnn(): Conv2D -> MaxPool2D -> Conv2D -> MaxPool2D -> Flatten -> Dense x2."""
    fig, ax = canvas(7.0, 4.9)
    y1 = 3.35
    tensors = [
        (28, 1, "28×28×1"),
        (26, 32, "26×26×32"),
        (13, 32, "13×13×32"),
        (11, 64, "11×11×64"),
        (5, 64, "5×5×64"),
    ]  # (side, channels, shape)
    ops = ["Conv2D\n+ ReLU", "MaxPool2D", "Conv2D\n+ ReLU", "MaxPool2D"]
    edges, centres, x = [], [], 0.3
    for k, (side, channels, label) in enumerate(tensors):
        size, depth = 0.035 * side, 0.0098 * channels + 0.04
        width = size + 0.55 * depth
        color = BLUE if k == 0 else (ORANGE if k % 2 else SKY)
        edges.append(_block(ax, x + width / 2, y1, size, depth, color))
        centres.append(x + width / 2)
        text(ax, x + width / 2, y1 - 0.85, label, size=FS - 3)
        x += width + 0.55
    for k, op in enumerate(ops):
        a, b = edges[k][1], edges[k + 1][0]
        arrow(ax, (a, y1 - 0.1), (b, y1 - 0.1), lw=1.6, shrink_a=3, shrink_b=3)
        text(ax, (a + b) / 2, y1 + 0.95, op, size=FS - 3, mono=True, linespacing=1.15)
    text(ax, 0.25, 4.6, "feature learning", size=FS - 2, color=GREY, ha="left")
    text(ax, 6.8, 0.3, "classification", size=FS - 2, color=GREY, ha="right")
    line(ax, [0.2, 6.8], [2.2, 2.2], color=BORDER, lw=1.2, ls=(0, (3, 3)))
    # flatten and the dense layers, as column vectors
    y2 = 1.1
    cols = [
        (0.75, 1600, "Flatten\n1600", BLUE),
        (2.7, 1024, "Dense(1024)\nReLU", GREEN),
        (5.05, 10, "Dense(10)\nsoftmax", YELLOW),
    ]
    for x, n, label, color in cols:
        height = 0.3 + 0.00045 * n
        box(ax, x, y2, 0.22, height, fc=tint(color, 0.5), r=0.03)
        text(ax, x + 0.2, y2, label, size=FS - 3, mono=True, ha="left", linespacing=1.15)
    arrow(ax, (centres[-1], y1 - 1.1), (0.75, y2 + 0.36 + 0.6), rad=-0.12, lw=1.6)
    for k, start in enumerate((2.05, 4.25)):  # from the end of each label
        arrow(ax, (start, y2), (cols[k + 1][0] - 0.11, y2), lw=1.6, shrink_a=0)
    return fig


# ------------------------------------------------------------------------- chapter 4
def _trapezoid(ax, x0, x1, y, h0, h1, label, fc, size=FS):
    """A network drawn as a trapezoid from height h0 at x0 to height h1 at x1."""
    corners = [(x0, y - h0 / 2), (x1, y - h1 / 2), (x1, y + h1 / 2), (x0, y + h0 / 2)]
    patch = Polygon(corners, closed=True, fc=tint(fc, 0.35), ec=INK, lw=1.6, zorder=3)
    ax.add_patch(patch)
    text(ax, (x0 + x1) / 2, y, label, size=size)
    return patch


def _vector(ax, x, y, height, label, fc, width=0.26, cells=8):
    """A column vector drawn as a stack of cells, with a label above it."""
    step = height / cells
    for k in range(cells):
        ax.add_patch(
            plt.Rectangle(
                (x - width / 2, y - height / 2 + k * step),
                width,
                step,
                fc=tint(fc, 0.2 + 0.35 * ((k * 5) % 7) / 6),
                ec=GREY,
                lw=0.8,
                zorder=3,
            )
        )
    text(ax, x, y + height / 2 + 0.25, label, size=FS)
    return plt.Rectangle((x - width / 2, y - height / 2), width, height)


def autoencoder():
    """make_encoder -> z (latent_dim) -> make_decoder; trained by reconstruction_loss."""
    fig, ax = canvas(7.0, 3.9)
    y = 2.3
    _vector(ax, 0.55, y, 2.2, "$x$", BLUE, cells=10)
    _trapezoid(ax, 0.95, 2.75, y, 2.2, 0.8, "encoder", BLUE)
    _vector(ax, 3.5, y, 0.8, "$z$", ORANGE, cells=3)
    _trapezoid(ax, 4.25, 6.05, y, 0.8, 2.2, "decoder", GREEN)
    _vector(ax, 6.45, y, 2.2, r"$\hat x$", GREEN, cells=10)
    for a, b in [(0.7, 0.93), (2.77, 3.35), (3.65, 4.23), (6.07, 6.3)]:
        arrow(ax, (a, y), (b, y), lw=1.6, shrink_a=0, shrink_b=0)
    text(ax, 0.55, 1.0, "784", size=FS - 3, color=GREY)
    text(ax, 6.45, 1.0, "784", size=FS - 3, color=GREY)
    text(ax, 3.5, 1.65, "latent_dim", size=FS - 3, mono=True, color=GREY)
    text(
        ax,
        1.85,
        0.95,
        "Dense(256)\nDense(latent_dim)",
        size=FS - 3,
        mono=True,
        color=GREY,
        linespacing=1.2,
    )
    text(
        ax,
        5.15,
        0.95,
        "Dense(256)\nDense(784)",
        size=FS - 3,
        mono=True,
        color=GREY,
        linespacing=1.2,
    )
    line(ax, [0.55, 0.55, 6.45, 6.45], [0.75, 0.4, 0.4, 0.75], color=PURPLE, lw=1.6)
    text(
        ax,
        3.5,
        0.4,
        "reconstruction_loss(x, logits)",
        size=FS - 3,
        mono=True,
        color=PURPLE,
        bbox=dict(fc="white", ec="none", pad=2),
    )
    return fig


def vae():
    """The VAE: encoder -> (mu, log_var) -> z = mu + sigma * eps -> decoder; two losses."""
    fig, ax = canvas(7.0, 4.4)
    y = 2.45
    _vector(ax, 0.45, y, 2.0, "$x$", BLUE, cells=9)
    _trapezoid(ax, 0.8, 2.0, y, 2.0, 1.3, "encoder", BLUE, size=FS - 1)
    mu = box(ax, 2.75, y + 0.42, 1.1, 0.45, "mu", fc=tint(ORANGE, 0.35), size=FS - 2, mono=True)
    lv = box(
        ax, 2.75, y - 0.42, 1.1, 0.45, "log_var", fc=tint(ORANGE, 0.35), size=FS - 2, mono=True
    )
    z = box(ax, 4.1, y, 0.7, 0.55, "$z$", fc=tint(SKY, 0.5))
    eps = node(ax, 4.1, 3.85, 0.28, r"$\varepsilon$", fc=tint(YELLOW, 0.7))
    text(ax, 4.5, 3.85, r"$\sim\mathcal{N}(0, I)$", size=FS - 2, ha="left")
    arrow(ax, eps.center, (4.1, y), patch_a=eps, patch_b=z)
    for b in (mu, lv):
        arrow(ax, (2.0, b.get_y() + 0.22), (2.2, b.get_y() + 0.22), lw=1.6, shrink_a=0, shrink_b=0)
        arrow(ax, (3.3, b.get_y() + 0.22), (4.1, y), patch_b=z, lw=1.6, shrink_a=0)
    text(ax, 4.1, 1.88, r"$z = \mu + \sigma \odot \varepsilon$", size=FS - 2)
    text(ax, 4.1, 1.45, "σ = exp(log_var / 2)", size=FS - 3, mono=True, color=GREY)
    _trapezoid(ax, 4.75, 5.95, y, 1.3, 2.0, "decoder", GREEN, size=FS - 1)
    arrow(ax, (4.45, y), (4.73, y), lw=1.6, shrink_a=0, shrink_b=0)
    _vector(ax, 6.4, y, 2.0, r"$\hat x$", GREEN, cells=9)
    arrow(ax, (5.97, y), (6.26, y), lw=1.6, shrink_a=0, shrink_b=0)
    # the two losses
    line(ax, [0.45, 0.45, 6.4, 6.4], [1.4, 0.95, 0.95, 1.4], color=PURPLE, lw=1.6)
    text(
        ax,
        4.6,
        0.95,
        "reconstruction_loss",
        size=FS - 3,
        mono=True,
        color=PURPLE,
        bbox=dict(fc="white", ec="none", pad=2),
    )
    line(ax, [2.75, 2.75], [y - 0.65, 0.6], color=PURPLE, lw=1.6)
    text(
        ax,
        2.75,
        0.45,
        "β · kl_divergence(mu, log_var)",
        size=FS - 3,
        mono=True,
        color=PURPLE,
        bbox=dict(fc="white", ec="none", pad=2),
    )
    return fig


def reparam():
    """Sampling blocks the gradient; z = mu + sigma * eps lets it through to mu and sigma."""
    fig, ax = canvas(7.0, 4.5)
    for panel, x0 in (("original", 0.0), ("reparameterised", 3.5)):
        cx = x0 + 1.55
        enc = box(ax, cx, 0.55, 1.3, 0.45, "encoder", fc=tint(BLUE, 0.3), size=FS - 2)
        mu = box(ax, cx - 0.55, 1.55, 0.55, 0.45, r"$\mu$", fc=tint(SKY, 0.5))
        sg = box(ax, cx + 0.55, 1.55, 0.55, 0.45, r"$\sigma$", fc=tint(SKY, 0.5))
        for b in (mu, sg):
            arrow(
                ax,
                (b.get_x() + 0.27, 0.55),
                (b.get_x() + 0.27, 1.55),
                patch_a=enc,
                patch_b=b,
                lw=1.5,
            )
        loss = box(ax, cx, 3.75, 1.3, 0.45, "loss", fc=tint(PURPLE, 0.3), size=FS - 2)
        if panel == "original":
            z = node(ax, cx, 2.7, 0.3, "$z$", fc=tint(YELLOW, 0.75))
            text(ax, cx + 0.38, 2.7, r"$\sim\mathcal{N}(\mu, \sigma^2)$", size=FS - 3, ha="left")
            text(ax, cx, 4.25, "sampling", size=FS - 1, fontweight="bold")
        else:
            z = box(ax, cx, 2.7, 0.55, 0.5, "$z$", fc=tint(SKY, 0.5))
            eps = node(ax, cx + 1.25, 2.7, 0.27, r"$\varepsilon$", fc=tint(YELLOW, 0.75))
            text(ax, cx + 1.25, 2.2, r"$\mathcal{N}(0, I)$", size=FS - 3)
            arrow(ax, eps.center, (cx, 2.7), patch_a=eps, patch_b=z, lw=1.5)
            text(
                ax, cx + 0.25, 3.3, r"$z = \mu + \sigma \odot \varepsilon$", size=FS - 3, ha="left"
            )
            text(ax, cx, 4.25, "reparameterised", size=FS - 1, fontweight="bold")
        for b in (mu, sg):
            bx = b.get_x() + 0.27
            arrow(ax, (bx + 0.07, 1.55), (cx + 0.07, 2.7), patch_a=b, patch_b=z, lw=1.5)
        arrow(ax, (cx + 0.1, 2.7), (cx + 0.1, 3.75), patch_a=z, patch_b=loss, lw=1.5)
        arrow(
            ax, (cx - 0.1, 3.75), (cx - 0.1, 2.7), patch_a=loss, patch_b=z, color=GRAD, dashed=True
        )
        for b in (mu, sg):
            bx = b.get_x() + 0.27
            if panel == "original":  # the gradient stops at the sampling node
                mid = ((cx + bx) / 2 - 0.12, 2.13)
                line(
                    ax,
                    [cx - 0.1 + (bx - cx) * 0.12, mid[0]],
                    [2.7 - 0.32, mid[1] + 0.1],
                    color=GRAD,
                    lw=1.8,
                    ls=(0, (4, 2.5)),
                    zorder=4,
                )
                text(ax, mid[0], mid[1], "✗", size=FS + 4, color=GRAD, fontweight="bold")
            else:
                arrow(
                    ax,
                    (cx - 0.12, 2.7),
                    (bx - 0.1, 1.55),
                    patch_a=z,
                    patch_b=b,
                    color=GRAD,
                    dashed=True,
                )
    line(ax, [3.5, 3.5], [0.25, 4.45], color=BORDER, lw=1.2)
    return fig


def gan_loop():
    """train_gan's step: D on real and fake (d_loss), then G through a fixed D (g_loss)."""
    fig, ax = canvas(7.0, 4.8)
    yf, yr, yd = 3.2, 1.5, 2.35
    noise = node(ax, 0.55, yf, 0.33, "$z$", fc=tint(YELLOW, 0.75))
    text(ax, 0.55, yf + 0.6, r"$\mathcal{N}(0, I)$", size=FS - 3)
    gen = _trapezoid(ax, 1.15, 2.25, yf, 0.55, 1.05, "$G$", GREEN, size=FS + 2)
    box(ax, 2.95, yf, 0.85, 0.5, "$G(z)$", fc=tint(GREEN, 0.2), size=FS - 1)
    box(ax, 2.95, yr, 0.85, 0.5, "$x$", fc=tint(BLUE, 0.2), size=FS - 1)
    text(ax, 2.95, yr - 0.5, "real data", size=FS - 3, color=GREY)
    text(ax, 2.95, yf + 0.52, "fake", size=FS - 3, color=GREY)
    disc = _trapezoid(ax, 3.85, 4.95, yd, 1.15, 0.55, "$D$", ORANGE, size=FS + 2)
    arrow(ax, noise.center, (1.15, yf), patch_a=noise, lw=1.6, shrink_b=0)
    arrow(ax, (2.25, yf), (2.52, yf), lw=1.6, shrink_a=0, shrink_b=0)
    arrow(ax, (3.38, yf), (3.85, yd + 0.3), lw=1.6, shrink_a=0, shrink_b=0)
    arrow(ax, (3.38, yr), (3.85, yd - 0.3), lw=1.6, shrink_a=0, shrink_b=0)
    gl = box(ax, 6.05, 3.45, 1.3, 0.5, "g_loss", fc=tint(PURPLE, 0.3), size=FS - 2, mono=True)
    dl = box(ax, 6.05, 1.25, 1.3, 0.5, "d_loss", fc=tint(PURPLE, 0.3), size=FS - 2, mono=True)
    text(ax, 6.05, 3.95, "fake → 1", size=FS - 3)
    text(ax, 6.05, 0.6, "real → 1\nfake → 0", size=FS - 3, linespacing=1.2)
    arrow(ax, (4.95, yd), (6.05, 3.45), patch_b=gl, lw=1.6, shrink_a=0, rad=0.25)
    arrow(ax, (4.95, yd), (6.05, 1.25), patch_b=dl, lw=1.6, shrink_a=0, rad=-0.25)
    text(ax, 5.3, yd, "logits", size=FS - 3, color=GREY, ha="left")
    # the two updates
    arrow(ax, (dl.get_x(), 1.05), (4.4, yd - 0.55), color=GRAD, dashed=True, rad=-0.3, shrink_a=2)
    text(ax, 4.15, 0.8, "① update $D$", size=FS - 2, color=GRAD)
    arrow(ax, (gl.get_x(), 3.5), (1.7, yf + 0.55), color=GRAD, dashed=True, rad=0.25, shrink_a=2)
    text(ax, 3.5, 4.5, "② update $G$ through $D$ (fixed)", size=FS - 2, color=GRAD)
    del gen, disc
    return fig


# ------------------------------------------------------------------------- main
FIGURES = {
    "perceptron": perceptron,
    "dense_layer": dense_layer,
    "mlp": mlp,
    "backprop": backprop,
    "rnn_unrolled": rnn_unrolled,
    "bptt": bptt,
    "lstm_cell": lstm_cell,
    "conv_stride_padding": conv_stride_padding,
    "max_pool": max_pool,
    "cnn_pipeline": cnn_pipeline,
    "autoencoder": autoencoder,
    "vae": vae,
    "reparam": reparam,
    "gan_loop": gan_loop,
}


def write_all(out_dir, only=None, png=False):
    """Draw the diagrams (all, or the names in `only`) into out_dir; return the SVG paths."""
    unknown = sorted(set(only or ()) - set(FIGURES))
    if unknown:
        raise SystemExit(f"unknown diagram(s) {unknown}; choose from {sorted(FIGURES)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with plt.rc_context(STYLE):
        for name, draw in FIGURES.items():
            if only and name not in only:
                continue
            fig = draw()
            path = out_dir / f"{name}.svg"
            fig.savefig(path, format="svg", facecolor="none", metadata={"Date": None})
            if png:
                fig.savefig(out_dir / f"{name}.png", format="png", dpi=110, facecolor="none")
            plt.close(fig)
            written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(OUT), help="folder for the SVG files")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="draw only these diagrams")
    parser.add_argument("--png", action="store_true", help="also write a PNG of each (preview)")
    args = parser.parse_args(argv)
    for path in write_all(args.out, args.only, args.png):
        print(path)


if __name__ == "__main__":
    sys.exit(main())
