# Sourced by the ensure-* scripts. `cached_tool NAME VERSION FILE BUILD_FUNCTION` prints the
# path of FILE in the per-version cache outside the clone, calling BUILD_FUNCTION TARGET_DIR
# (under a lock, so parallel callers build once) only when FILE is not there yet.
cached_tool() {
  local name="$1" version="$2" file="$3" build="$4"
  local cache_root="${PARTNER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/partner-orchestrator}"
  local target_dir="$cache_root/$name/$version"
  if [ ! -x "$target_dir/$file" ]; then
    mkdir -p "$target_dir"
    exec 9>"$target_dir/.lock"
    flock 9
    [ -x "$target_dir/$file" ] || "$build" "$target_dir"
    exec 9>&-
  fi
  echo "$target_dir/$file"
}
