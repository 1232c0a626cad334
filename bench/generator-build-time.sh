#!/usr/bin/env bash
# The generator's build-time target (issue 6: within 2 s; issue 10: within 1.5 s): a project with 50 model declarations
# builds within 1.5 s of the same project without the generator. Creates a throwaway project in a temporary folder twice — once with the DslNet generator and analyzers as
# analyzers (exactly what Directory.Build.targets gives an in-repo consumer), once without them (the same sources: the
# attributed partial classes compile on their own, only nothing is generated) — builds each once to warm up, then times
# `dotnet build --no-restore --no-dependencies` after touching a source file (a full recompile of the project), alternating,
# and prints the medians as markdown.
# Usage: bench/generator-build-time.sh [rounds]   (default 5)
# The compiler server matters: with UseSharedCompilation=false in the environment every build runs a fresh csc and pays
# the JIT of the compiler and of the generator each time; the last line printed says which way the run went.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
work="$(mktemp -d /tmp/dslnet-generator-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

models() {
  local acts=(Swish ReLU ELU GELU Tanh Mish LeakyReLU Sigmoid)
  local opts=("Nadam(LearningRate = 5e-5)" "Adam" "Sgd(LearningRate = 0.05, Momentum = 0.9)" "RmsProp" "AdamW" "AdaMax")
  echo "using DslNet;"
  echo "namespace GeneratorBench;"
  for i in $(seq 1 50); do
    local act="${acts[$((i % ${#acts[@]}))]}"
    local opt="${opts[$((i % ${#opts[@]}))]}"
    echo
    echo "[Model(3, 32, 32)]"
    if (( i % 5 == 0 )); then
      echo "[Standardize]"
      echo "[Dense($((50 + i)), Repeat = $((5 + i % 16)), Act = Act.SELU, Init = Init.LeCun)]"
      echo "[AlphaDropout(0.1)]"
    else
      echo "[Dense($((50 + i)), Repeat = $((5 + i % 16)), Act = Act.${act}, BatchNorm = $([[ $((i % 3)) == 0 ]] && echo true || echo false))]"
      (( i % 4 == 0 )) && echo "[Dropout(0.2)]"
    fi
    echo "[Dense(10, Act = Act.Softmax)]"
    echo "[${opt}]"
    (( i % 7 == 0 )) && echo "[OneCycle(MaxRate = 0.05)]"
    (( i % 2 == 0 )) && echo "[EarlyStopping(Patience = 10)]"
    echo "public partial class Model${i};"
  done
}

project() { # $1 = folder, $2 = analyzer references (or empty)
  mkdir -p "$1"
  cat > "$1/GeneratorBench.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/DslNet/DslNet.csproj" />
$2
  </ItemGroup>
</Project>
PROJ
  models > "$1/Models.cs"
}

analyzers="    <ProjectReference Include=\"$root/generators/DslNet.Generators/DslNet.Generators.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />
    <ProjectReference Include=\"$root/generators/DslNet.CodeFixes/DslNet.CodeFixes.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />"
project "$work/with" "$analyzers"
project "$work/without" ""

for variant in with without; do
  dotnet build "$work/$variant" -nologo -v:q > "$work/$variant.warmup.log" 2>&1 || { cat "$work/$variant.warmup.log"; exit 1; }
done


time_build() { # prints seconds
  touch "$work/$1/Models.cs"
  local start end
  start=$(date +%s.%N)
  dotnet build "$work/$1" --no-restore --no-dependencies -nologo -v:q > "$work/$1.log" 2>&1 || { cat "$work/$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

with=(); without=()
for _ in $(seq 1 "$rounds"); do
  with+=("$(time_build with)")
  without+=("$(time_build without)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}")
diff=$(echo "$mw - $mo" | bc)
echo "| project | median build (s), $rounds rounds | all rounds (s) |"
echo "| --- | ---: | --- |"
echo "| 50 models, with the generator and analyzers | $(printf '%.2f' "$mw") | ${with[*]} |"
echo "| the same sources, without them | $(printf '%.2f' "$mo") | ${without[*]} |"
echo "| **difference** | **$(printf '%+.2f' "$diff")** | target ≤ 1.5 s: $(awk -v d="$diff" 'BEGIN {print (d <= 1.5) ? "met" : "**not met**"}') |"
echo
shared="${UseSharedCompilation:-}"
echo "Compiler server: $([[ "${shared,,}" == false ]] && echo 'off (UseSharedCompilation=false in the environment: every build runs a fresh csc)' || echo 'on (the SDK default)')."
