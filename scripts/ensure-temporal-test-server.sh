#!/usr/bin/env bash
# Puts Temporal's time-skipping test server (the Java one, from Maven Central) in a
# per-version cache outside the clone, behind a small executable wrapper, and prints the
# wrapper's path. The SDK launches the wrapper as `<wrapper> <port> --enable-time-skipping`.
set -euo pipefail

version="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"
cache_root="${PARTNER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/partner-orchestrator}"
target_dir="$cache_root/temporal-test-server/$version"
wrapper="$target_dir/temporal-test-server"

if [ ! -x "$wrapper" ]; then
  mkdir -p "$target_dir"
  exec 9>"$target_dir/.lock"
  flock 9
  if [ ! -x "$wrapper" ]; then
    command -v mvn >/dev/null || { echo "mvn is required to fetch the Temporal test server" >&2; exit 1; }
    command -v java >/dev/null || { echo "java is required to run the Temporal test server" >&2; exit 1; }
    echo "Fetching Temporal test server $version from Maven (first run only)..." >&2
    cat >"$target_dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.partner-orchestrator</groupId>
  <artifactId>temporal-test-server-runtime</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
POM
    mvn -q -B -f "$target_dir/pom.xml" dependency:copy-dependencies -DoutputDirectory="$target_dir/lib" >&2
    cat >"$wrapper.tmp" <<WRAPPER
#!/usr/bin/env bash
exec java -cp "$target_dir/lib/*" io.temporal.testserver.TestServer "\$@"
WRAPPER
    chmod +x "$wrapper.tmp"
    mv "$wrapper.tmp" "$wrapper"
  fi
fi
echo "$wrapper"
