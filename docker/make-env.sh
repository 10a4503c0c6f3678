#!/usr/bin/env bash
# Writes .env beside docker-compose.yml with fresh random keys for the compose topology: an admin key,
# a key for each child orchestrator and a service key for each child. docker compose reads .env by
# itself. An existing .env is kept unless --force is given (its keys may be in use).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$ROOT/.env"

if [[ -e $ENV_FILE && ${1:-} != --force ]]; then
    echo "make-env: $ENV_FILE exists; keeping it (use --force to replace its keys)" >&2
    exit 0
fi

new_key() {
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

umask 077
{
    echo "# Keys for docker-compose.yml, made by docker/make-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
    echo "# Secret: keep this file out of version control and images (it is in .gitignore and .dockerignore)."
    for name in CANOPY_ADMIN_KEY CANOPY_US_CHILD_KEY CANOPY_EU_CHILD_KEY CANOPY_ML_CHILD_KEY \
        CANOPY_US_SERVICE_KEY CANOPY_EU_SERVICE_KEY CANOPY_ML_SERVICE_KEY; do
        echo "$name=$(new_key)"
    done
} >"$ENV_FILE.new"
mv "$ENV_FILE.new" "$ENV_FILE"
echo "make-env: wrote $ENV_FILE; the admin key is CANOPY_ADMIN_KEY in it"
