"""Every public page is valid HTML, as the Nu HTML Checker (the W3C's validator) reads it: the
pages are fetched, written to files and checked in one run of the checker (one Java start)."""

import json
import subprocess

from tests.checkers import require_vnu


def errors_in(java, jar, files) -> list[dict]:
    done = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    # The checker writes its report on stderr and exits 1 when it finds an error.
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stderr)["messages"]


def described(messages) -> str:
    return "\n".join(
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:120]}]"
        for m in messages
    )


def test_no_public_page_has_an_html_error(client, atlas, tmp_path):
    java, jar = require_vnu()
    files = []
    for name, url in atlas.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, name
        if not response["Content-Type"].startswith("text/html"):
            continue  # a citation's plain text
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert len(files) == len(atlas) - 1
    messages = errors_in(java, jar, files)
    assert messages == [], f"{len(messages)} HTML errors:\n" + described(messages)
