#!/usr/bin/env bash
# Installs (or, with --uninstall, removes) tensorpad under PREFIX:
#   PREFIX/bin/tensorpad
#   PREFIX/share/bash-completion/completions/tensorpad
#   PREFIX/share/zsh/site-functions/_tensorpad
#   PREFIX/share/fish/vendor_completions.d/tensorpad.fish
#   PREFIX/share/jupyter/kernels/tensorpad   (the Jupyter kernelspec, when the binary has `kernel`)
# The completion scripts come from the binary itself (swift-argument-parser).
# Usage: scripts/install.sh BINARY PREFIX       (make install)
#        scripts/install.sh --uninstall PREFIX  (make uninstall)
set -euo pipefail
if [ "${1:-}" = "--uninstall" ]; then
  prefix="${2:?usage: install.sh --uninstall PREFIX}"
  rm -f "$prefix/bin/tensorpad" \
        "$prefix/share/bash-completion/completions/tensorpad" \
        "$prefix/share/zsh/site-functions/_tensorpad" \
        "$prefix/share/fish/vendor_completions.d/tensorpad.fish"
  rm -rf "$prefix/share/jupyter/kernels/tensorpad"
  echo "removed tensorpad from $prefix"
  exit 0
fi
bin="${1:?usage: install.sh BINARY PREFIX}"
prefix="${2:?usage: install.sh BINARY PREFIX}"
[ -x "$bin" ] || { echo "install: $bin is not built (run make build)" >&2; exit 1; }
mkdir -p "$prefix/bin" "$prefix/share/bash-completion/completions" \
         "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
# Copy then rename, so a running tensorpad is never overwritten in place.
cp "$bin" "$prefix/bin/.tensorpad.tmp"
chmod 755 "$prefix/bin/.tensorpad.tmp"
mv -f "$prefix/bin/.tensorpad.tmp" "$prefix/bin/tensorpad"
for shell in bash zsh fish; do
  case $shell in
    bash) dest="$prefix/share/bash-completion/completions/tensorpad" ;;
    zsh)  dest="$prefix/share/zsh/site-functions/_tensorpad" ;;
    fish) dest="$prefix/share/fish/vendor_completions.d/tensorpad.fish" ;;
  esac
  "$prefix/bin/tensorpad" --generate-completion-script "$shell" > "$dest.tmp"
  mv -f "$dest.tmp" "$dest"
done
# The Jupyter kernelspec, where Jupyter looks for PREFIX's kernels (~/.local/share/jupyter, /usr/local/share/jupyter).
if "$prefix/bin/tensorpad" --help 2>/dev/null | grep -qE "^  kernel( |$)"; then
  "$prefix/bin/tensorpad" kernel install --prefix "$prefix" >/dev/null
  echo "installed the Jupyter kernelspec in $prefix/share/jupyter/kernels/tensorpad"
fi
echo "installed $prefix/bin/tensorpad (completions for bash, zsh and fish under $prefix/share)"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add it, e.g. echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
if [ "$prefix" != "/usr" ] && [ "$prefix" != "/usr/local" ]; then
  echo "note: zsh finds the completion once $prefix/share/zsh/site-functions is on fpath"
fi
