"""Executes every notebook in notebooks/ with nbclient through the convbook kernelspec.

Run by test/e2e/kernel-notebooks.test.ts with CONVBOOK_SMALL=1 so the notebooks shrink. Each
notebook runs in a fresh kernel with notebooks/ as its working directory; the first failing
cell is reported with its number and error. Executed copies go to test-artifacts/notebooks/.
"""
import glob
import json
import os
import shutil
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = os.environ.get("CONVBOOK_KERNEL_NAME", "convbook")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
OUT = os.path.join(ROOT, "test-artifacts", "notebooks")


def main(paths):
    os.makedirs(OUT, exist_ok=True)
    # Files the notebooks read (interop.ipynb imports a PyTorch-made network) sit beside them as in notebooks/.
    models = os.path.join(NOTEBOOKS, "models")
    if os.path.isdir(models):
        shutil.copytree(models, os.path.join(OUT, "models"), dirs_exist_ok=True)
    failures = []
    timings = {}
    for path in paths:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=900, startup_timeout=60,
                                resources={"metadata": {"path": OUT}})  # files a notebook writes land here, not in the tree
        t0 = time.time()
        try:
            client.execute()
            status = "ok"
        except CellExecutionError as e:
            index = next((i for i, c in enumerate(nb.cells)
                          if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            cell = "?" if index is None else index + 1
            first = str(e).strip().splitlines()[-1] if str(e).strip() else repr(e)
            failures.append(f"{name}: cell {cell}: {first}")
            status = f"FAILED at cell {cell}"
        except Exception as e:  # kernel died, timeout, ...
            failures.append(f"{name}: {type(e).__name__}: {e}")
            status = "FAILED"
        timings[name] = round(time.time() - t0, 1)
        nbformat.write(nb, os.path.join(OUT, name))
        print(f"{name}: {status} ({timings[name]} s)", flush=True)
    print("TIMINGS " + json.dumps(timings))
    for f in failures:
        print("FAILURE " + f)
    return 1 if failures or not paths else 0


if __name__ == "__main__":
    args = sys.argv[1:] or sorted(p for p in glob.glob(os.path.join(NOTEBOOKS, "*.ipynb")) if not p.endswith(".out.ipynb"))
    sys.exit(main(args))
