"""The interactive docs in a real browser, under the content-security policy: they load
only from this server, break no CSP rule, and "try it out" works with a bearer token."""

import pytest

from truongso.accounts.tokens import api_token_create
from truongso.api import api

pytestmark = pytest.mark.browser


def test_docs_try_it_out_with_a_token(browser_world, page_for, live_server):
    _token, raw = api_token_create(
        actor=browser_world.principal_a, user=browser_world.principal_a, name="docs"
    )
    page = page_for(1280, 900)
    problems: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else foreign.append(r.url),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    # One block per operation of the OpenAPI document the page was built from.
    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    assert page.locator(".opblock").count() == operations

    page.click(".btn.authorize")
    page.locator(".auth-container input").first.fill(raw)
    page.locator(".auth-container .btn.modal-btn.auth.authorize").first.click()
    page.locator(".auth-btn-wrapper .btn-done").first.click()
    page.locator("#operations-account-truongso_accounts_api_me .opblock-summary").click()
    page.click("button.try-out__btn")
    page.click("button.execute")
    body = page.locator(".live-responses-table .response-col_description .highlight-code")
    body.first.wait_for()
    assert '"username": "ht_a"' in body.first.inner_text()

    assert problems == []
    assert foreign == []
