# shellcheck shell=bash
# Sourced by ./daxfs and ./run-tests after find-jdk.sh: checks that Maven is there and quiets the noise
# Maven 3.8 makes on JDK 25, so that what the scripts print is DaxFS's own output.
#
# --sun-misc-unsafe-memory-access=allow: Maven 3.8's Guava uses sun.misc.Unsafe, which JDK 24+ warns
#   about on every run.
# -Djansi.noreset=true: Maven's console library otherwise prints stray colour resets (ESC[0m) at exit,
#   even in batch mode.

if ! command -v mvn >/dev/null; then
    echo "daxfs: Maven (mvn) is needed to build DaxFS and is not on PATH (on Debian: apt-get install maven)" >&2
    return 1 2>/dev/null || exit 1
fi
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow -Djansi.noreset=true"
