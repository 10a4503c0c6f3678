#!/bin/sh
# Runs one Canopy app from the image: parent-app, child-app or example-service.
# `exec` makes the JVM PID 1, so `docker stop` (SIGTERM) reaches it and it deregisters upstream.
set -eu

app="${1:-}"
case "$app" in
    parent-app | child-app | example-service) ;;
    *)
        echo "usage: <image> parent-app|child-app|example-service (got '${app}')" >&2
        echo "Configure the app with its environment variables; see README.md." >&2
        exit 64
        ;;
esac

# JAVA_OPTS is a list of JVM options: split it on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "/app/${app}.jar" server "/app/${app}/config.yml"
