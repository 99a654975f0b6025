import re

from accounts.models import ApiKey, Membership


def login(client, user):
    client.force_login(user)
    return client


def test_the_login_page_has_labelled_fields(db, client):
    html = client.get("/login/").content.decode()
    assert '<label for="id_username">Email</label>' in html
    assert '<label for="id_password">Password</label>' in html


def test_a_wrong_password_says_so(alice, client):
    response = client.post("/login/", {"username": "alice@acme.test", "password": "wrong"})
    assert "do not match" in response.content.decode()


def test_pages_need_a_login(db, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_dashboard_shows_the_organization(alice, client):
    html = login(client, alice).get("/").content.decode()
    assert "Acme" in html and "Business" in html


def test_an_admin_creates_a_key_on_the_page_and_sees_it_once(alice, client):
    login(client, alice)
    response = client.post("/settings/api-keys/", {"name": "Zapier", "role": "editor"})
    html = response.content.decode()
    shown = re.search(r'<code class="secret" id="new-key">(wf_live_[^<]+)</code>', html).group(1)
    assert ApiKey.objects.get(name="Zapier").prefix == shown[:12]
    assert shown not in client.get("/settings/api-keys/").content.decode()


def test_an_admin_revokes_a_key_on_the_page(alice, client, acme, make_key):
    api_key, _ = make_key(acme)
    login(client, alice).post(f"/settings/api-keys/{api_key.id}/revoke/")
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_an_admin_changes_a_role_on_the_members_page(alice, bob_editor, client):
    membership = Membership.objects.get(user=bob_editor)
    login(client, alice).post(f"/settings/members/{membership.id}/role/", {"role": "viewer"})
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_an_admin_adds_a_member(alice, client, acme):
    login(client, alice).post(
        "/settings/members/", {"email": "dana@acme.test", "role": "editor", "password": "long enough pw"}
    )
    assert Membership.objects.get(user__email="dana@acme.test", organization=acme).role == "editor"


def test_a_viewer_cannot_open_the_admin_pages(bob_viewer, client):
    login(client, bob_viewer)
    assert client.get("/settings/api-keys/").status_code == 403
    assert client.get("/settings/members/").status_code == 403
    assert "API keys" not in client.get("/").content.decode()
