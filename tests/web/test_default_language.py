"""Vietnamese is the default language; English only when the user chooses it."""

from django.conf import settings


def test_an_english_browser_still_gets_vietnamese(client, db):
    response = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_the_language_switch_chooses_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/sign-in/")
    assert response.headers["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()


def test_api_clients_choose_with_accept_language(client, db):
    response = client.get("/api/v1/learners", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.headers["Content-Language"] == "en"
    vietnamese = client.get("/api/v1/learners")
    assert vietnamese.headers["Content-Language"] == "vi"
    assert response.json()["detail"] != vietnamese.json()["detail"]
