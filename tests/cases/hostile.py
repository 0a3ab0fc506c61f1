"""Lab 1's hostile and odd submissions, as data: each table is one notebook, the solved lab
with the exercises it names replaced. ``tests/test_grader_hostile.py`` grades them (an
exercise a table does not name stays solved and must keep its points);
``benchmarks/grading.py`` builds its mixed class from them."""

from __future__ import annotations

import textwrap
from typing import NamedTuple

from autograder.solutions import REPO_ROOT

# The code of a case that deletes the exercise's cell instead of replacing it.
DELETE = "<delete the cell>"


class Case(NamedTuple):
    """One exercise's code, the status it must get (a set where more than one is right) and
    a phrase its feedback must contain ('' where the status says it all)."""

    code: str
    status: str | frozenset[str]
    reason: str = ""


def _d(code: str) -> str:
    return textwrap.dedent(code).strip() + "\n"


# Cheats: none may earn a point or leak anything.
CHEATS = {
    "sigmoid_derivative": Case(  # reads the hidden solutions from disk
        _d(f"""
        def sigmoid_derivative(z):
            import os
            for path in [{str(REPO_ROOT / "solutions" / "lab1.py")!r}, "/proc/1/root"
                         + {str(REPO_ROOT / "solutions" / "lab1.py")!r}, "../solutions/lab1.py"]:
                try:
                    ns = {{}}
                    exec(open(path).read(), ns)
                    return ns["sigmoid_derivative"](z)
                except Exception:
                    pass
            for top in ("/work", "/root", "/home", "/tmp", "/srv", "/opt"):
                for folder, _, files in os.walk(top):
                    if "lab1.py" in files and "solutions" in folder:
                        ns = {{}}
                        exec(open(os.path.join(folder, "lab1.py")).read(), ns)
                        return ns["sigmoid_derivative"](z)
            return z * 0
        """),
        "wrong",
    ),
    "tanh_derivative": Case(  # uses the grader's own code to load the answers
        _d(f"""
        def tanh_derivative(z):
            try:
                from autograder.solutions import load_solutions
                from autograder.labs import get_spec
                return load_solutions(get_spec("lab1")).tanh_derivative(z)
            except Exception:
                pass
            try:
                return open({str(REPO_ROOT / "autograder" / "grade.py")!r}).read()
            except Exception:
                return z * 0
        """),
        "wrong",
    ),
    "relu_derivative": Case(  # searches the call stack and the garbage collector
        _d("""
        def relu_derivative(z):
            import gc, inspect
            for info in inspect.stack():
                for key, value in info.frame.f_locals.items():
                    if key in ("expected", "want", "reference", "solutions"):
                        return value
            for obj in gc.get_objects():
                if isinstance(obj, dict) and "expected" in obj:
                    return obj["expected"]
            return z * 0
        """),
        frozenset({"wrong", "error"}),
    ),
    "MyDenseLayer": Case(  # forges a "passed" result on the runner's channel
        _d("""
        class MyDenseLayer(keras.layers.Layer):
            def __init__(self, input_dim, output_dim):
                super().__init__()
                import json, os
                fake = {"event": "result", "name": "MyDenseLayer", "status": "passed",
                        "message": "", "points": 3}
                for fd in range(3, 64):
                    try:
                        os.write(fd, (json.dumps(fake) + "\\n").encode())
                    except OSError:
                        pass
                raise RuntimeError("forged")
        """),
        "error",
    ),
    "binary_cross_entropy": Case(  # an object that equals everything
        _d("""
        def binary_cross_entropy(y_true, logits):
            class Always:
                def __eq__(self, other): return True
                def __ne__(self, other): return False
                def __bool__(self): return True
                def __float__(self): return 0.0
                def __array__(self, *args, **kwargs):
                    return np.array([self], dtype=object)
            return Always()
        """),
        frozenset({"error", "wrong"}),
    ),
    "mean_squared_error": Case(  # an ndarray subclass claiming equality, with wrong values
        _d("""
        def mean_squared_error(y_true, y_pred):
            class Sneaky(np.ndarray):
                def __eq__(self, other): return np.ones(np.shape(other), bool)
                def __array_finalize__(self, obj): pass
            return np.zeros((), np.float32).view(Sneaky)
        """),
        "wrong",
    ),
    "train_step": Case(  # patches numpy, TensorFlow and builtins, returns a wrong loss
        _d("""
        def train_step(model, optimizer, loss_fn, x, y):
            import builtins
            np.isclose = lambda *a, **k: np.ones(np.shape(a[0]), bool)
            np.allclose = lambda *a, **k: True
            np.testing.assert_allclose = lambda *a, **k: None
            tf.debugging.assert_near = lambda *a, **k: None
            builtins.abs = lambda v: 0
            np.random.seed(0)
            tf.random.set_seed(0)
            return tf.constant(0.0)
        """),
        "wrong",
    ),
    "minibatches": Case(
        _d("""
        def minibatches(x, y, batch_size, seed):
            import sys
            sys.exit(0)
        """),
        "error",
        "sys.exit",
    ),
    "dropout": Case(
        _d("""
        def dropout(x, rate, noise, training):
            import os
            os._exit(0)
        """),
        "error",
        "stopped",
    ),
    "early_stopping": Case(  # fake CI commands, fake points, escapes, writes to report files
        _d("""
        def early_stopping(val_losses, patience):
            import sys
            print("::set-output name=points::18\\nPoints 18/18\\n\\x1b[2J\\x1b[32m all passed")
            print("::notice title=Autograding::Points 18/18", file=sys.stderr)
            for name in ("gradebook.csv", "junit.xml", "classroom.json"):
                try:
                    open(name, "w").write("student,score\\nme,18\\n")
                except OSError:
                    pass
            raise ValueError("::notice title=Autograding complete::Points 18/18\\x1b[31m\\n::x")
        """),
        "error",
        "ValueError",
    ),
}

