#!/usr/bin/env bash
# Installs Debian's PyTorch (python3-torch, torch 1.13, with DDP and gloo) and NumPy with apt-get where a Python with
# both is missing: what the PyTorch-twin tests (eng/test-pytorch-twin.sh) run. Prints the Python to use. README's
# `dotnet test` never needs it. Needs root (or sudo) when it has to install.
set -euo pipefail

has_torch() { "$1" -c 'import torch, numpy' >/dev/null 2>&1; }

for python in "${DSLNET_PYTHON:-}" python3 /usr/bin/python3; do
  if [[ -n $python ]] && command -v "$python" >/dev/null && has_torch "$python"; then
    echo "$(command -v "$python")"
    exit 0
  fi
done

command -v apt-get >/dev/null || { echo "error: no Python with torch and numpy, and no apt-get to install python3-torch" >&2; exit 1; }
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "installing python3-torch and python3-numpy with apt-get" >&2
$sudo apt-get update >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends python3-torch python3-numpy >&2
has_torch /usr/bin/python3 || { echo "error: /usr/bin/python3 cannot import torch after installing python3-torch" >&2; exit 1; }
echo /usr/bin/python3
