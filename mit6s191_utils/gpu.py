"""What TensorFlow sees: devices, versions, CUDA/cuDNN, and advice when there is no GPU."""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass, field

NO_GPU_ADVICE = (
    "No GPU is visible to TensorFlow: everything in this course runs on the CPU, just more "
    "slowly. To use an NVIDIA GPU on Linux, install `tensorflow[and-cuda]` with the same "
    "version as in requirements.txt; on Colab choose Runtime > Change runtime type > GPU."
)


@dataclass
class DeviceReport:
    """A plain summary of TensorFlow's view of the machine."""

    tensorflow_version: str
    keras_version: str
    python_version: str
    gpus: list[str] = field(default_factory=list)
    cpus: list[str] = field(default_factory=list)
    built_with_cuda: bool = False
    cuda_version: str | None = None
    cudnn_version: str | None = None
    advice: str | None = None

    @property
    def has_gpu(self) -> bool:
        return bool(self.gpus)

    def as_dict(self) -> dict:
        return asdict(self) | {"has_gpu": self.has_gpu}

    def __str__(self) -> str:
        lines = [
            f"TensorFlow {self.tensorflow_version}, Keras {self.keras_version}, "
            f"Python {self.python_version}",
            f"CPUs: {len(self.cpus)}; GPUs: {len(self.gpus)}"
            + (f" ({', '.join(self.gpus)})" if self.gpus else ""),
        ]
        if self.built_with_cuda:
            lines.append(f"Built with CUDA {self.cuda_version}, cuDNN {self.cudnn_version}")
        if self.advice:
            lines.append(self.advice)
        return "\n".join(lines)


def device_report() -> DeviceReport:
    """Return what TensorFlow sees; never raises because a GPU is missing."""
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    names = []
    for gpu in gpus:
        try:
            details = tf.config.experimental.get_device_details(gpu)
            names.append(details.get("device_name", gpu.name))
        except Exception:  # details are a nicety; the device list is what matters
            names.append(gpu.name)
    build = tf.sysconfig.get_build_info()
    return DeviceReport(
        tensorflow_version=tf.__version__,
        keras_version=keras.__version__,
        python_version=platform.python_version(),
        gpus=names,
        cpus=[d.name for d in tf.config.list_physical_devices("CPU")],
        built_with_cuda=bool(build.get("is_cuda_build", False)),
        cuda_version=build.get("cuda_version"),
        cudnn_version=build.get("cudnn_version"),
        advice=None if gpus else NO_GPU_ADVICE,
    )


def print_device_report() -> DeviceReport:
    """Print :func:`device_report` and return it (the first cell of every lab calls this)."""
    report = device_report()
    print(report)
    return report


if __name__ == "__main__":
    print_device_report()
