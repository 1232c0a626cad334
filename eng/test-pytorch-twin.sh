#!/usr/bin/env bash
# The PyTorch-twin tests (ExportPyTorch): the twin's forward equals Predict for every layer kind and activation, a
# two-rank DDP run of train.py over loopback (ranks started with the env:// variables torchrun sets), and one epoch of
# the twin with SGD and Adam equal to DslNet's. README's `dotnet test` skips them (they need python3-torch); this
# script installs it where missing (eng/install-pytorch.sh) and runs them with DSLNET_PYTORCH=1, so a missing torch
# fails instead of skipping. Expects a Release build (.ci/run builds first); pass --build to build the tests first.
set -euo pipefail
cd "$(dirname "$0")/.."

python=$(bash eng/install-pytorch.sh)
echo "PyTorch twin tests with $python ($("$python" -c 'import torch; print("torch", torch.__version__)'))"
if [[ ${1:-} == --build ]]; then
  dotnet build tests/DslNet.Tests -c Release
fi
DSLNET_PYTORCH=1 DSLNET_PYTHON="$python" dotnet test tests/DslNet.Tests -c Release --no-build \
  --filter "FullyQualifiedName~DslNet.Tests.PyTorch."
