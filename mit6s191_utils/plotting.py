"""Plots for the chapters and labs: a live training plot, image grids, decision boundaries.

Everything works in a plain script as well as in a notebook: without a notebook display
the live plot saves a PNG instead of refreshing in place.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable, Sequence

import numpy as np


def in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Colab, the book build)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ in {"ZMQInteractiveShell", "Shell"}


class LivePlot:
    """A training plot that refreshes as metrics arrive.

    >>> plot = LivePlot(title="Training", xlabel="step", png_path="loss.png")
    >>> for step in range(100):
    ...     plot.update(step, loss=1 / (step + 1))
    >>> plot.close()

    In a notebook the figure is redrawn in place every ``refresh_every`` updates; in a
    script (or with ``png_path`` given) it is written to ``png_path``. Call :meth:`close`
    at the end to draw the final state once.
    """

    def __init__(
        self,
        title: str = "Training progress",
        xlabel: str = "step",
        ylabel: str = "value",
        refresh_every: int = 10,
        png_path: str | os.PathLike | None = None,
        logy: bool = False,
    ):
        if refresh_every < 1:
            raise ValueError(f"refresh_every must be at least 1, got {refresh_every}")
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.refresh_every = refresh_every
        self.png_path = png_path
        self.logy = logy
        self.history: dict[str, tuple[list[float], list[float]]] = {}
        self._n_updates = 0
        self._notebook = in_notebook()
        self._handle = None
        if not self._notebook and png_path is None:
            self.png_path = "live_plot.png"

    def update(self, x: float, **metrics: float) -> None:
        """Record ``metrics`` (name=value) at position ``x`` and refresh when due."""
        if not metrics:
            raise ValueError("update() needs at least one metric, e.g. update(step, loss=0.3)")
        for name, value in metrics.items():
            xs, ys = self.history.setdefault(name, ([], []))
            xs.append(float(x))
            ys.append(float(value))
        self._n_updates += 1
        if self._n_updates % self.refresh_every == 0:
            self.draw()

    def figure(self):
        """A new matplotlib Figure with the current history."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6, 3.5))
        ax = fig.add_subplot()
        for name, (xs, ys) in self.history.items():
            ax.plot(xs, ys, label=name)
        ax.set_title(self.title)
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel(self.ylabel)
        if self.logy:
            ax.set_yscale("log")
        if self.history:
            ax.legend(loc="best")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig

    def png(self) -> bytes:
        """The current plot as PNG bytes."""
        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()

    def _text(self) -> str:
        last = ", ".join(f"{name} {ys[-1]:.4g}" for name, (_, ys) in self.history.items())
        return f"[{self.title}: {self._n_updates} updates; last: {last or 'none yet'}]"

    def draw(self) -> None:
        """Redraw now: in place in a notebook, or to ``png_path``.

        The notebook gets the PNG itself, not a matplotlib Figure: a bare Figure is shown as
        an image only once matplotlib's inline backend has been switched on by an earlier
        pyplot plot, and as the text ``<Figure size ...>`` before that.
        """
        png = self.png()
        if self.png_path is not None:
            with open(self.png_path, "wb") as file:
                file.write(png)
        if self._notebook:
            from IPython.display import display

            data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": self._text()}
            if self._handle is None:
                self._handle = display(data, raw=True, display_id=True)
            else:
                self._handle.update(data, raw=True)

    def close(self) -> None:
        """Draw the final state once."""
        self.draw()


def image_grid(
    images: np.ndarray,
    labels: Sequence[int] | None = None,
    predictions: Sequence[int] | None = None,
    ncols: int = 8,
    title: str | None = None,
    class_names: Sequence[str] | None = None,
):
    """A grid of grayscale (n, h, w) or RGB (n, h, w, 3) images with their labels.

    With ``predictions`` each caption reads "pred (true label)" and mistakes are drawn in
    red, so they stand out. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4):
        raise ValueError(f"images must be (n, h, w) or (n, h, w, 3), got shape {images.shape}")
    n = len(images)
    if n == 0:
        raise ValueError("image_grid needs at least one image")
    for name, seq in (("labels", labels), ("predictions", predictions)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} entries for {n} images")
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.5 * nrows), squeeze=False)

    def name(k):
        return class_names[int(k)] if class_names is not None else str(int(k))

    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap="gray" if images.ndim == 3 else None)
        if predictions is not None:
            wrong = labels is not None and int(predictions[i]) != int(labels[i])
            caption = name(predictions[i]) + (f" ({name(labels[i])})" if labels is not None else "")
            ax.set_title(caption, color="red" if wrong else "black", fontsize=9)
            if wrong:
                for spine in ax.spines.values():
                    spine.set_visible(True)
                    spine.set_color("red")
                    spine.set_linewidth(2)
                ax.axis("on")
                ax.set_xticks([])
                ax.set_yticks([])
        elif labels is not None:
            ax.set_title(name(labels[i]), fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    ax=None,
    title: str | None = None,
    resolution: int = 200,
    xlabel: str = "$x_1$",
    ylabel: str = "$x_2$",
):
    """Shade the regions a 2-D binary classifier assigns to each class, with the points.

    ``predict`` maps an (m, 2) float32 array to m probabilities (or scores >= 0.5 for class
    1). Returns the Axes.
    """
    import matplotlib.pyplot as plt

    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y).reshape(-1)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), got {x.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    pad_x = 0.1 * (x[:, 0].max() - x[:, 0].min() + 1e-9)
    pad_y = 0.1 * (x[:, 1].max() - x[:, 1].min() + 1e-9)
    gx, gy = np.meshgrid(
        np.linspace(x[:, 0].min() - pad_x, x[:, 0].max() + pad_x, resolution),
        np.linspace(x[:, 1].min() - pad_y, x[:, 1].max() + pad_y, resolution),
    )
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    prob = np.asarray(predict(grid)).reshape(gx.shape)
    ax.contourf(gx, gy, prob, levels=[0, 0.5, 1], colors=["#f4c7c3", "#c6dbef"], alpha=0.8)
    ax.contour(gx, gy, prob, levels=[0.5], colors="k", linewidths=1)
    ax.scatter(x[y == 0, 0], x[y == 0, 1], s=12, c="#d62728", label="class 0")
    ax.scatter(x[y == 1, 0], x[y == 1, 1], s=12, c="#1f77b4", label="class 1")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    return ax


__all__ = ["LivePlot", "decision_boundary", "image_grid", "in_notebook"]
