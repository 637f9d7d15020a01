def test_it_says_what_the_site_is(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "What was pledged, and what was delivered" in response.text
    assert 'rel="stylesheet"' in response.text


def test_it_sends_a_content_security_policy_without_inline_scripts(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_it_serves_the_admin_login(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