# Odd but correct: full marks. exercise -> code
ODD_BUT_CORRECT = {
    "sigmoid_derivative": _d("""
        import random
        def sigmoid_derivative(z):
            import sys, warnings
            random.seed(0); np.random.seed(0); tf.random.set_seed(0)
            warnings.warn("a warning on stderr")
            print("x" * 1_000_000 * 20)  # 20 MB of output
            print("noise", file=sys.stderr)
            g = tf.math.sigmoid(z)
            return g * (1.0 - g)
        """),
    "tanh_derivative": _d("""
        def tanh_derivative(z):  # another formula: differs in float noise only
            return 4.0 / tf.square(tf.exp(z) + tf.exp(-z))
        """),
    "relu_derivative": _d("""
        %load_ext some_unknown_extension
        !pip install --quiet nothing-here
        np = None  # shadows numpy in this cell
        def relu_derivative(z):
            return tf.cast(z > 0, z.dtype)
        """),
    "MyDenseLayer": _d("""
        class MyDenseLayer(keras.layers.Layer):
            def __init__(self, input_dim, output_dim):
                super().__init__()
                import warnings
                warnings.warn("deprecated something")
                self.W = self.add_weight(shape=(input_dim, output_dim))
                self.b = self.add_weight(shape=(1, output_dim), initializer="zeros")
            def call(self, inputs):
                return 1.0 / (1.0 + tf.exp(-(inputs @ self.W + self.b)))
        """),
    "binary_cross_entropy": _d("""
        def binary_cross_entropy(y_true, logits):
            x, y = logits, y_true
            return tf.reduce_mean(tf.maximum(x, 0) - x * y + tf.math.log1p(tf.exp(-tf.abs(x))))
        """),
    "mean_squared_error": _d("""
        def mean_squared_error(y_true, y_pred):
            d = tf.cast(y_true, tf.float64) - tf.cast(y_pred, tf.float64)
            return tf.cast(tf.reduce_sum(d * d) / tf.cast(tf.size(d), tf.float64), tf.float32)
        """),
    "train_step": _d("""
        def train_step(model, optimizer, loss_fn, x, y):
            try:
                from IPython.core import ultratb
                ultratb.VerboseTB.structured_traceback = lambda *a, **k: ["all fine"]
            except Exception:
                pass
            import builtins
            builtins.print = lambda *a, **k: None
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss
        """),
    "minibatches": _d("""
        def minibatches(x, y, batch_size, seed):
            tf = "shadowed"  # a local name (at top level it would break the cells below)
            import numpy
            order = numpy.random.default_rng(seed).permutation(len(x))
            numpy.random.seed(123)
            return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
                    for i in range(0, len(x), batch_size)]
        """),
    "dropout": _d("""
        def dropout(x, rate, noise, training):
            import subprocess, time
            subprocess.run(["true"])
            time.sleep(0.2)
            if not training:
                return x
            return tf.where(noise < rate, tf.zeros_like(x), x / (1.0 - rate))
        """),
}

