"""Lab 1: wrong answers graded end to end (see ``cases/__init__.py``)."""

from cases import Wrong

WRONG = (
    Wrong(
        "sigmoid_derivative",
        "def sigmoid_derivative(z):\n    return tf.math.sigmoid(z)\n",
        "wrong",
        "wrong values",
    ),
    Wrong(
        "MyDenseLayer",
        "class MyDenseLayer(keras.layers.Layer):\n"
        "    def __init__(self, input_dim, output_dim):\n"
        "        super().__init__()\n"
        "        self.W = self.add_weight(shape=(input_dim, output_dim))\n"
        "        self.b = self.add_weight(shape=(1, output_dim))\n"
        "    def call(self, inputs):\n"
        "        return tf.matmul(inputs, self.W) + self.b\n",  # forgot the sigmoid
        "wrong",
        "wrong values",
    ),
    Wrong(
        "train_step",
        "def train_step(model, optimizer, loss_fn, x, y):\n"
        "    prediction = model(x)\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = loss_fn(y, prediction)\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    return loss\n",  # erratum 3: forward pass outside the tape
        "error",
        "No gradients provided for any variable",
    ),
    Wrong(
        "minibatches",
        "def minibatches(x, y, batch_size, seed):\n"
        "    return [(x[i:i + batch_size], y[i:i + batch_size])\n"
        "            for i in range(0, len(x), batch_size)]\n",  # forgot to shuffle
        "wrong",
        "come in another order than order = np.random.default_rng(seed).permutation(n)",
    ),
    Wrong(
        "minibatches",
        "def minibatches(x, y, batch_size, seed):\n    return [(x, y)]\n",  # one batch of all
        "wrong",
        "`sizes` has the wrong shape",
        label="one_batch",
    ),
    Wrong(
        "mean_squared_error",
        "def mean_squared_error(y_true, y_pred):\n"
        "    return tf.reduce_mean(tf.square(y_true - y_pred), axis=1)\n",
        "wrong",
        "wrong shape",
    ),
    Wrong(
        "mean_squared_error",
        "def mean_squared_error(y_true, y_pred):\n"
        "    return tf.reduce_mean(tf.abs(y_true - y_pred))\n",  # the mean absolute error
        "wrong",
        "wrong values",
        label="absolute",
    ),
    Wrong(
        "early_stopping",
        "def early_stopping(val_losses, patience):\n    return 0, 0\n",
        "wrong",
        "best_epoch is the first epoch with the lowest loss so far",
    ),
    Wrong(
        "dropout",
        "def dropout(x, rate, noise, training):\n    return x\n",  # never drops anything
        "wrong",
        "the output is zero at other places than where noise < rate",
    ),
)
