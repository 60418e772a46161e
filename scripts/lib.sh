# Shared by scripts/install, scripts/run and scripts/test (sourced, not run).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# Make targets keep everything they write (database, secret key, fonts, static files) in ./var.
export PRONGSAI_DATA_DIR="${PRONGSAI_DATA_DIR:-$ROOT/var}"
# PyThaiNLP would otherwise create ~/pythainlp-data on import.
export PYTHAINLP_READ_ONLY="${PYTHAINLP_READ_ONLY:-1}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

section() {
    printf '\n==== %s ====\n' "$*"
}

# elapsed SECONDS_AT_START -> "1m 05s"
elapsed() {
    local s=$((SECONDS - $1))
    printf '%dm %02ds' $((s / 60)) $((s % 60))
}

# The venv's `prongsai` command (manage.py).
prongsai() {
    "$VENV/bin/prongsai" "$@"
}
