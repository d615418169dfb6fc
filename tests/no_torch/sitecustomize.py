"""Hide PyTorch from a Python process: put this folder first on PYTHONPATH (tests of the no-PyTorch path).

``import torch`` then fails exactly as it does where PyTorch is not installed (ModuleNotFoundError), while
``sys.modules`` holds no placeholder that other libraries (SciPy's array-API checks) would trip over.
"""

import sys


class _HideTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _HideTorch())
