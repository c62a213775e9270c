# Sourced by ./mvnw and ./spinet: make JAVA_HOME point at a JDK 25 or newer.
# Order: JAVA_HOME if it is already 25+, then `java` on the PATH, then /usr/lib/jvm/*25*.
# Stops with one line naming what to install when none is found.
spinet_java_feature() { # prints the feature release of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
spinet_find_jdk25() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(spinet_java_feature "$JAVA_HOME/bin/java")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(spinet_java_feature "$candidate/bin/java")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$candidate; export JAVA_HOME; return 0
    fi
  fi
  set +f # ./mvnw runs with globbing off
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*3[0-9]*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(spinet_java_feature "$candidate/bin/java")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$candidate; export JAVA_HOME; return 0
    fi
  done
  echo "spinet: needs a JDK 25 (found none in JAVA_HOME, on the PATH or in /usr/lib/jvm): install one, e.g. 'apt-get install temurin-25-jdk' or from https://adoptium.net, then set JAVA_HOME." >&2
  exit 1
}
spinet_find_jdk25
PATH="$JAVA_HOME/bin:$PATH"; export PATH
