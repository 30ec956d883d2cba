#!/usr/bin/env bash
# The offline checks of deploy/, one per CTest entry. Exits 77 (CTest:
# skipped) with a message when a tool a check needs is missing.
#   check.sh yamllint                 yamllint --strict over deploy/
#   check.sh kustomize                kubectl kustomize of the base and every overlay
#   check.sh node FILE [needs...]     node --test FILE; needs: kubectl, node_modules
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
k8s=$root/deploy/k8s

# require TOOL HINT: skip unless TOOL is on PATH.
require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "SKIP: $1 is not installed ($2)"
    exit 77
  fi
}

case ${1:-} in
  yamllint)
    require yamllint "scripts/install-deps.sh installs it"
    yamllint --strict -c "$here/yamllint.yaml" "$root/deploy" "$here/yamllint.yaml"
    echo "yamllint: $(find "$root/deploy" -name '*.yaml' -o -name '*.yml' | wc -l) files clean"
    ;;
  kustomize)
    require kubectl "scripts/install-deps.sh installs kubernetes-client"
    status=0
    for dir in "$k8s/base" "$k8s"/overlays/*/; do
      dir=${dir%/}
      if out=$(kubectl kustomize "$dir" 2>&1); then
        echo "ok   ${dir#"$k8s"/}: $(grep -c '^kind:' <<<"$out") objects"
      else
        echo "FAIL ${dir#"$k8s"/}: $out"
        status=1
      fi
    done
    exit $status
    ;;
  node)
    file=$2
    shift 2
    require node "scripts/install-deps.sh installs nodejs"
    for need in "$@"; do
      case $need in
        kubectl) require kubectl "scripts/install-deps.sh installs kubernetes-client" ;;
        node_modules)
          if [ ! -d "$here/node_modules/kubernetes-models" ] || [ ! -d "$here/node_modules/yaml" ]; then
            echo "SKIP: run 'npm ci' in tests/deploy first (make test does)"
            exit 77
          fi ;;
        *) echo "check.sh: unknown need '$need'" >&2; exit 2 ;;
      esac
    done
    cd "$here"
    exec node --test "$file"
    ;;
  *)
    echo "usage: check.sh yamllint|kustomize|node FILE [needs...]" >&2
    exit 2
    ;;
esac
