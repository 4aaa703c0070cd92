from django.template import Context, Template
from django.test import Client
from django.urls import reverse


def test_optional_url_is_empty_for_a_missing_page():
    template = Template(
        "{% load truongso %}{% optional_url 'nowhere:page' 'x' as u %}[{{ u }}]"
        "{% optional_url 'learners:detail' 7 as d %}[{{ d }}]"
    )
    assert template.render(Context()) == "[][/learners/7/]"


def test_switching_to_english_shows_english(db):
    client = Client()
    assert "Đăng nhập" in client.get(reverse("accounts:sign_in")).content.decode()
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/accounts/sign-in/"}
    )
    assert response.status_code == 302
    html = client.get(reverse("accounts:sign_in")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Username" in html


def test_english_home_for_a_principal(world, client_for):
    client = client_for(world.principal_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("web:home")).content.decode()
    assert "Learners by grade and sex" in html
    assert "Learners" in html


def test_admin_lists_records_and_audit_log_is_read_only(world, client_for):
    client = client_for(world.superuser)
    for path in ["/admin/learners/learner/", "/admin/staff/staffmember/",
                 "/admin/academics/schoolclass/", "/admin/units/institution/",
                 "/admin/accounts/user/", "/admin/audit/auditentry/"]:  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.get(f"/admin/learners/learner/{world.learner_an.pk}/delete/").status_code == 403
    assert client_for(world.principal_a).get("/admin/").status_code == 302


def test_admin_unlock_is_audited(world, client_for):
    from django.utils import timezone

    from truongso.accounts.models import User
    from truongso.audit.models import AuditEntry

    User.objects.filter(pk=world.teacher_a1_user.pk).update(locked_until=timezone.now())
    response = client_for(world.superuser).post(
        "/admin/accounts/user/",
        {"action": "unlock", "_selected_action": [world.teacher_a1_user.pk]},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.teacher_a1_user.pk).locked_until is None
    assert AuditEntry.objects.get(action="account.unlock").actor == world.superuser


def test_error_pages_render_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Đã có lỗi xảy ra" in html and "Something went wrong" in html
