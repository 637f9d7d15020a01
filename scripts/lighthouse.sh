#!/usr/bin/env bash
# Lighthouse on the home page and the strategy with the most commitments, desktop and mobile,
# against the shipped dataset served as in production; reports in test-artifacts/lighthouse/.
# Prints the four scores of each page and preset (the median of RUNS runs, 3); exits 1 when any
# is below MIN_SCORE (98).
#
#   make lighthouse                          (installs the project's venv first)
#   PY=/path/to/python scripts/lighthouse.sh (with a venv of your own)
#
# Needs Debian's Chromium (CHROME_PATH, /usr/bin/chromium by default) and Node.js 18.16+ with npm:
# Lighthouse comes from scripts/lighthouse/package-lock.json (`npm ci`, into its node_modules).
# Nothing leaves the machine: the database is a throwaway SQLite file, the server listens on
# loopback, and Chromium runs with its background networking off.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PY:-.venv/bin/python}
MIN_SCORE=${MIN_SCORE:-98}
OUT=${LIGHTHOUSE_OUT:-$ROOT/test-artifacts/lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LH_DIR=$ROOT/scripts/lighthouse
LIGHTHOUSE=$LH_DIR/node_modules/.bin/lighthouse

[ -x "$PY" ] || { echo "No Python at $PY: run make install, or set PY." >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "No Chromium at $CHROME_PATH (apt-get install chromium)." >&2; exit 2; }
if [ ! -x "$LIGHTHOUSE" ] || [ "$LH_DIR/package-lock.json" -nt "$LH_DIR/node_modules/.package-lock.json" ]; then
    npm ci --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Production settings (tracker/settings.py, `make deploy-check`): DEBUG off, a real secret key,
# the manifest storage whose hashed names WhiteNoise serves with far-future caching. Plain HTTP on
# loopback, so no redirect to HTTPS; the HTTPS-only items (HSTS, secure cookies) are the proxy's
# and production's concern, and Lighthouse does not penalise them on localhost.
export DJANGO_ENV=production
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false
export DATABASE_URL="sqlite:///$WORK/lighthouse.sqlite3"
export LOG_LEVEL=WARNING

echo "Building the site on a throwaway database ($WORK)..."
"$PY" manage.py collectstatic --no-input --clear --verbosity 0
"$PY" manage.py migrate --no-input --verbosity 0
"$PY" manage.py load_documents --verbosity 0
"$PY" manage.py rebuild_read_model --verbosity 0

# The policy page Lighthouse reads: the published strategy with the most published commitments,
# the page with the most to draw.
POLICY_SLUG=$("$PY" manage.py shell --no-imports -c '
from django.db.models import Count, Q
from policies.models import Policy
from policies.selectors import commitments_bare, policies
public = commitments_bare().values("pk")
best = (
    policies()
    .filter(kind=Policy.Kind.STRATEGY)
    .annotate(n=Count("commitments", filter=Q(commitments__in=public)))
    .order_by("-n", "slug")
    .first()
)
print(best.slug)
')

PORT=${LIGHTHOUSE_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE="http://127.0.0.1:$PORT"
# gunicorn, as production runs it (a dependency in pyproject.toml), rather than runserver
# --insecure: that is the development server, which Django says not to run in production.
"$PY" -m gunicorn tracker.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
    >"$WORK/gunicorn.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen('$BASE/healthz', timeout=1)" 2>/dev/null; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 2; }
    sleep 0.2
done
"$PY" -c "import urllib.request; urllib.request.urlopen('$BASE/healthz', timeout=5)" \
    || { echo "The site did not come up at $BASE:" >&2; cat "$WORK/gunicorn.log" >&2; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/*.report.html "$OUT"/*.report.json
# As the machines' probe starts Chromium: headless, and nothing reaching out to Google.
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync --disable-default-apps"

PAGES=("home /" "policy /policies/$POLICY_SLUG/")
# Performance is timed on this machine's CPU, slowed four times for mobile: another process busy
# on the same cores lengthens every task, and one run may score 93 where the next scores 100.
# So each page and preset runs RUNS times and is judged by its median, as Lighthouse's own
# guidance on variability advises; every run's report is kept.
RUNS=${RUNS:-3}
for page in "${PAGES[@]}"; do
    name=${page%% *}
    path=${page#* }
    for preset in desktop mobile; do
        # Mobile is Lighthouse's default (a mid-range phone, throttled); desktop has a preset.
        preset_flag=()
        [ "$preset" = desktop ] && preset_flag=(--preset=desktop)
        for run in $(seq 1 "$RUNS"); do
            echo "Lighthouse: $preset, $BASE$path (run $run of $RUNS)"
            "$LIGHTHOUSE" "$BASE$path" "${preset_flag[@]}" --quiet \
                --chrome-flags="$CHROME_FLAGS" \
                --only-categories=performance,accessibility,best-practices,seo \
                --output=html --output=json --output-path="$OUT/$name-$preset-$run" \
                || { echo "Lighthouse failed on $path ($preset)." >&2; exit 2; }
        done
    done
done

# Debian's wrapper script prints a shell complaint on some machines; the version line is what counts.
CHROMIUM_VERSION=$("$CHROME_PATH" --version 2>/dev/null)
"$PY" - "$OUT" "$MIN_SCORE" "$CHROMIUM_VERSION" <<'EOF'
import json
import pathlib
import statistics
import sys
from collections import defaultdict

out, minimum, chromium = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
categories = ["performance", "accessibility", "best-practices", "seo"]
runs = defaultdict(list)
for path in sorted(out.glob("*.report.json")):
    name, preset, _run = path.name.removesuffix(".report.json").split("-")
    runs[name, preset].append(json.loads(path.read_text()))

first = next(iter(runs.values()))[0]
print(f"\nLighthouse {first['lighthouseVersion']}, {chromium}, {first['fetchTime']}")
print("The median of each page and preset's runs (lowest-highest where they differ); CPU is")
print("Lighthouse's benchmark index of each run (higher is a faster machine).")
print(f"{'page':<7} {'preset':<8}" + "".join(f"{c:>16}" for c in categories) + "  CPU")
below = []
for (name, preset), reports in runs.items():
    cells = []
    for category in categories:
        scores = [round(r["categories"][category]["score"] * 100) for r in reports]
        median = round(statistics.median(scores))
        cells.append(f"{median}" + (f" ({min(scores)}-{max(scores)})" if len(set(scores)) > 1 else ""))
        if median < minimum:
            failing = {
                audit["title"]
                for r in reports
                for ref in r["categories"][category]["auditRefs"]
                if ref["weight"]
                and (audit := r["audits"][ref["id"]])["score"] is not None
                and audit["score"] < 1
            }
            below.append(f"{name} {preset} {category} {median}: " + "; ".join(sorted(failing)))
    cpu = ",".join(str(round(r["environment"]["benchmarkIndex"])) for r in reports)
    print(f"{name:<7} {preset:<8}" + "".join(f"{c:>16}" for c in cells) + f"  {cpu}")
# Lighthouse's own doubts about a run (a CPU slower than it expects, most often).
warnings = {w: f"{n} {p}" for (n, p), reports in runs.items() for r in reports for w in r["runWarnings"]}
for warning, where in warnings.items():
    print(f"Warning ({where}): {warning}")
for name in dict.fromkeys(name for name, _ in runs):
    print(f"{name}: {runs[name, 'mobile'][0]['finalDisplayedUrl']}")
print(f"\nReports: {out}")
if below:
    print(f"\nBelow {minimum}:", *below, sep="\n  ")
    sys.exit(1)
EOF
