#!/usr/bin/env bash
# Packs DslNet and uses the package as a user would, outside the repository:
#   1. the package holds the runtime (with XML docs), the generator and the code fixes, and depends on TorchSharp-cpu,
#      ScottPlot, Google.Protobuf and TorchSharp.PyBridge only (Grpc.Tools is a build-time tool);
#   2. a fresh net8.0 project with one PackageReference and a small model builds with warnings as errors and zero
#      warnings, and trains one epoch (printing a finite loss): generator, runtime and TorchSharp's native library work;
#   3. adding a SELU network initialized with He makes the build report DSL101 (a warning: the build still succeeds);
#   4. the README it carries links only to absolute URLs (relative links are dead on a package page), and the
#      reference and diagnostics pages it names ship beside it under docs/;
#   5. a build with a RuntimeIdentifier keeps only that platform's libtorch (docs/reference.md, "Output size"): the
#      sizes of both outputs are printed.
# The package gets a unique prerelease version and restores into a fresh packages folder, so no cached DslNet is
# ever used; the machine's global packages folder serves as a fallback for everything else (TorchSharp's libtorch).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

fail() { echo "error: package test: $*" >&2; exit 1; }
step() { echo "== package test: $*"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/dslnet-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
feed=$work/feed consumer=$work/consumer log=$work/log
mkdir -p "$feed" "$consumer" "$work/packages"

version="$(dotnet msbuild src/DslNet -nologo -getProperty:VersionPrefix)-packagetest.$(date -u +%Y%m%d%H%M%S).$$"
step "packing DslNet $version"
started=$SECONDS
dotnet pack src/DslNet -c Release -nologo -o "$feed" -p:Version="$version" >"$log" 2>&1 \
  || { cat "$log" >&2; fail "dotnet pack src/DslNet failed (output above)."; }
echo "packed in $((SECONDS - started)) s"
nupkg=$feed/DslNet.$version.nupkg
[[ -f $nupkg ]] || fail "dotnet pack did not produce $nupkg."
[[ -f $feed/DslNet.$version.snupkg ]] || fail "dotnet pack did not produce the symbols package DslNet.$version.snupkg."

step "checking the package's content"
entries=$(unzip -Z1 "$nupkg")
for entry in lib/net8.0/DslNet.dll lib/net8.0/DslNet.xml \
             analyzers/dotnet/cs/DslNet.Generators.dll analyzers/dotnet/cs/DslNet.CodeFixes.dll; do
  grep -qxF "$entry" <<<"$entries" || fail "the package lacks $entry; it holds: $(tr '\n' ' ' <<<"$entries")"
done
if [[ -f README.md ]]; then
  grep -qxF README.md <<<"$entries" || fail "the repository has a README.md but the package does not carry it."
  # Markdown links [text](target) whose target is neither an absolute URL nor an anchor cannot work on a package page.
  relative=$(unzip -p "$nupkg" README.md | grep -oE '\]\([^)]+\)' | grep -vE '^\]\((https?://|#)' || true)
  [[ -z $relative ]] || fail "the packed README links to paths that do not exist on a package page: $relative"
fi
for entry in docs/reference.md docs/diagnostics.md; do
  grep -qxF "$entry" <<<"$entries" || fail "the package lacks $entry, which the README points to."
done
dependencies=$(unzip -p "$nupkg" DslNet.nuspec | sed -n 's/.*<dependency id="\([^"]*\)".*/\1/p' | sort | tr '\n' ' ')
# Google.Protobuf writes ONNX files, TorchSharp.PyBridge PyTorch state_dicts; Grpc.Tools, which compiles the ONNX
# schema, is build-time only and must not appear.
expected=$(printf '%s\n' Google.Protobuf ScottPlot TorchSharp-cpu TorchSharp.PyBridge | sort | tr '\n' ' ')
[[ $dependencies == "$expected" ]] \
  || fail "the package must depend on Google.Protobuf, ScottPlot, TorchSharp-cpu and TorchSharp.PyBridge only, but depends on: $dependencies"

# Each consumer build puts libtorch (0.5 to 1.1 GB) into bin: links to the packages folders, as the repository's
# own builds make (Directory.Build.props), keep this test from needing gigabytes of free disk. Sizes below are unchanged:
# du -L counts a linked file in full.
links=(-p:CreateHardLinksForCopyLocalIfPossible=true -p:CreateSymbolicLinksForCopyLocalIfPossible=true)

step "building a fresh consumer project (warnings as errors)"
global_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
source_dir=$repo/eng/package-consumer
# Empty MSBuild files stop the search for any Directory.*.props above the temporary folder.
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$work/$file"; done
sed -e "s|@FEED@|$feed|" "$source_dir/nuget.config.in" > "$consumer/nuget.config"
sed -e "s|@VERSION@|$version|" -e "s|@PACKAGES@|$work/packages|" -e "s|@FALLBACK@|$global_packages|" \
  "$source_dir/Consumer.csproj.in" > "$consumer/Consumer.csproj"
cp "$source_dir/Program.cs" "$source_dir/TinyNet.cs" "$consumer/"
dotnet build "$consumer" -c Release -nologo "${links[@]}" >"$log" 2>&1 \
  || { cat "$log" >&2; fail "the consumer project does not build with warnings as errors (output above)."; }
if grep -E ': warning [A-Z]+[0-9]+' "$log" >&2; then fail "the consumer build reported the warnings above."; fi
[[ -d $work/packages/dslnet/$version ]] || fail "DslNet $version was not restored from the test feed."

step "training one epoch"
dotnet run --project "$consumer" -c Release --no-build >"$log" 2>&1 \
  || { cat "$log" >&2; fail "the consumer program failed (output above)."; }
cat "$log"
loss=$(sed -n 's/^loss \(.*\)$/\1/p' "$log")
[[ -n $loss ]] || fail "the consumer program printed no 'loss' line."
awk -v loss="$loss" 'BEGIN { exit !(loss ~ /^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/) }' \
  || fail "the loss after one epoch is not a finite number: '$loss'."

step "declaring a SELU network initialized with He (expecting DSL101)"
cp "$source_dir/SeluNet.cs" "$consumer/"
dotnet build "$consumer" -c Release -nologo "${links[@]}" -p:TreatWarningsAsErrors=false -p:MSBuildTreatWarningsAsErrors=false >"$log" 2>&1 \
  || { cat "$log" >&2; fail "the consumer with a DSL101 warning must still build (output above)."; }
{ grep -E ": warning DSL[0-9]+" "$log" || true; } | sed "s|$consumer/||g" | sort -u
grep -qE 'SeluNet\.cs\([0-9]+,[0-9]+\): warning DSL101:' "$log" \
  || { cat "$log" >&2; fail "the build did not report DSL101 for SeluNet.cs (output above)."; }

step "building for one platform (RuntimeIdentifier) and comparing output sizes"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
[[ -n $rid ]] || fail "could not read the runtime identifier from dotnet --info."
rm -f "$consumer/SeluNet.cs"
rm -rf "$consumer/bin" "$consumer/obj"
dotnet build "$consumer" -c Release -nologo "${links[@]}" >"$log" 2>&1 || { cat "$log" >&2; fail "the consumer does not build (output above)."; }
all_platforms=$consumer/bin/Release/net8.0
size_all=$(du -sLm "$all_platforms" | cut -f1)
dotnet build "$consumer" -c Release -nologo "${links[@]}" -r "$rid" >"$log" 2>&1 \
  || { cat "$log" >&2; fail "the consumer does not build with RuntimeIdentifier=$rid (output above)."; }
one_platform=$all_platforms/$rid
size_one=$(du -sLm "$one_platform" | cut -f1)
echo "bin without a RuntimeIdentifier: $size_all MB (native files under runtimes/ for: $(ls "$all_platforms/runtimes" | tr '\n' ' '))"
echo "bin with RuntimeIdentifier=$rid: $size_one MB"
[[ ! -d $one_platform/runtimes ]] || [[ -z $(ls "$one_platform/runtimes" | grep -vxF "$rid") ]] \
  || fail "the $rid build still carries other platforms' native files: $(ls "$one_platform/runtimes")"
dotnet "$one_platform/Consumer.dll" >"$log" 2>&1 || { cat "$log" >&2; fail "the $rid build does not run (output above)."; }
grep -q '^loss ' "$log" || { cat "$log" >&2; fail "the $rid build printed no 'loss' line."; }
(( size_one * 2 < size_all )) || fail "the $rid build ($size_one MB) is not much smaller than the all-platform build ($size_all MB)."

step "passed"