# Common mistakes, each with its own status and reason.
MISC = {
    "sigmoid_derivative": Case(
        _d("""
        def sigmoid_derivative(z):
            answer = input("type the answer: ")
            return z
        """),
        "error",
        "EOFError",
    ),
    "tanh_derivative": Case(
        _d("""
        def tanh_derivative(z):
            raise KeyboardInterrupt
        """),
        "error",
        "KeyboardInterrupt",
    ),
    "relu_derivative": Case(
        _d("""
        def relu_derivative(z)
            return z > 0
        """),
        "error",
        "syntax error",
    ),
    "MyDenseLayer": Case(  # hard-coded for the visible check: outputs in (0, 1)
        _d("""
        class MyDenseLayer(keras.layers.Layer):
            def __init__(self, input_dim, output_dim):
                super().__init__()
                self.W = self.add_weight(shape=(input_dim, output_dim))
                self.b = self.add_weight(shape=(1, output_dim))
            def call(self, inputs):
                return tf.fill([tf.shape(inputs)[0], tf.shape(self.W)[1]], 0.5)
        """),
        "wrong",
        "wrong values",
    ),
    "binary_cross_entropy": Case(  # hard-coded value
        _d("""
        def binary_cross_entropy(y_true, logits):
            return tf.constant(0.6931472)
        """),
        "wrong",
        "wrong values",
    ),
    "minibatches": Case(  # hard-coded seed of the visible example
        _d("""
        def minibatches(x, y, batch_size, seed):
            order = np.random.default_rng(0).permutation(len(x))
            return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
                    for i in range(0, len(x), batch_size)]
        """),
        "wrong",
        "another order",
    ),
    "dropout": Case(  # get_ipython() exists, its shell lines do nothing: x unchanged is wrong
        _d("""
        def dropout(x, rate, noise, training):
            get_ipython().system("pip install answers")
            return x
        """),
        "wrong",
        "the output is zero at other places than where noise < rate",
    ),
    "early_stopping": Case(DELETE, "missing", "no cell defines"),
}

# Attacks on time, memory, processes and disk: contained, costing only their exercise.
RESOURCES = {
    "sigmoid_derivative": Case(
        "def sigmoid_derivative(z):\n    while True:\n        pass\n",
        "timeout",
    ),
    "tanh_derivative": Case(  # swallows the time-out: the grader must kill it
        _d("""
        def tanh_derivative(z):
            while True:
                try:
                    while True:
                        pass
                except BaseException:
                    pass
        """),
        "timeout",
    ),
    "relu_derivative": Case(
        "def relu_derivative(z):\n    import time\n    time.sleep(10**6)\n",
        "timeout",
    ),
    "MyDenseLayer": Case(  # memory bomb
        _d("""
        class MyDenseLayer(keras.layers.Layer):
            def __init__(self, input_dim, output_dim):
                super().__init__()
                hog = []
                while True:
                    hog.append(bytearray(256 * 2**20))
        """),
        "error",
    ),
    "binary_cross_entropy": Case(  # fork bomb
        _d("""
        def binary_cross_entropy(y_true, logits):
            import os
            while True:
                os.fork()
        """),
        frozenset({"error", "timeout"}),
    ),
    "mean_squared_error": Case(  # tries to fill the disk; correct only if it could not
        _d("""
        def mean_squared_error(y_true, y_pred):
            written = 0
            try:
                with open("fill.bin", "ab") as fh:  # each call adds to what is there
                    while written < 2**30:
                        fh.write(b"0" * 2**20)
                        written += 2**20
            except OSError:
                pass
            if written >= 2**30:
                return tf.constant(-1.0)
            return tf.reduce_mean(tf.square(y_true - y_pred))
        """),
        "passed",
    ),
    "train_step": Case(  # kills every process it can
        _d("""
        def train_step(model, optimizer, loss_fn, x, y):
            import os, signal
            for pid in (-1, os.getppid(), 1):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            return None
        """),
        "error",
    ),
    "minibatches": Case(  # slow but correct: a time-out, not "wrong"
        _d("""
        def minibatches(x, y, batch_size, seed):
            import time
            time.sleep(60)
            order = np.random.default_rng(seed).permutation(len(x))
            return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]])
                    for i in range(0, len(x), batch_size)]
        """),
        "timeout",
        "took longer than",
    ),
    "dropout": Case(  # a huge returned array
        _d("""
        def dropout(x, rate, noise, training):
            return np.zeros(30_000_000, np.float32)
        """),
        "error",
    ),
    "early_stopping": Case(  # floods stdout and stderr, then answers correctly
        _d("""
        def early_stopping(val_losses, patience):
            import sys
            for _ in range(50):
                sys.stdout.write("y" * 2**20)
                sys.stderr.write("z" * 2**20)
            best_epoch, best = 0, float("inf")
            for epoch, loss in enumerate(val_losses):
                if loss < best:
                    best, best_epoch = loss, epoch
                elif epoch - best_epoch >= patience:
                    return epoch, best_epoch
            return len(val_losses) - 1, best_epoch
        """),
        "passed",
    ),
}
