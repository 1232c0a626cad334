#!/usr/bin/env bash
# Rewrites src/DslNet/PublicAPI.Unshipped.txt to list exactly the public API that PublicAPI.Shipped.txt does not.
#
# It empties Unshipped.txt, builds src/DslNet with warnings left as warnings, and writes back every symbol the
# Public API analyzer reports as undeclared (RS0016), in the analyzer's own format, sorted. Then it builds again
# with the repository's usual warnings-as-errors to prove the files are complete. Run it after changing public API;
# review the diff (every added line is API the package now promises). On release, move the lines to Shipped.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

project=src/DslNet/DslNet.csproj
unshipped=src/DslNet/PublicAPI.Unshipped.txt
log=$(mktemp)
trap 'rm -f "$log"' EXIT

printf '#nullable enable\n' > "$unshipped"
# Touching the AdditionalFile makes the compiler run again, so every diagnostic is reported.
dotnet build "$project" -c Release -nologo -clp:NoSummary \
  -p:TreatWarningsAsErrors=false -p:MSBuildTreatWarningsAsErrors=false >"$log" 2>&1 || {
  cat "$log" >&2; echo "error: src/DslNet does not build; fix the errors above first." >&2; exit 1; }

# "warning RS0016: Symbol 'DslNet.Act.ELU = 4 -> DslNet.Act' is not part of the declared public API (...)"
{
  printf '#nullable enable\n'
  sed -n "s/.*warning RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" "$log" | LC_ALL=C sort -u
} > "$unshipped.new"
mv "$unshipped.new" "$unshipped"

if grep -E 'warning RS00(1[7-9]|[2-9][0-9])' "$log" | sort -u >&2; then
  echo "error: the Public API analyzer reports the problems above, which a rewrite of Unshipped.txt cannot fix" \
       "(e.g. RS0017: an API in Shipped.txt was removed; RS0026/RS0027: optional parameters across overloads)." >&2
  exit 1
fi

dotnet build "$project" -c Release -nologo -clp:NoSummary >"$log" 2>&1 || {
  cat "$log" >&2; echo "error: src/DslNet still fails to build with the rewritten $unshipped." >&2; exit 1; }
echo "$unshipped: $(($(wc -l < "$unshipped") - 1)) public API entries."
