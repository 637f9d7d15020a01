"""The example deployment in deploy/ is read by the tools that will run it: nginx checks its
site, systemd its units (each a strict check: a warning fails), and each setting its files set
is one the README's Deploy table describes. Without nginx or systemd-analyze these skip, except
in CI (.ci/run installs nginx)."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.checkers import ROOT, require

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())


def tool(name: str) -> str:
    found = shutil.which(name)
    require(found is not None, f"{name} is missing: apt-get install nginx (or systemd)")
    assert found is not None
    return found


def test_nginx_accepts_the_site(tmp_path):
    nginx = tool("nginx")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    throwaway = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x"]
    subprocess.run(
        ["openssl", *throwaway, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "policy-tracker.conf").read_text()
    # The certificate's paths are Let's Encrypt's on the server: a throwaway one stands in.
    site = site.replace("/etc/letsencrypt/live/policytracker.example/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/policytracker.example/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_systemd_accepts_each_unit_without_a_warning(unit, tmp_path):
    analyze = tool("systemd-analyze")
    # The programs live in the server's virtualenv; an executable stands in for each here.
    text = re.sub(r"/srv/policy-tracker/\.venv/bin/\w+", "/bin/true", unit.read_text())
    name = unit.name.replace("@.", "@8001.")  # a template is checked as one of its instances
    (tmp_path / name).write_text(text)
    if unit.suffix == ".timer":
        service = unit.with_suffix(".service").name
        (tmp_path / service).write_text(
            re.sub(
                r"/srv/policy-tracker/\.venv/bin/\w+",
                "/bin/true",
                (unit.parent / service).read_text(),
            )
        )
    checked = subprocess.run(
        [analyze, "verify", "--man=no", str(tmp_path / name)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert not checked.stderr.strip(), checked.stderr


def test_the_proxy_takes_the_largest_document_the_admin_accepts():
    site = (DEPLOY / "nginx" / "policy-tracker.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 1024 * 1024 > settings.SOURCE_DOCUMENT_MAX_BYTES


def test_every_setting_the_example_environment_sets_is_described_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "env.example").read_text(), re.MULTILINE)
    assert names
    assert [name for name in names if f"`{name}" not in readme] == []
