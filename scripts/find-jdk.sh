# shellcheck shell=bash
# Sourced by ./daxfs and ./run-tests: finds a JDK whose java is version 25 or newer (DaxFS needs the
# final FFM API of JDK 22+ and is built with --release 25) and exports JAVA_HOME pointing at it.
#
# Candidates, in order: $JAVA_HOME; the newest JDK under /usr/lib/jvm; the java on PATH.
# On failure it prints every candidate it tried, with the version it found, and returns 1.
# It returns rather than exits because it runs inside the caller's shell.

# Overridable only so the error path can be tried; the build itself needs 25.
DAXFS_MIN_JAVA=${DAXFS_MIN_JAVA:-25}

# Prints the major version of the java at $1 (bin/java), or nothing if it cannot be run.
_daxfs_java_major() {
    local line
    line=$("$1" -version 2>&1 | head -n 1) || return 0
    # 'openjdk version "25.0.1" ...', 'java version "1.8.0_402"', 'openjdk version "26-ea" ...'
    [[ $line =~ \"([0-9]+)(\.([0-9]+))? ]] || return 0
    if [[ ${BASH_REMATCH[1]} == 1 && -n ${BASH_REMATCH[3]} ]]; then
        echo "${BASH_REMATCH[3]}"
    else
        echo "${BASH_REMATCH[1]}"
    fi
}

# Succeeds if $1 is a JDK home (java and javac) of version >= DAXFS_MIN_JAVA; notes what it saw in _daxfs_tried.
_daxfs_check_home() {
    local home=${1%/} major
    if [[ ! -x $home/bin/java ]]; then
        _daxfs_tried+=("  $home: no bin/java")
        return 1
    fi
    major=$(_daxfs_java_major "$home/bin/java")
    if [[ -z $major ]]; then
        _daxfs_tried+=("  $home: bin/java does not report a version")
        return 1
    fi
    if (( major < DAXFS_MIN_JAVA )); then
        _daxfs_tried+=("  $home: Java $major")
        return 1
    fi
    if [[ ! -x $home/bin/javac ]]; then
        _daxfs_tried+=("  $home: Java $major, but a runtime only (no bin/javac)")
        return 1
    fi
    return 0
}

_daxfs_find_jdk() {
    _daxfs_tried=()
    local candidate best="" best_major=0 major java_on_path

    if [[ -n ${JAVA_HOME:-} ]]; then
        if _daxfs_check_home "$JAVA_HOME"; then
            export JAVA_HOME=${JAVA_HOME%/}
            return 0
        fi
    else
        _daxfs_tried+=("  \$JAVA_HOME: not set")
    fi

    for candidate in /usr/lib/jvm/*/; do
        [[ -d $candidate ]] || continue
        if _daxfs_check_home "$candidate"; then
            major=$(_daxfs_java_major "${candidate%/}/bin/java")
            if (( major > best_major )); then
                best=${candidate%/}
                best_major=$major
            fi
        fi
    done
    [[ -d /usr/lib/jvm ]] || _daxfs_tried+=("  /usr/lib/jvm: no such directory")
    if [[ -n $best ]]; then
        export JAVA_HOME=$best
        return 0
    fi

    if java_on_path=$(command -v java); then
        # PATH usually holds a symlink chain (/usr/bin/java -> /etc/alternatives/java -> .../bin/java).
        candidate=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
        if _daxfs_check_home "$candidate"; then
            export JAVA_HOME=$candidate
            return 0
        fi
    fi

    {
        echo "daxfs: no JDK $DAXFS_MIN_JAVA or newer found. Tried:"
        printf '%s\n' "${_daxfs_tried[@]}"
        echo "Install a JDK $DAXFS_MIN_JAVA+ (for example Eclipse Temurin 25) and set JAVA_HOME to it."
    } >&2
    return 1
}

# Keep the caller's shell clean: only JAVA_HOME (and the status below) stays behind.
if _daxfs_find_jdk; then _daxfs_jdk_status=0; else _daxfs_jdk_status=1; fi
unset -f _daxfs_java_major _daxfs_check_home _daxfs_find_jdk
unset _daxfs_tried DAXFS_MIN_JAVA
# Sourced, this returns to the caller; run directly by mistake, it exits.
return "$_daxfs_jdk_status" 2>/dev/null || exit "$_daxfs_jdk_status"
