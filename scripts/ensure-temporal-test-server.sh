#!/usr/bin/env bash
# Prints the path of a wrapper around Temporal's time-skipping test server (the Java one, from
# Maven Central), fetching it into the cache outside the clone only when that version is not
# there yet. The SDK launches the wrapper as `<wrapper> <port> --enable-time-skipping`.
set -euo pipefail
source "$(dirname "$0")/cached-tool.sh"

version="${TEMPORAL_TEST_SERVER_VERSION:-1.38.0}"

fetch_test_server() {
  local target_dir="$1"
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
  cat >"$target_dir/temporal-test-server.tmp" <<WRAPPER
#!/usr/bin/env bash
exec java -cp "$target_dir/lib/*" io.temporal.testserver.TestServer "\$@"
WRAPPER
  chmod +x "$target_dir/temporal-test-server.tmp"
  mv "$target_dir/temporal-test-server.tmp" "$target_dir/temporal-test-server"
}

cached_tool temporal-test-server "$version" temporal-test-server fetch_test_server
