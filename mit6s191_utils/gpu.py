"""What TensorFlow sees: devices, versions, CUDA/cuDNN, and advice when there is no GPU."""

from __future__ import annotations

import os
import platform
from dataclasses import asdict, dataclass, field

NO_GPU_ADVICE = (
    "No GPU is visible, so this runs on the CPU, which is all the labs need (that is all "
    'TensorFlow\'s "Could not find cuda drivers" means).\n'
    "To use an NVIDIA GPU on Linux, install `tensorflow[and-cuda]` with the same version as "
    "in requirements.txt; on Colab choose Runtime > Change runtime type > GPU."
)


def cpu_cores() -> int:
    """The CPU cores this process may run on (its affinity where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


@dataclass
class DeviceReport:
    """A plain summary of TensorFlow's view of the machine."""

    tensorflow_version: str
    keras_version: str
    python_version: str
    gpus: list[str] = field(default_factory=list)
    cpus: list[str] = field(default_factory=list)  # TensorFlow's CPU devices (usually one)
    cpu_cores: int = 1
    built_with_cuda: bool = False
    cuda_version: str | None = None
    cudnn_version: str | None = None
    advice: str | None = None

    @property
    def has_gpu(self) -> bool:
        return bool(self.gpus)

    def as_dict(self) -> dict:
        return asdict(self) | {"has_gpu": self.has_gpu}

    def describe(self, build: bool = False) -> str:
        """The report in plain words; ``build`` adds the CUDA/cuDNN TensorFlow was built for."""
        cores = f"{self.cpu_cores} CPU core" + ("s" if self.cpu_cores != 1 else "")
        if self.gpus:
            device = f"GPUs: {len(self.gpus)} ({', '.join(self.gpus)}); {cores}"
        else:
            device = f"{cores}; GPUs: none"
        lines = [
            f"TensorFlow {self.tensorflow_version}, Keras {self.keras_version}, "
            f"Python {self.python_version}",
            device,
        ]
        if self.built_with_cuda and (build or self.gpus):
            lines.append(
                f"TensorFlow built with CUDA {self.cuda_version}, cuDNN {self.cudnn_version}"
            )
        if self.advice:
            lines.append(self.advice)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


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
        cpu_cores=cpu_cores(),
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
    print(device_report().describe(build=True))
